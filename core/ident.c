/* ident.c: one paper found under several spellings must merge into one
 * record, so every id is reduced to one form before it is compared. */
#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "text.h"

static const char *const ident_prefixes[] = { "https://arxiv.org/abs/",
	                                      "http://arxiv.org/abs/",
	                                      "https://arxiv.org/pdf/",
	                                      "http://arxiv.org/pdf/",
	                                      "https://export.arxiv.org/abs/",
	                                      "http://export.arxiv.org/abs/",
	                                      "https://doi.org/10.48550/arxiv.",
	                                      "http://doi.org/10.48550/arxiv.",
	                                      "https://dx.doi.org/10.48550/arxiv.",
	                                      "doi:10.48550/arxiv.",
	                                      "10.48550/arxiv.",
	                                      "oai:arxiv.org:",
	                                      "arxiv:",
	                                      NULL };

static size_t
count_digits(const char *s)
{
	size_t n = 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/* Parses an optional "vN" at s; returns chars consumed, or -1 if s holds
 * anything else (a trailing ".pdf" is tolerated). */
static int
parse_version(const char *s, int *version)
{
	*version = 0;
	if (*s == '\0')
		return 0;
	if (*s != 'v' && *s != 'V')
		return strcmp(s, ".pdf") == 0 ? 0 : -1;
	size_t n = count_digits(s + 1);
	if (n == 0 || n > 4)
		return -1;
	*version = atoi(s + 1);
	if (s[1 + n] != '\0' && strcmp(s + 1 + n, ".pdf") != 0)
		return -1;
	return (int)(1 + n);
}

/* New style: YYMM.NNNN or YYMM.NNNNN. */
static int
match_new_style(const char *s, char *out, size_t out_size, int *version)
{
	if (count_digits(s) != 4 || s[4] != '.')
		return -1;
	size_t n = count_digits(s + 5);
	if (n != 4 && n != 5)
		return -1;
	if (parse_version(s + 5 + n, version) < 0)
		return -1;
	if (5 + n + 1 > out_size)
		return -1;
	memcpy(out, s, 5 + n);
	out[5 + n] = '\0';
	return 0;
}

/* Old style: archive[.SC]/YYMMNNN; the subject class is dropped. */
static int
match_old_style(const char *s, char *out, size_t out_size, int *version)
{
	const char *slash = strchr(s, '/');
	if (!slash || slash == s)
		return -1;
	size_t archive_len = 0;
	while (s + archive_len < slash && (isalpha((unsigned char)s[archive_len]) || s[archive_len] == '-'))
		archive_len++;
	if (archive_len == 0)
		return -1;
	if (s + archive_len != slash) {
		/* ".SC": two letters of subject class */
		const char *sc = s + archive_len;
		if (!(sc[0] == '.' && isalpha((unsigned char)sc[1]) && isalpha((unsigned char)sc[2]) &&
		      sc + 3 == slash))
			return -1;
	}
	if (count_digits(slash + 1) != 7)
		return -1;
	if (parse_version(slash + 8, version) < 0)
		return -1;
	if (archive_len + 1 + 7 + 1 > out_size)
		return -1;
	for (size_t i = 0; i < archive_len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[archive_len] = '/';
	memcpy(out + archive_len + 1, slash + 1, 7);
	out[archive_len + 8] = '\0';
	return 0;
}

int
ident_canonical(const char *raw, char *out, size_t out_size, int *version)
{
	int v = 0;
	const char *s = raw;

	if (version)
		*version = 0;
	if (!raw || out_size == 0)
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -1;
	/* The first byte, case folded (| 0x20 leaves a match a match), passes
	 * over most prefixes without a call: a bare id is checked 13 times. */
	for (size_t i = 0; ident_prefixes[i]; i++) {
		if ((*s | 0x20) == (ident_prefixes[i][0] | 0x20) && txt_has_prefix_ci(s, ident_prefixes[i])) {
			s += strlen(ident_prefixes[i]);
			break;
		}
	}
	/* Copy without trailing white space. */
	char buf[512];
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';

	if (match_new_style(buf, out, out_size, &v) == 0 || match_old_style(buf, out, out_size, &v) == 0) {
		if (version)
			*version = v;
		return 0;
	}
	if (n + 1 > out_size)
		return -1;
	/* DOIs are case-insensitive: fold so that two spellings meet. */
	const char *doi = buf;
	if (txt_has_prefix_ci(doi, "https://doi.org/"))
		doi += strlen("https://doi.org/");
	else if (txt_has_prefix_ci(doi, "doi:"))
		doi += 4;
	if (strncmp(doi, "10.", 3) == 0 && strchr(doi, '/')) {
		size_t i;
		for (i = 0; doi[i]; i++)
			out[i] = (char)tolower((unsigned char)doi[i]);
		out[i] = '\0';
		return 0;
	}
	memcpy(out, buf, n + 1);
	return 0;
}

int
ident_is_arxiv(const char *id)
{
	char tmp[64];
	int v;
	if (!id || strlen(id) >= sizeof tmp)
		return 0;
	return match_new_style(id, tmp, sizeof tmp, &v) == 0 || match_old_style(id, tmp, sizeof tmp, &v) == 0;
}

int
ident_classify(const char *raw, char *out, size_t out_size, int *version)
{
	int v = 0;
	if (!raw || !out || ident_canonical(raw, out, out_size, &v) < 0)
		return -1;
	if (version)
		*version = v;
	return ident_is_arxiv(out);
}
