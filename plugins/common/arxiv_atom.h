/* arxiv_atom.h: the arXiv API's Atom pages, parsed in streaming mode. */
#ifndef PW_ARXIV_ATOM_H
#define PW_ARXIV_ATOM_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

typedef struct atom_page {
	long total_results; /* opensearch:totalResults, -1 when absent */
	long start_index;
	pw_record **records; /* parsed entries, owned until emitted or freed */
	size_t count;
	char error[512]; /* set when the page is the API's error entry */
} atom_page;

/* Parses one response body.  Returns 0 with page filled (records, or an API
 * error in page->error), or -1 with err set for XML that is malformed,
 * hostile (a DTD) or not an Atom feed.  On -1 no record is left behind. */
int atom_parse(const pw_host *host, pw_instance *inst, const char *body, size_t len, atom_page *page, char *err,
               size_t err_size);
void atom_page_free(const pw_host *host, pw_instance *inst, atom_page *page);

#endif
