/* embed_zotero.c: the reader's Zotero library as part of the profile,
 * read through the Zotero Web API v3 (or the desktop's local API, which
 * speaks the same) and kept in the plugin's cache in the store, so that a
 * run asks only for what changed since the last sync:
 *
 *   1. items/top?since=V (pages of 100, following the Link header), sent
 *      with If-Modified-Since-Version: V: a 304 ends the sync at once;
 *   2. items?since=V&format=versions&includeTrashed=1: every item changed
 *      since V; one held that step 1 did not return again left the scope
 *      (trashed, moved out of the collection, no longer a paper type);
 *   3. deleted?since=V: items deleted for good.
 *
 * The copy is written only when all three answered, with the version the
 * first page named, so a sync cut short is simply done again.  Backoff and
 * Retry-After are honoured by the host's client for every request. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../common/json_text.h"
#include "../common/url_encode.h"
#include "embedding.h"

/* What a reader's library holds that reads like a paper. */
#define ZOTERO_PAPER_TYPES \
	"journalArticle || preprint || conferencePaper || report || thesis || book || bookSection || manuscript"

/* The longest a sync follows Link headers: 100 pages of 100 items. */
#define ZOTERO_MAX_PAGES 1000

int
zotero_parse(const char *item, char *scope, size_t size, int *local, char *err, size_t err_size)
{
	static const char how[] = "write zotero:users/ID, zotero:groups/ID or zotero:local, optionally followed by "
	                          "/collections/KEY";
	if (strncmp(item, "zotero:", 7) != 0)
		return 0;
	const char *p = item + 7, *rest;
	*local = strncmp(p, "local", 5) == 0 && (p[5] == '\0' || p[5] == '/');
	if (*local) {
		rest = p + 5;
		snprintf(scope, size, "/users/0");
	} else {
		const char *kind = strncmp(p, "users/", 6) == 0    ? "users"
		                   : strncmp(p, "groups/", 7) == 0 ? "groups"
		                                                   : NULL;
		const char *id = kind ? p + strlen(kind) + 1 : NULL;
		size_t digits = 0;
		while (id && isdigit((unsigned char)id[digits]))
			digits++;
		if (!kind || digits == 0 || digits > 18) {
			snprintf(err, err_size, "\"%s\" names no Zotero library: %s", item, how);
			return -1;
		}
		snprintf(scope, size, "/%s/%.*s", kind, (int)digits, id);
		rest = id + digits;
	}
	if (*rest == '\0')
		return 1;
	/* Collection keys are 8 characters of Zotero's alphabet. */
	size_t n = 0;
	if (strncmp(rest, "/collections/", 13) == 0)
		while (isalnum((unsigned char)rest[13 + n]))
			n++;
	if (n != 8 || rest[13 + n] != '\0') {
		snprintf(err, err_size, "\"%s\": \"%s\" is not a collection: %s (KEY: its 8 letters and digits)", item,
		         rest, how);
		return -1;
	}
	snprintf(scope + strlen(scope), size - strlen(scope), "/collections/%s", rest + 13);
	return 1;
}

/* One library being synced. */
struct zlib {
	const pw_host *h;
	pw_instance *inst;
	const char *spec; /* as written in the profile, for messages */
	const char *base; /* "https://api.zotero.org" or the local API */
	const char *key;  /* NULL: none (public libraries, the local API) */
	int local;
	char prefix[64]; /* "/users/123" */
	char scope[128]; /* the prefix, or the prefix and "/collections/KEY" */
	cJSON *held;     /* {"version": V, "items": {KEY: [title, abstract, year]}} */
	char err[1024];  /* why the sync stopped */
};

/* GET url with the API's headers; since > 0 adds If-Modified-Since-Version.
 * The response, or NULL with z->err set; a status other than 200 or 304 is
 * an error with its meaning. */
