/* embed_arxiv.c: paper ids in the profile, the negatives and the ratings:
 * arXiv ids looked up through the host's polite HTTP client (arXiv's
 * 3-second rule holds) in batches of 100, DOIs one by one on OpenAlex
 * (embed_doi.c), each kept in the plugin's cache so that a run only asks
 * for new ones. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../common/canonical.h"
#include "../common/url_encode.h"
#include "../common/arxiv_atom.h"
#include "embedding.h"

#define ARXIV_BATCH 100

int
profile_arxiv_id(const pw_host *h, pw_instance *inst, const char *item, char *id, size_t size)
{
	return cn_id(h, inst, item, id, size, NULL) == 1;
}

int
profile_paper_id(const pw_host *h, pw_instance *inst, const char *item, char *id, size_t size)
{
	int arxiv = cn_id(h, inst, item, id, size, NULL);
	if (arxiv == 1)
		return 1;
	return arxiv == 0 && strncmp(id, "10.", 3) == 0 && strchr(id, '/') && !strchr(item, '\n') ? 2 : 0;
}

int
profile_add_cached(profile *into, const char *cached)
{
	/* "year\ttitle\tabstract" */
	char *copy = strdup(cached);
	if (!copy)
		return -1;
	char *t = strchr(copy, '\t'), *a = t ? strchr(t + 1, '\t') : NULL;
	int rc = -1;
	if (t && a) {
		*t++ = '\0';
		*a++ = '\0';
		rc = profile_add(into, t, a, atoi(copy));
	}
	free(copy);
	return rc;
}

/* "arxiv:2401.01234" or "doi:10.1145/abc" */
static void
cache_key(const char *id, char *key, size_t size)
{
	snprintf(key, size, "%s:%s", strncmp(id, "10.", 3) == 0 ? "doi" : "arxiv", id);
}

static int
fetch_batch(const pw_host *h, pw_instance *inst, const struct embedding *e, char *const *ids, size_t n, profile *into)
{
	size_t len = strlen(e->arxiv_api) + 64;
	for (size_t i = 0; i < n; i++)
		len += strlen(ids[i]) * 3 + 3;
	char *url = malloc(len);
	if (!url)
		return -1;
	snprintf(url, len, "%s%cid_list=", e->arxiv_api, strchr(e->arxiv_api, '?') ? '&' : '?');
	for (size_t i = 0; i < n; i++) {
		if (i)
			ue_append(url, len, ",", "", 0);
		ue_append(url, len, ids[i], "", 0);
	}
	size_t o = strlen(url);
	snprintf(url + o, len - o, "&start=0&max_results=%zu", n);
	pw_response *resp = NULL;
	char err[512];
	atom_page page;
	int rc = -1;
	if (h->http_get(inst, url, 0, &resp) != PW_OK)
		goto out;
	size_t blen;
	const char *body = h->response_body(inst, resp, &blen);
	if (h->response_code(inst, resp) != 200) {
		h->log(inst, PW_LOG_WARNING, "profile lookup: HTTP %ld from %s", h->response_code(inst, resp), url);
		goto out;
	}
	if (atom_parse(h, inst, body, blen, &page, err, sizeof err) < 0) {
		h->log(inst, PW_LOG_WARNING, "profile lookup: %s: %s", url, err);
		goto out;
	}
	for (size_t i = 0; i < page.count; i++) {
		const pw_record *r = page.records[i];
		const char *raw = h->record_get(inst, r, PW_F_ID);
		const char *abs = raw ? strstr(raw, "/abs/") : NULL;
		char id[128], key[160], value[65536];
		if (!abs || !profile_arxiv_id(h, inst, raw, id, sizeof id))
			continue;
		time_t t = (time_t)h->record_get_time(inst, r, PW_T_PUBLISHED);
		struct tm tm;
		gmtime_r(&t, &tm);
		const char *title = h->record_get(inst, r, PW_F_TITLE), *ab = h->record_get(inst, r, PW_F_ABSTRACT);
		snprintf(value, sizeof value, "%d\t%s\t%s", t > 0 ? tm.tm_year + 1900 : 0, title ? title : "",
		         ab ? ab : "");
		cache_key(id, key, sizeof key);
		h->cache_put(inst, key, value);
		profile_add_cached(into, value);
	}
	if (page.count < n)
		h->log(inst, PW_LOG_WARNING, "profile lookup: arXiv knows %zu of %zu ids", page.count, n);
	atom_page_free(h, inst, &page);
	rc = 0;
out:
	h->response_free(inst, resp);
	free(url);
	return rc;
}

int
profile_fetch_ids(const pw_host *h, pw_instance *inst, const struct embedding *e, char *const *ids, size_t n,
                  profile *into)
{
	char **missing = calloc(n + 1, sizeof *missing);
	size_t nmissing = 0;
	int rc = 0, doi_failed = 0;
	if (!missing)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char key[160];
		cache_key(ids[i], key, sizeof key);
		const char *cached = h->cache_get(inst, key);
		if (cached)
			profile_add_cached(into, cached);
		else if (strncmp(ids[i], "10.", 3) == 0)
			doi_failed |= doi_lookup(h, inst, e, ids[i], key, into) < 0;
		else
			missing[nmissing++] = ids[i];
	}
	for (size_t i = 0; i < nmissing && rc == 0; i += ARXIV_BATCH)
		rc = fetch_batch(h, inst, e, missing + i, nmissing - i < ARXIV_BATCH ? nmissing - i : ARXIV_BATCH,
		                 into);
	free(missing);
	return rc < 0 || doi_failed ? -1 : 0;
}
