/* num_text.c: see num_text.h.  The keyword scorer writes a reason with
 * each term's points for every paper it weighs; snprintf's "%+.3g" was 3%
 * of a run over a 50,000-paper listing. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "num_text.h"

/* Powers of ten from 10^0 to 10^6, each exact in a double. */
static const double exact_pow10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

/* Where the product of a magnitude and an exact power of ten lies this
 * close to a half, the one rounding of the product may have moved it
 * across: printf (which rounds the exact binary value) decides there. */
#define NEAR_HALF 1e-9

size_t
nt_signed_g3(char *out, size_t size, double v)
{
	double a = fabs(v);
	/* The plain case: 1e-4 <= |v| < 999.5, where %.3g writes three
	 * significant digits as a decimal fraction, no exponent. */
	if (size >= 16 && a >= 1e-4 && a < 999.5) {
		int e = a >= 100 ? 2 : a >= 10 ? 1 : a >= 1 ? 0 : a >= 0.1 ? -1 : a >= 0.01 ? -2 : a >= 0.001 ? -3 : -4;
		double scaled = a * exact_pow10[2 - e];
		double whole = floor(scaled), frac = scaled - whole;
		if (fabs(frac - 0.5) > NEAR_HALF) {
			int digits = (int)whole + (frac > 0.5);
			if (digits == 1000) { /* 9.995 -> 10.0: one more place before the point */
				digits = 100;
				e++;
			}
			if (digits >= 100 && digits < 1000 && e <= 2) {
				char d[3] = { (char)('0' + digits / 100), (char)('0' + digits / 10 % 10),
					      (char)('0' + digits % 10) };
				size_t n = 0;
				out[n++] = v < 0 ? '-' : '+';
				if (e < 0) { /* 0.0ddd */
					out[n++] = '0';
					out[n++] = '.';
					for (int z = -1; z > e; z--)
						out[n++] = '0';
				}
				/* The digits, the point after digit e (when e >= 0). */
				int kept = 3;
				while (kept > 1 && d[kept - 1] == '0' && kept - 1 > e)
					kept--; /* trailing zeros of the fraction go */
				for (int i = 0; i < kept; i++) {
					out[n++] = d[i];
					if (i == e && i + 1 < kept)
						out[n++] = '.';
				}
				out[n] = '\0';
				return n;
			}
		}
	}
	int n = snprintf(out, size, "%+.3g", v);
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}