static pw_response *
zotero_get(struct zlib *z, const char *url, int64_t since)
{
	char version_line[64], key_line[512];
	const char *headers[4] = { "Zotero-API-Version: 3", NULL, NULL, NULL };
	size_t n = 1;
	if (z->key && *z->key) {
		snprintf(key_line, sizeof key_line, "Zotero-API-Key: %s", z->key);
		headers[n++] = key_line;
	}
	if (since > 0) {
		snprintf(version_line, sizeof version_line, "If-Modified-Since-Version: %lld", (long long)since);
		headers[n++] = version_line;
	}
	pw_response *resp = NULL;
	if (z->h->http_request(z->inst, "GET", url, headers, NULL, 0, 0, &resp) != PW_OK) {
		snprintf(z->err, sizeof z->err, "%s did not answer (the log above says why)", z->base);
		return NULL;
	}
	long code = z->h->response_code(z->inst, resp);
	if (code == 200 || code == 304)
		return resp;
	if (code == 403 && z->local)
		snprintf(z->err, sizeof z->err,
		         "the local API refused (HTTP 403): turn on \"Allow other applications on this computer to "
		         "communicate with Zotero\" in Zotero's settings (Advanced)");
	else if (code == 403)
		snprintf(z->err, sizeof z->err, "the key was refused (HTTP 403): %s",
		         z->key && *z->key
		                 ? "give zotero_key a key with read access to this library "
		                   "(https://www.zotero.org/settings/keys)"
		                 : "no zotero_key is given, and only public libraries can be read without one");
	else if (code == 404)
		snprintf(z->err, sizeof z->err, "no such library or collection (HTTP 404)");
	else
		snprintf(z->err, sizeof z->err, "HTTP %ld from %s", code, url);
	z->h->response_free(z->inst, resp);
	return NULL;
}

/* The body as JSON of the wanted type, or NULL with z->err set. */
static cJSON *
body_json(struct zlib *z, pw_response *resp, int want_array, const char *what)
{
	size_t len;
	const char *body = z->h->response_body(z->inst, resp, &len);
	cJSON *j = body ? jt_parse(body, len, NULL) : NULL; /* an escaped NUL must not cut an abstract */
	if (!j || (want_array ? !cJSON_IsArray(j) : !cJSON_IsObject(j))) {
		snprintf(z->err, sizeof z->err, "%s: the answer is not a JSON %s", what,
		         want_array ? "array" : "object");
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

/* The rel="next" URL of a Link header, if it stays on the API's origin:
 * the key goes with every request, so a page elsewhere is not asked for. */
static int
next_link(const struct zlib *z, const char *link, char *out, size_t size)
{
	for (const char *p = link; p && (p = strchr(p, '<')) != NULL; p++) {
		const char *end = strchr(p, '>');
		if (!end)
			return 0;
		const char *rel = strstr(end, "rel=\"next\""), *comma = strchr(end, ',');
		if (rel && (!comma || rel < comma)) {
			size_t n = (size_t)(end - p - 1), b = strlen(z->base);
			if (n >= size || strncmp(p + 1, z->base, b) != 0 || (p[1 + b] != '/' && z->base[b - 1] != '/'))
				return 0;
			memcpy(out, p + 1, n);
			out[n] = '\0';
			return 1;
		}
	}
	return 0;
}

static int
year_of(const char *date)
{
	for (const char *p = date; p && *p; p++)
		if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
		    isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4])) {
			int y = atoi(p);
			if (y >= 1500 && y <= 2200)
				return y;
			p += 3;
		}
	return 0;
}

static const char *
data_string(const cJSON *data, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, name);
	return cJSON_IsString(v) ? v->valuestring : "";
}

struct sync_counts {
	size_t added, updated, removed;
};

/* Keeps one item of a page: [title, abstract, year] under its key. */
static int
keep_item(struct zlib *z, cJSON *items, const cJSON *item, cJSON *seen, struct sync_counts *counts)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(item, "data");
	const char *key = data_string(data, "key");
	const char *title = data_string(data, "title");
	if (!*key || !*title)
		return 0; /* nothing to learn from */
	cJSON *entry = cJSON_CreateArray();
	if (!entry)
		return -1;
	cJSON_AddItemToArray(entry, cJSON_CreateString(title));
	cJSON_AddItemToArray(entry, cJSON_CreateString(data_string(data, "abstractNote")));
	cJSON_AddItemToArray(entry, cJSON_CreateNumber(year_of(data_string(data, "date"))));
	*(cJSON_GetObjectItemCaseSensitive(items, key) ? &counts->updated : &counts->added) += 1;
	cJSON_DeleteItemFromObjectCaseSensitive(items, key);
	cJSON_AddItemToObject(items, key, entry);
	cJSON_AddTrueToObject(seen, key);
	return 0;
}

/* Step 1: the pages.  1 when the library changed (*version set), 0 on
 * 304, -1 on failure. */
