/* edit_distance.c: see edit_distance.h. */
#include <ctype.h>
#include <string.h>

#include "edit_distance.h"

size_t
ed_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *
ed_closest(const char *word, const char *const *names, size_t n, size_t max_edits)
{
	const char *best = NULL;
	size_t best_d = max_edits + 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = ed_distance(word, names[i]);
		if (d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

size_t
ed_typo_budget(const char *word)
{
	size_t budget = strlen(word) / 3;
	return budget < 1 ? 1 : budget > 3 ? 3 : budget;
}
