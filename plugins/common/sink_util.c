/* sink_util.c: see sink_util.h. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paperwire/plugin.h"
#include "sink_util.h"
#include "url_encode.h"

void
su_rfc822(int64_t t, char *out, size_t size)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
su_rfc3339(int64_t t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int
su_is_core_field(const char *name)
{
	static const char *const core[] = {
		PW_F_ID,      PW_F_VERSION,     PW_F_TITLE,     PW_F_ABSTRACT, PW_F_AUTHORS,   PW_F_CATEGORIES,
		PW_F_PRIMARY, PW_F_URL,         PW_F_PDF_URL,   PW_F_SOURCE,   PW_F_ANNOUNCE,  PW_F_DOI,
		PW_F_COMMENT, PW_F_JOURNAL_REF, PW_T_PUBLISHED, PW_T_UPDATED,  "affiliations", NULL
	};
	for (size_t i = 0; core[i]; i++)
		if (strcmp(core[i], name) == 0)
			return 1;
	return 0;
}

int
su_is_web_url(const char *url)
{
	if (!url)
		return 0;
	size_t skip = strncasecmp(url, "https://", 8) == 0 ? 8 : strncasecmp(url, "http://", 7) == 0 ? 7 : 0;
	/* A host must follow, and no control character or space may hide anywhere. */
	if (!skip || !url[skip] || url[skip] == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

/* Temporary files of our own naming (PATH.tmp.XXXXXX, as mkstemp makes
 * them) that a run killed before its rename left behind.  Only one run
 * uses a store at a time, and a deployment's outputs are its own. */
static void
remove_stale_temporaries(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base);
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path) + (slash == path), path);
	else
		snprintf(dir, sizeof dir, ".");
	DIR *dh = opendir(dir);
	if (!dh)
		return;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL) {
		const char *n = e->d_name;
		if (strncmp(n, base, blen) != 0 || strncmp(n + blen, ".tmp.", 5) != 0 || strlen(n + blen + 5) != 6)
			continue;
		char full[8192];
		snprintf(full, sizeof full, "%s/%s", dir, n);
		unlink(full);
	}
	closedir(dh);
}

void
su_html_escape(mbuf *out, const char *text)
{
	for (const char *p = text; p && *p; p++) {
		switch (*p) {
		case '&': mbuf_puts(out, "&amp;"); break;
		case '<': mbuf_puts(out, "&lt;"); break;
		case '>': mbuf_puts(out, "&gt;"); break;
		case '"': mbuf_puts(out, "&quot;"); break;
		case '\'': mbuf_puts(out, "&#39;"); break;
		case '\n': mbuf_puts(out, "<br>"); break;
		default: mbuf_put(out, p, 1);
		}
	}
}

const char *
su_href(const char *url, char *out, size_t size)
{
	if (!size)
		return NULL;
	out[0] = '\0';
	/* RFC 3986's reserved characters and '%' (an escape already made). */
	return ue_append(out, size, url, ":/?#[]@!$&'()*+,;=%", 0) == 0 ? out : NULL;
}

int
su_make_parents(const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return -1;
	int rc = 0;
	/* Each prefix ending before a '/', from the top: "a", "a/b", ... */
	for (char *p = dir + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	int saved = errno;
	free(dir);
	errno = saved;
	return rc;
}

char *
su_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = malloc(max + 1);
	size_t n = data ? fread(data, 1, max + 1, f) : 0;
	int failed = !data || ferror(f) || n > max;
	fclose(f);
	if (failed) {
		free(data);
		return NULL;
	}
	data[n] = '\0';
	*len = n;
	return data;
}

int
su_replace_file(const char *path, const char *data, size_t len)
{
	if (su_make_parents(path) < 0)
		return -1;
	remove_stale_temporaries(path);
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return -1;
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	/* mkstemp makes the file 0600; a digest or a feed is meant to be read. */
	mode_t mask = umask(0);
	umask(mask);
	int failed = fchmod(fd, 0666 & ~mask) < 0;
	for (size_t off = 0; !failed && off < len;) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			failed = 1;
		else
			off += (size_t)n;
	}
	failed = failed || fsync(fd) < 0;
	int saved = errno;
	failed |= close(fd) != 0;
	failed = failed || rename(tmp, path) != 0;
	if (failed) {
		saved = errno ? errno : saved;
		unlink(tmp);
		errno = saved;
	}
	free(tmp);
	return failed ? -1 : 0;
}

void
su_score_part(const pw_host *h, pw_instance *inst, const pw_record *rec, size_t i, char *out, size_t size,
              const char **reason)
{
	double points = 0;
	*reason = NULL;
	const char *scorer = h->record_score_at(inst, rec, i, &points, reason);
	snprintf(out, size, "%s %+.3g", scorer ? scorer : "?", points);
	if (!*reason)
		*reason = "";
}

void
su_scores_text(const pw_host *h, pw_instance *inst, const pw_record *rec, mbuf *out)
{
	mbuf_printf(out, "%.2f", h->record_score(inst, rec));
	size_t n = h->record_score_count(inst, rec);
	for (size_t i = 0; i < n; i++) {
		char part[160];
		const char *reason;
		su_score_part(h, inst, rec, i, part, sizeof part, &reason);
		mbuf_printf(out, "%s%s: %s%s", i ? "; " : " (", part, reason, i + 1 == n ? ")" : "");
	}
}