static int
sync_pages(struct zlib *z, int64_t since, int64_t *version, cJSON *seen, struct sync_counts *counts)
{
	char url[2048];
	snprintf(url, sizeof url, "%s%s/items/top?format=json&limit=100&itemType=", z->base, z->scope);
	ue_append(url, sizeof url, ZOTERO_PAPER_TYPES, "", 0);
	if (since > 0)
		snprintf(url + strlen(url), sizeof url - strlen(url), "&since=%lld", (long long)since);
	cJSON *items = cJSON_GetObjectItemCaseSensitive(z->held, "items");
	for (int page = 0; page < ZOTERO_MAX_PAGES; page++) {
		pw_response *resp = zotero_get(z, url, page == 0 ? since : 0);
		if (!resp)
			return -1;
		if (z->h->response_code(z->inst, resp) == 304) {
			z->h->response_free(z->inst, resp);
			if (page == 0)
				return 0;
			snprintf(z->err, sizeof z->err, "page %d answered 304 (Not Modified)", page + 1);
			return -1;
		}
		if (page == 0) {
			const char *v = z->h->response_header(z->inst, resp, "Last-Modified-Version");
			*version = v ? strtoll(v, NULL, 10) : 0;
		}
		cJSON *arr = body_json(z, resp, 1, "items");
		const char *link = z->h->response_header(z->inst, resp, "Link");
		int more = link && next_link(z, link, url, sizeof url);
		z->h->response_free(z->inst, resp);
		if (!arr)
			return -1;
		const cJSON *item;
		int rc = 0;
		cJSON_ArrayForEach(item, arr)
			rc |= keep_item(z, items, item, seen, counts);
		cJSON_Delete(arr);
		if (rc < 0) {
			snprintf(z->err, sizeof z->err, "out of memory");
			return -1;
		}
		if (!more)
			return 1;
	}
	snprintf(z->err, sizeof z->err, "more than %d pages of items", ZOTERO_MAX_PAGES);
	return -1;
}

static void
drop_item(cJSON *items, const char *key, struct sync_counts *counts)
{
	if (cJSON_GetObjectItemCaseSensitive(items, key)) {
		cJSON_DeleteItemFromObjectCaseSensitive(items, key);
		counts->removed++;
	}
}

/* Steps 2 and 3: what left the scope, and what was deleted.  0 or -1. */
static int
sync_removals(struct zlib *z, int64_t since, const cJSON *seen, struct sync_counts *counts)
{
	char url[1024];
	cJSON *items = cJSON_GetObjectItemCaseSensitive(z->held, "items");
	snprintf(url, sizeof url, "%s%s/items?since=%lld&format=versions&includeTrashed=1", z->base, z->prefix,
	         (long long)since);
	pw_response *resp = zotero_get(z, url, 0);
	cJSON *changed = resp ? body_json(z, resp, 0, "item versions") : NULL;
	if (resp)
		z->h->response_free(z->inst, resp);
	if (!changed)
		return -1;
	const cJSON *c;
	cJSON_ArrayForEach(c, changed)
		if (!cJSON_GetObjectItemCaseSensitive(seen, c->string))
			drop_item(items, c->string, counts);
	cJSON_Delete(changed);

	snprintf(url, sizeof url, "%s%s/deleted?since=%lld", z->base, z->prefix, (long long)since);
	resp = zotero_get(z, url, 0);
	cJSON *deleted = resp ? body_json(z, resp, 0, "deleted") : NULL;
	if (resp)
		z->h->response_free(z->inst, resp);
	if (!deleted)
		return -1;
	const cJSON *k;
	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(deleted, "items"))
		if (cJSON_IsString(k))
			drop_item(items, k->valuestring, counts);
	cJSON_Delete(deleted);
	return 0;
}

static void
cache_key(const struct zlib *z, char *out, size_t size)
{
	snprintf(out, size, "zotero:%s%s", z->base, z->scope);
}

/* The copy of the last sync, or an empty one. */
static cJSON *
load_held(const struct zlib *z)
{
	char key[1024];
	cache_key(z, key, sizeof key);
	const char *text = z->h->cache_get(z->inst, key);
	cJSON *held = text ? cJSON_Parse(text) : NULL;
	if (held && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(held, "version")) &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(held, "items")))
		return held;
	cJSON_Delete(held);
	held = cJSON_CreateObject();
	if (held && (!cJSON_AddNumberToObject(held, "version", 0) || !cJSON_AddObjectToObject(held, "items"))) {
		cJSON_Delete(held);
		return NULL;
	}
	return held;
}

