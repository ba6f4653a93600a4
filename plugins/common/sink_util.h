/* sink_util.h: what the bundled sinks share: dates in the formats feeds
 * and mail need, which fields are the core ones, and replacing a file
 * atomically.  Linked into each sink plugin; not part of the ABI. */
#ifndef PW_SINK_UTIL_H
#define PW_SINK_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "mbuf.h"
#include "paperwire/plugin.h"

/* "Thu, 19 Nov 2026 18:00:00 +0000": English names whatever the locale,
 * as RFC 822 (RSS) and RFC 5322 (mail) want. */
void su_rfc822(int64_t t, char *out, size_t size);
/* "2026-11-19T18:00:00Z" (Atom, RFC 3339). */
void su_rfc3339(int64_t t, char *out, size_t size);

/* 1 for the fields a sink shows in its own layout (id, title, authors...);
 * everything else is an extension field (summary, translation...). */
int su_is_core_field(const char *name);

/* Scorer i of rec as every sink shows it: "keyword +6", "embedding +8.1":
 * its name and the points it added to the score (its value times its
 * weight, what counted), into out; its reason in *reason. */
void su_score_part(const pw_host *h, pw_instance *inst, const pw_record *rec, size_t i, char *out, size_t size,
                   const char **reason);

/* The whole score as every sink shows it, unescaped, appended to out:
 * "7.10 (keyword +6: \"RL\" in title; embedding +1.1: like \"...\")".
 * Each sink escapes it for its own format. */
void su_scores_text(const pw_host *h, pw_instance *inst, const pw_record *rec, mbuf *out);

/* 1 when url is an absolute http or https URL: the only ones a sink
 * turns into a link (javascript:, data:, file: never). */
int su_is_web_url(const char *url);

/* Text into HTML, as the email and the site write every field: & < > " '
 * escaped, a line break as <br>. */
void su_html_escape(mbuf *out, const char *text);

/* A web URL as a link's target: what may not stand in a URL (spaces, < >
 * " { } | \\ ^ `, bytes beyond ASCII) percent-encoded, the rest as it is;
 * into out.  Returns out, or NULL when it does not fit. */
const char *su_href(const char *url, char *out, size_t size);

/* Creates the directories path's file is to go in, as "mkdir -p" would.
 * Returns 0, or -1 with errno set. */
int su_make_parents(const char *path);

/* The whole file, NUL-terminated, or NULL when it is absent, unreadable
 * or longer than max bytes. */
char *su_read_file(const char *path, size_t max, size_t *len);

/* Writes data to a temporary file beside path (creating its directory when
 * missing), fsyncs it and renames it over path, with the permissions the
 * umask gives a new file.  A reader never sees half a file.  Returns 0, or
 * -1 with errno set. */
int su_replace_file(const char *path, const char *data, size_t len);

#endif
