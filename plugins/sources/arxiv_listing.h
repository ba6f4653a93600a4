/* arxiv_listing.h: arXiv's daily RSS listing (rss.arxiv.org), and the
 * older RDF one, read as a stream straight into emit(). */
#ifndef PW_ARXIV_LISTING_H
#define PW_ARXIV_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

typedef struct listing_result {
	long items, emitted, skipped; /* skipped: announce types not asked for */
	char error[512];              /* the feed's own error, or the parse error */
	char weekday[4];              /* of the channel's pubDate: "Sat" */
	int64_t date;                 /* the channel's pubDate, -1 when absent */
} listing_result;

/* Where a record goes: h->emit, or a hook that holds it (the enrichment
 * pass).  Returns 0, or -1 to stop the read. */
typedef int (*listing_emit_fn)(void *ud, pw_record *rec);

/* Reads one listing body (fd >= 0, else body/len), emitting every item
 * whose announce type is in announce (NULL-terminated; "all" takes every
 * type).  Returns 0, or -1 with res->error set; the caller wraps the call
 * in emit_begin/emit_end so a failed body emits nothing. */
int listing_read(const pw_host *h, pw_instance *inst, int fd, const char *body, size_t len, const char *const *announce,
                 listing_result *res);
/* The same, handing each record to emit (NULL: h->emit). */
int listing_read_to(const pw_host *h, pw_instance *inst, int fd, const char *body, size_t len,
                    const char *const *announce, listing_emit_fn emit, void *emit_ud, listing_result *res);

/* 1 when announce (NULL-terminated; "all" takes every type) holds type. */
int listing_wants(const char *const *announce, const char *type);

/* "A (X, Y and Z), B and C" -> calls add for "A", "B", "C", with each
 * one's parenthesised affiliation (or NULL).  Exposed for tests. */
void listing_split_authors(const char *creators, void (*add)(void *ud, const char *name, const char *affil), void *ud);

#endif
