/* embed_doi.c: a DOI of the profile, the negatives or the ratings, looked
 * up on OpenAlex (a singleton GET /works/doi:..., free with a key) for its
 * title, abstract (rebuilt from OpenAlex's inverted index) and year. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../common/json_text.h"
#include "../common/openalex.h"
#include "../common/url_encode.h"
#include "embedding.h"

/* Copies s to out (which has room) with tabs and line breaks as spaces. */
static void
flatten_into(char *out, const char *s)
{
	for (; *s; s++)
		*out++ = *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s;
	*out = '\0';
}

int
doi_lookup(const pw_host *h, pw_instance *inst, const struct embedding *e, const char *doi, const char *cache_key,
           profile *into)
{
	char url[2048];
	snprintf(url, sizeof url, "%s/works/doi:", e->openalex_api);
	ue_append(url, sizeof url, doi, "/", 0);
	snprintf(url + strlen(url), sizeof url - strlen(url),
	         "?select=id,display_name,publication_year,"
	         "abstract_inverted_index");
	if (e->openalex_key && *e->openalex_key) {
		snprintf(url + strlen(url), sizeof url - strlen(url), "&api_key=");
		ue_append(url, sizeof url, e->openalex_key, "", 0);
	}
	pw_response *resp = NULL;
	if (h->http_get(inst, url, 0, &resp) != PW_OK)
		return -1; /* the host said why */
	long code = h->response_code(inst, resp);
	size_t len;
	const char *body = h->response_body(inst, resp, &len);
	cJSON *work = code == 200 && body ? jt_parse(body, len, NULL) : NULL;
	int rc = 0;
	if (code == 404) {
		h->log(inst, PW_LOG_WARNING, "OpenAlex knows no work with the DOI %s: it is left out", doi);
	} else if (code != 200) {
		h->log(inst, PW_LOG_WARNING, "DOI %s: HTTP %ld from OpenAlex (asked again next run)", doi, code);
		rc = -1;
	} else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(work, "display_name"))) {
		h->log(inst, PW_LOG_WARNING, "DOI %s: OpenAlex's answer has no title (asked again next run)", doi);
		rc = -1;
	} else {
		const cJSON *year = cJSON_GetObjectItemCaseSensitive(work, "publication_year");
		char *abstract = oa_abstract(cJSON_GetObjectItemCaseSensitive(work, "abstract_inverted_index"));
		const char *title = cJSON_GetObjectItemCaseSensitive(work, "display_name")->valuestring;
		size_t size = strlen(title) + (abstract ? strlen(abstract) : 0) + 32;
		char *line = malloc(size);
		rc = -1;
		if (line) {
			/* The cache's form, as the arXiv lookups keep theirs: year,
			 * title and abstract between tabs, so none inside them. */
			int at = snprintf(line, size, "%d\t", cJSON_IsNumber(year) ? year->valueint : 0);
			flatten_into(line + at, title);
			strcat(line, "\t");
			flatten_into(line + strlen(line), abstract ? abstract : "");
			h->cache_put(inst, cache_key, line);
			rc = profile_add_cached(into, line);
		}
		free(line);
		free(abstract);
	}
	cJSON_Delete(work);
	h->response_free(inst, resp);
	return rc;
}
