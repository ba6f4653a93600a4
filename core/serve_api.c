/* serve_api.c: the JSON API of `paperwire serve`.  Every answer is a JSON
 * object; an error is {"error": "what, and what to do"} with a 4xx (the
 * request) or 5xx (the store) status, never a crash. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ratings_cmd.h"
#include "record.h"
#include "serve.h"

#define RESULTS_MAX 50

static void
answer(serve_answer *out, unsigned status, cJSON *body)
{
	out->status = status;
	out->json = body ? cJSON_PrintUnformatted(body) : NULL;
	cJSON_Delete(body);
	if (!out->json) {
		out->status = 500;
		out->json = strdup("{\"error\":\"out of memory\"}");
	}
}

static void
fail(serve_answer *out, unsigned status, const char *message)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "error", message);
	answer(out, status, o);
}

static void
add_rating(void *ud, const char *id, int rating, int64_t rated_at, const pw_record *rec)
{
	(void)rated_at;
	(void)rec;
	cJSON_AddNumberToObject(ud, id, rating);
}

static void
session(const serve_api *api, serve_answer *out)
{
	cJSON *o = cJSON_CreateObject(), *ratings = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "token", api->token);
	cJSON_AddStringToObject(o, "digest", api->digest);
	cJSON_AddItemToObject(o, "ratings", ratings);
	if (store_ratings_each(api->store, api->digest, add_rating, ratings) < 0) {
		cJSON_Delete(o);
		fail(out, 503, store_error(api->store));
		return;
	}
	answer(out, 200, o);
}

/* A paper found, as the page lists it. */
static void
add_result(void *ud, const pw_record *rec)
{
	cJSON *o = cJSON_CreateObject(), *cats = cJSON_CreateArray();
	const char *fields[] = { PW_F_ID, PW_F_TITLE, PW_F_URL };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		cJSON_AddStringToObject(o, fields[i], rec_get(rec, fields[i]) ? rec_get(rec, fields[i]) : "");
	char authors[512] = "";
	for (size_t i = 0; i < rec_count(rec, PW_F_AUTHORS); i++)
		snprintf(authors + strlen(authors), sizeof authors - strlen(authors), "%s%s", i ? ", " : "",
		         rec_get_at(rec, PW_F_AUTHORS, i));
	cJSON_AddStringToObject(o, "authors", authors);
	for (size_t i = 0; i < rec_count(rec, PW_F_CATEGORIES); i++)
		cJSON_AddItemToArray(cats, cJSON_CreateString(rec_get_at(rec, PW_F_CATEGORIES, i)));
	cJSON_AddItemToObject(o, "categories", cats);
	cJSON_AddItemToArray(ud, o);
}

static void
found(const serve_api *api, int rc, cJSON *results, serve_answer *out)
{
	if (rc == -2) {
		cJSON_Delete(results);
		fail(out, 404, "the store has no such paper");
	} else if (rc < 0) {
		cJSON_Delete(results);
		fail(out, 503, store_error(api->store));
	} else {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddItemToObject(o, "results", results);
		answer(out, 200, o);
	}
}

void
serve_api_get(const serve_api *api, const char *path, const char *(*arg)(void *ctx, const char *name), void *ctx,
              serve_answer *out)
{
	if (strcmp(path, "/api/session") == 0) {
		session(api, out);
	} else if (strcmp(path, "/api/search") == 0) {
		const char *q = arg(ctx, "q");
		if (!q || strlen(q) > 500) {
			fail(out, 400, q ? "q: at most 500 characters" : "give the words to search for as ?q=");
			return;
		}
		cJSON *results = cJSON_CreateArray();
		found(api, store_search(api->store, q, RESULTS_MAX, add_result, results), results, out);
	} else if (strcmp(path, "/api/similar") == 0) {
		const char *id = arg(ctx, "id");
		char canon[128];
		if (!id || ratings_paper_id(id, canon, sizeof canon) < 0) {
			fail(out, 400, "give a paper as ?id= (an arXiv id or a DOI)");
			return;
		}
		cJSON *results = cJSON_CreateArray();
		found(api, store_similar(api->store, canon, RESULTS_MAX, add_result, results), results, out);
	} else {
		fail(out, 404, "no such API: there are api/session, api/search, api/similar and api/rate");
	}
}

void
serve_api_rate(const serve_api *api, const char *body, size_t len, serve_answer *out)
{
	cJSON *req = body ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(req, "id");
	const cJSON *rating = cJSON_GetObjectItemCaseSensitive(req, "rating");
	char canon[128];
	if (!cJSON_IsObject(req) || !cJSON_IsString(id) || !cJSON_IsNumber(rating)) {
		fail(out, 400, "the body must be a JSON object {\"id\": \"2401.01234\", \"rating\": 1, -1 or 0}");
	} else if (rating->valuedouble != 1 && rating->valuedouble != -1 && rating->valuedouble != 0) {
		fail(out, 400, "rating: 1 (like), -1 (dislike) or 0 (take the rating back)");
	} else if (ratings_paper_id(id->valuestring, canon, sizeof canon) < 0) {
		fail(out, 400, "id: neither an arXiv id nor a DOI");
	} else if (store_rating_set(api->store, api->digest, canon, (int)rating->valuedouble, (int64_t)time(NULL)) <
	           0) {
		fail(out, 503, store_error(api->store));
	} else {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", canon);
		cJSON_AddNumberToObject(o, "rating", rating->valuedouble);
		answer(out, 200, o);
	}
	cJSON_Delete(req);
}
