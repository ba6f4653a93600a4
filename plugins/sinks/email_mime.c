/* email_mime.c: see email_mime.h.  Every header built from paper data
 * passes through mime_header_text, which is what stops a title from
 * injecting a header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/base64.h"
#include "../common/utf8.h"
#include "email_mime.h"

void
mime_base64(mbuf *out, const char *data, size_t len)
{
	/* Lines of 76 characters: 57 bytes each. */
	for (size_t i = 0; i < len; i += 57) {
		b64_encode(out, data + i, len - i >= 57 ? 57 : len - i);
		mbuf_puts(out, "\r\n");
	}
}

void
mime_header_text(mbuf *out, const char *value, size_t name_len)
{
	/* First the clean text: no controls at all, white space collapsed. */
	mbuf clean = { 0 };
	int ascii = 1, space = 0;
	for (const unsigned char *p = (const unsigned char *)value; p && *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			space = clean.len > 0;
			continue;
		}
		if (*p == ' ') {
			space = clean.len > 0;
			continue;
		}
		if (space)
			mbuf_put(&clean, " ", 1);
		space = 0;
		if (*p >= 0x80)
			ascii = 0;
		mbuf_put(&clean, (const char *)p, 1);
	}
	if (!clean.s) {
		mbuf_free(&clean);
		return;
	}
	/* Plain ASCII that does not look like an encoded word stays as is,
	 * folded at spaces. */
	if (ascii && !strstr(clean.s, "=?")) {
		size_t col = name_len;
		const char *w = clean.s;
		while (*w) {
			size_t n = strcspn(w, " ");
			if (col + n + 1 > 78 && col > name_len) {
				mbuf_puts(out, "\r\n ");
				col = 1;
			} else if (w != clean.s) {
				mbuf_puts(out, " ");
				col++;
			}
			mbuf_put(out, w, n);
			col += n;
			w += n;
			while (*w == ' ')
				w++;
		}
		mbuf_free(&clean);
		return;
	}
	/* Encoded words of at most 45 bytes of text (60 of base64, 72 with
	 * the =?UTF-8?B?...?= frame), never splitting a character. */
	const char *p = clean.s, *end = clean.s + clean.len;
	int first = 1;
	while (p < end) {
		size_t take = 0;
		while (p + take < end) {
			size_t n = utf8_len((unsigned char)p[take]);
			if (take + n > 45)
				break;
			take += n;
		}
		if (take == 0)
			take = (size_t)(end - p);
		if (!first)
			mbuf_puts(out, "\r\n ");
		mbuf_puts(out, "=?UTF-8?B?");
		b64_encode(out, p, take);
		mbuf_puts(out, "?=");
		p += take;
		first = 0;
	}
	mbuf_free(&clean);
}

int
mime_address_ok(const char *addr)
{
	const char *at = addr ? strchr(addr, '@') : NULL;
	if (!at || at == addr || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (const char *p = addr; *p; p++)
		if ((unsigned char)*p <= 0x20 || strchr("<>,;\"()[]\\", *p) || *p == 0x7f)
			return 0;
	return 1;
}

void
mime_random_hex(char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	size_t n = (size - 1) / 2 + 1;
	FILE *f = fopen("/dev/urandom", "rb");
	if (n > sizeof raw)
		n = sizeof raw;
	if (!f || fread(raw, 1, n, f) != n) {
		/* No urandom: time and address still make ids unique enough. */
		unsigned long seed = (unsigned long)time(NULL) ^ (unsigned long)(size_t)out;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			raw[i] = (unsigned char)(seed >> 56);
		}
	}
	if (f)
		fclose(f);
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		out[o++] = hex[raw[i] >> 4];
		if (o + 1 < size)
			out[o++] = hex[raw[i] & 15];
	}
	out[o] = '\0';
}
