/* http.h: the host's one polite HTTP client (libcurl).
 *
 * Errors: http_request returns -1 (transient) or HTTP_PERMANENT with the
 * reason in the caller's err buffer, the URL first; it logs only retries
 * (warnings) and, with -v, each request.  A status code is not an error
 * here: the caller judges a 404 or a 503. */
#ifndef PW_HTTP_H
#define PW_HTTP_H

#include <stddef.h>

#include "paperwire/plugin.h"
#include "store.h"

typedef struct http_options {
	const char *contact;    /* put in the User-Agent */
	long connect_timeout;   /* seconds */
	long timeout;           /* seconds, whole transfer */
	int retries;            /* after the first try */
	size_t max_bytes;       /* size cap of one body */
	double backoff_base;    /* seconds; doubled each retry without Retry-After */
	double max_retry_after; /* a longer Retry-After fails the request instead */
	double default_spacing; /* seconds between two requests to one remote host */
	int spacing_set;        /* set in the config: loopback hosts are spaced too */
} http_options;

void http_default_options(http_options *o);

typedef struct http_client http_client;

struct pw_response {
	long code;  /* 200, 304, ...; file:// answers 200 */
	char *body; /* NUL-terminated; len excludes the NUL; NULL when spooled */
	int fd;     /* PW_HTTP_SPOOL: the unlinked file holding the body, else -1 */
	size_t len;
	/* Every header of the final answer, "Name: value" each (redirects and
	 * interim answers left out): read them with http_response_header. */
	char **headers;
	size_t nheaders;
	int attempts; /* 1 + retries taken */
};

/* The value of the header name (any case) in r's final answer, the last
 * one when repeated; NULL when absent. */
const char *http_response_header(const pw_response *r, const char *name);

/* store may be NULL (no conditional GET). */
http_client *http_new(const http_options *opt, pw_store *store);
void http_free(http_client *c);

/* GET url.  Returns 0 with *out set for any HTTP answer that is final after
 * retries (the caller reads the code), -1 with err set when no answer came
 * (connection, timeout, size cap, protocol refused). */
int http_get(http_client *c, const char *url, unsigned flags, pw_response **out, char *err, size_t err_size);
void http_response_free(pw_response *r);

/* Any method, with extra headers ("Name: value", NULL-terminated) and an
 * optional body (sent as POST unless method says otherwise). */
typedef struct http_req {
	const char *method;
	const char *url;
	const char *const *headers;
	const char *body;
	size_t body_len;
	unsigned flags;
} http_req;

/* 0 with *out set (any HTTP status: the caller judges a 404 or a 503);
 * -1 when asking again later may work (a timeout, a dropped or refused
 * connection, an interrupted run); HTTP_PERMANENT when it cannot (a bad or
 * unsupported URL, a missing file:// file, a refused redirect, a body over
 * the cap).  err says which. */
#define HTTP_PERMANENT (-2)
int http_request(http_client *c, const http_req *req, pw_response **out, char *err, size_t err_size);

/* Validators seen on 200 answers are held back until the run has saved
 * what it fetched: a crash must not leave an ETag that hides papers. */
int http_commit_validators(http_client *c, pw_store *store);

/* Seconds to wait before the next request to url's host (for tests). */
double http_spacing_for(const http_client *c, const char *url);

#endif