/* Syncs, then writes the copy.  1 changed, 0 unchanged, -1 failed. */
static int
sync_library(struct zlib *z, struct sync_counts *counts)
{
	int64_t since = (int64_t)cJSON_GetObjectItemCaseSensitive(z->held, "version")->valuedouble, version = 0;
	cJSON *seen = cJSON_CreateObject();
	if (!seen)
		return -1;
	int changed = sync_pages(z, since, &version, seen, counts);
	if (changed == 1 && since > 0 && sync_removals(z, since, seen, counts) < 0)
		changed = -1;
	cJSON_Delete(seen);
	if (changed != 1)
		return changed;
	cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(z->held, "version"), (double)version);
	char key[1024], *text = cJSON_PrintUnformatted(z->held);
	cache_key(z, key, sizeof key);
	if (!text || z->h->cache_put(z->inst, key, text) != PW_OK)
		z->h->log(z->inst, PW_LOG_WARNING,
		          "%s: the synced library could not be saved; the next run syncs again", z->spec);
	free(text);
	return 1;
}

/* The held items as profile documents; counts those without an abstract. */
static size_t
add_items(struct zlib *z, profile *into, size_t *without_abstract)
{
	size_t n = 0;
	const cJSON *entry;
	*without_abstract = 0;
	cJSON_ArrayForEach(entry, cJSON_GetObjectItemCaseSensitive(z->held, "items")) {
		const cJSON *t = cJSON_GetArrayItem(entry, 0), *a = cJSON_GetArrayItem(entry, 1),
		            *y = cJSON_GetArrayItem(entry, 2);
		if (!cJSON_IsString(t) || !cJSON_IsString(a))
			continue;
		if (!*a->valuestring)
			(*without_abstract)++;
		if (profile_add(into, t->valuestring, a->valuestring, cJSON_IsNumber(y) ? (int)y->valuedouble : 0) == 0)
			n++;
	}
	return n;
}

int
zotero_profile(const pw_host *h, pw_instance *inst, const struct embedding *e, const char *spec, profile *into)
{
	struct zlib z = { .h = h, .inst = inst, .spec = spec, .key = e->zotero_key };
	char scope[128];
	if (zotero_parse(spec, scope, sizeof scope, &z.local, z.err, sizeof z.err) != 1)
		return -1; /* refused at create */
	z.base = z.local ? e->zotero_local_api : e->zotero_api;
	snprintf(z.scope, sizeof z.scope, "%s", scope);
	const char *collection = strstr(scope, "/collections/");
	snprintf(z.prefix, sizeof z.prefix, "%.*s", (int)(collection ? collection - scope : (long)strlen(scope)),
	         scope);
	if (!(z.held = load_held(&z)))
		return -1;
	struct sync_counts counts = { 0, 0, 0 };
	int synced = sync_library(&z, &counts);
	size_t without, n = add_items(&z, into, &without);
	long long version = (long long)cJSON_GetObjectItemCaseSensitive(z.held, "version")->valuedouble;
	if (synced < 0 && version > 0)
		h->log(inst, PW_LOG_WARNING, "%s: not synced: %s; using the %zu items of the last sync (version %lld)",
		       spec, z.err, n, version);
	else if (synced < 0)
		h->log(inst, PW_LOG_WARNING, "%s: not read: %s; the rest of the profile is used", spec, z.err);
	else if (synced == 0)
		h->log(inst, PW_LOG_INFO, "%s: unchanged since version %lld (%zu items)", spec, version, n);
	else
		h->log(inst, PW_LOG_INFO, "%s: synced to version %lld: %zu new, %zu changed, %zu removed; %zu items",
		       spec, version, counts.added, counts.updated, counts.removed, n);
	if (synced >= 0 && n == 0)
		h->log(inst, PW_LOG_WARNING,
		       "%s: no item of a paper's type (journal article, preprint, conference paper, report, thesis, "
		       "book, chapter, manuscript) with a title: nothing of it is in the profile",
		       spec);
	else if (without)
		h->log(inst, PW_LOG_WARNING,
		       "%s: %zu of its %zu items have no abstract; they count by their title alone", spec, without, n);
	cJSON_Delete(z.held);
	return synced < 0 && version == 0 ? -1 : 0;
}
