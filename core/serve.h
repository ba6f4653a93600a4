/* serve.h: `paperwire serve`: the html sink's site on a local port, with
 * what a static page cannot do (ratings, a search of the whole store,
 * "more like this").  serve.c is the server (who may ask, which files);
 * serve_api.c answers the API. */
#ifndef PW_SERVE_H
#define PW_SERVE_H

#include <stddef.h>

#include "config.h"
#include "store.h"

typedef struct serve_options {
	const char *digest; /* --digest, or NULL */
	const char *listen; /* --listen ADDR, or NULL: 127.0.0.1 */
	long port;          /* --port; 0 picks a free one */
} serve_options;

/* Runs until SIGINT or SIGTERM; returns the exit status. */
int serve_command(const pw_config *cfg, const serve_options *opt);

/* An answer of the API: status and a JSON body (malloc'd). */
typedef struct serve_answer {
	unsigned status;
	char *json;
} serve_answer;

/* serve_api.c: GET api/session, api/search?q=, api/similar?id= and POST
 * api/rate, after serve.c has checked who asks.  arg(name) reads a query
 * argument. */
typedef struct serve_api {
	pw_store *store;
	const char *digest;
	const char *token; /* the page's token for POSTs */
} serve_api;

void serve_api_get(const serve_api *api, const char *path, const char *(*arg)(void *ctx, const char *name), void *ctx,
                   serve_answer *out);
void serve_api_rate(const serve_api *api, const char *body, size_t len, serve_answer *out);

#endif
