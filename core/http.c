/* http.c: every plugin's requests go through here, so politeness (spacing,
 * backoff, identification) and limits (time, size, protocols) are enforced
 * once, for all of them. */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "clock.h"
#include "closer.h"
#include "http.h"
#include "interrupt.h"
#include "log.h"

#define HTTP_MAX_HOSTS 32
/* libcurl's receive buffer (its largest is 10 MiB, its default 16 KiB). */
#define HTTP_BUFFER_BYTES (256L * 1024)
/* A spooled body from this size is closed beside the run (closer.h). */
#define HTTP_CLOSE_BESIDE_BYTES (8 << 20)

struct host_clock {
	char key[128];
	double last;       /* monotonic seconds of the last request's end */
	double not_before; /* monotonic: a server's Backoff holds requests until then */
};

struct pending_validator {
	char *url, *etag, *last_modified;
};

struct http_client {
	CURL *curl;
	http_options opt;
	pw_store *store;
	char user_agent[256];
	struct host_clock hosts[HTTP_MAX_HOSTS];
	size_t nhosts;
	struct pending_validator *pending;
	size_t npending;
};

struct body_buf {
	char *data;
	size_t len, cap, max;
	int over_cap;
	int fd;        /* spooled: the body goes here instead of data */
	size_t staged; /* spooled: bytes in data not yet written to fd */
	int write_failed;
};

void
http_default_options(http_options *o)
{
	o->contact = NULL;
	o->connect_timeout = 20;
	o->timeout = 180;
	o->retries = 4;
	o->max_bytes = 256u * 1024 * 1024;
	o->backoff_base = 2.0;
	o->max_retry_after = 600;
	o->default_spacing = 1.0;
	o->spacing_set = 0;
}

static void
sleep_seconds(double s)
{
	if (s <= 0)
		return;
	struct timespec ts = { (time_t)s, (long)((s - floor(s)) * 1e9) };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !interrupt_pending())
		;
}

http_client *
http_new(const http_options *opt, pw_store *store)
{
	http_client *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->opt = *opt;
	c->store = store;
	c->curl = curl_easy_init();
	if (!c->curl) {
		free(c);
		return NULL;
	}
	if (opt->contact && *opt->contact)
		snprintf(c->user_agent, sizeof c->user_agent, "paperwire/%s (+%s; mailto:%s)", PACKAGE_VERSION,
		         PACKAGE_BUGREPORT, opt->contact);
	else
		snprintf(c->user_agent, sizeof c->user_agent, "paperwire/%s (+%s)", PACKAGE_VERSION, PACKAGE_BUGREPORT);
	return c;
}

static void
free_pending(http_client *c)
{
	for (size_t i = 0; i < c->npending; i++) {
		free(c->pending[i].url);
		free(c->pending[i].etag);
		free(c->pending[i].last_modified);
	}
	free(c->pending);
	c->pending = NULL;
	c->npending = 0;
}

void
http_free(http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->curl);
	free_pending(c);
	free(c);
}

static void
free_headers(pw_response *r)
{
	while (r->nheaders > 0)
		free(r->headers[--r->nheaders]);
	free(r->headers);
	r->headers = NULL;
}

const char *
http_response_header(const pw_response *r, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = r ? r->nheaders : 0; i-- > 0;)
		if (strncasecmp(r->headers[i], name, n) == 0 && r->headers[i][n] == ':')
			return r->headers[i] + n + 2;
	return NULL;
}

void
http_response_free(pw_response *r)
{
	if (!r)
		return;
	free(r->body);
	if (r->fd >= 0 && r->len >= HTTP_CLOSE_BESIDE_BYTES)
		close_beside_the_run(r->fd);
	else if (r->fd >= 0)
		close(r->fd);
	free_headers(r);
	free(r);
}

/* arXiv's API, RSS and OAI-PMH hosts share one budget: one request every
 * 3 s, as its terms of use ask, counted together.  Other remote hosts get
 * the configured spacing; this machine (loopback: a local model server, a
 * test server) and file:// need none unless `spacing` is set explicitly. */
static int
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 || strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0;
}

static void
host_key(const char *url, char *key, size_t size, double *spacing, const http_options *opt)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	const char *at = strpbrk(h, "@/?#");
	if (at && *at == '@')
		h = at + 1; /* user:password@host */
	size_t n = *h == '[' ? strcspn(h, "]/?#") + (strchr(h, ']') ? 1 : 0) : strcspn(h, "/:?#");
	if (n >= size)
		n = size - 1;
	for (size_t i = 0; i < n; i++)
		key[i] = (char)tolower((unsigned char)h[i]);
	key[n] = '\0';
	*spacing = opt->default_spacing;
	size_t kl = strlen(key);
	if (strcmp(key, "arxiv.org") == 0 || (kl > 10 && strcmp(key + kl - 10, ".arxiv.org") == 0)) {
		snprintf(key, size, "arxiv.org");
		*spacing = 3.0;
	} else if (strncmp(url, "file:", 5) == 0 || (is_loopback(key) && !opt->spacing_set)) {
		*spacing = 0;
	}
}

static struct host_clock *
clock_for(http_client *c, const char *key)
{
	for (size_t i = 0; i < c->nhosts; i++)
		if (strcmp(c->hosts[i].key, key) == 0)
			return &c->hosts[i];
	size_t slot = c->nhosts < HTTP_MAX_HOSTS ? c->nhosts++ : HTTP_MAX_HOSTS - 1;
	snprintf(c->hosts[slot].key, sizeof c->hosts[slot].key, "%s", key);
	c->hosts[slot].last = -1e9;
	c->hosts[slot].not_before = 0;
	return &c->hosts[slot];
}

double
http_spacing_for(const http_client *c, const char *url)
{
	char key[128];
	double spacing;
	host_key(url, key, sizeof key, &spacing, &c->opt);
	return spacing;
}

static int
write_all(int fd, const char *p, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

/* What on_body gathered of a spooled body, written out. */
static int
spool_flush(struct body_buf *b)
{
	if (b->staged && write_all(b->fd, b->data, b->staged) < 0) {
		b->write_failed = 1;
		return -1;
	}
	b->staged = 0;
	return 0;
}

static size_t
on_body(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct body_buf *b = ud;
	size_t n = size * nmemb;
	/* The cap lives here too: CURLOPT_MAXFILESIZE does not see
	 * decompressed bytes in libcurl before 8.20. */
	if (b->len + n > b->max) {
		b->over_cap = 1;
		return 0;
	}
	if (b->fd >= 0) {
		/* libcurl hands a body over 16 KiB at a time: gathered, it goes
		 * to the spool in writes of HTTP_BUFFER_BYTES. */
		if (b->staged + n > HTTP_BUFFER_BYTES && spool_flush(b) < 0)
			return 0;
		if (!b->data && !(b->data = malloc(HTTP_BUFFER_BYTES)))
			return 0;
		if (n >= HTTP_BUFFER_BYTES) {
			if (write_all(b->fd, ptr, n) < 0) {
				b->write_failed = 1;
				return 0;
			}
		} else {
			memcpy(b->data + b->staged, ptr, n);
			b->staged += n;
		}
		b->len += n;
		return n;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *nd = realloc(b->data, cap);
		if (!nd)
			return 0;
		b->data = nd;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Keeps every header of the last answer (request -1: after redirects)
 * as "Name: value".  -1 when out of memory. */
static int
keep_headers(CURL *curl, pw_response *r)
{
	struct curl_header *h = NULL;
	while ((h = curl_easy_nextheader(curl, CURLH_HEADER, -1, h)) != NULL) {
		char **grown = realloc(r->headers, (r->nheaders + 1) * sizeof *grown);
		size_t len = strlen(h->name) + strlen(h->value) + 3;
		if (!grown)
			return -1;
		r->headers = grown;
		if (!(grown[r->nheaders] = malloc(len)))
			return -1;
		snprintf(grown[r->nheaders++], len, "%s: %s", h->name, h->value);
	}
	return 0;
}

static int
is_retryable_code(long code)
{
	return code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
}

static int
is_retryable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM: return 1;
	default: return 0;
	}
}

/* The URL under which validators are kept: with every secret (a key in
 * the query) masked, so that no key rests in the store; the request is
 * still matched, since the same key gives the same masked URL. */
static void
safe_url(const char *url, char *out, size_t size)
{
	snprintf(out, size, "%s", url);
	log_mask_secrets(out, size);
}

static struct curl_slist *
conditional_headers(http_client *c, const char *url, unsigned flags)
{
	struct curl_slist *hdrs = NULL;
	char *etag = NULL, *lm = NULL, line[1024], key[4096];
	if (!(flags & PW_HTTP_CONDITIONAL) || !c->store)
		return NULL;
	safe_url(url, key, sizeof key);
	if (store_validators_get(c->store, key, &etag, &lm) == 0) {
		if (etag) {
			snprintf(line, sizeof line, "If-None-Match: %s", etag);
			hdrs = curl_slist_append(hdrs, line);
		}
		if (lm) {
			snprintf(line, sizeof line, "If-Modified-Since: %s", lm);
			hdrs = curl_slist_append(hdrs, line);
		}
	}
	free(etag);
	free(lm);
	return hdrs;
}

static void
hold_validators(http_client *c, const char *url, const pw_response *r)
{
	const char *etag = http_response_header(r, "ETag"), *lm = http_response_header(r, "Last-Modified");
	if (!etag && !lm)
		return;
	struct pending_validator *np = realloc(c->pending, (c->npending + 1) * sizeof *np);
	if (!np)
		return;
	char key[4096];
	safe_url(url, key, sizeof key);
	c->pending = np;
	np[c->npending].url = strdup(key);
	np[c->npending].etag = etag ? strdup(etag) : NULL;
	np[c->npending].last_modified = lm ? strdup(lm) : NULL;
	c->npending++;
}

int
http_commit_validators(http_client *c, pw_store *store)
{
	int rc = 0;
	for (size_t i = 0; i < c->npending; i++)
		if (store_validators_put(store, c->pending[i].url, c->pending[i].etag, c->pending[i].last_modified) < 0)
			rc = -1;
	free_pending(c);
	return rc;
}

/* A request carries a secret when its URL or a header holds a value the
 * config marked as one (from ${ENV}, or an option named like a key), or a
 * header that is one by its name.  Such a request follows redirects only
 * within its origin: libcurl would send custom headers (x-api-key) and the
 * URL's query to any host a server names. */
static int
carries_secret(const http_req *req, const struct curl_slist *hdrs)
{
	static const char *const names[] = { "authorization:", "proxy-authorization:", "x-api-key:", "api-key:",
		                             "zotero-api-key:" };
	if (log_has_secret(req->url))
		return 1;
	for (; hdrs; hdrs = hdrs->next) {
		if (log_has_secret(hdrs->data))
			return 1;
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strncasecmp(hdrs->data, names[i], strlen(names[i])) == 0)
				return 1;
	}
	return 0;
}

/* scheme://host:port of url, lower case, or "" when it does not parse. */
static void
origin_of(const char *url, char *out, size_t size)
{
	char *scheme = NULL, *host = NULL, *port = NULL;
	CURLU *u = curl_url();
	out[0] = '\0';
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		snprintf(out, size, "%s://%s:%s", scheme, host, port);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

static void reset_response(pw_response *r, struct body_buf *b);

/* A transfer in progress ends when the run is interrupted (Ctrl-C):
 * a dead endpoint must not hold a run for its whole timeout. */
static int
on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)ud, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return interrupt_pending() ? 1 : 0;
}

/* One request to url.  Returns the CURLcode; fills r on an answer. */
static CURLcode
perform_once(http_client *c, const http_req *req, const char *url, struct curl_slist *hdrs, pw_response *r,
             struct body_buf *b, char *curl_err, int follow)
{
	CURL *h = c->curl;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->opt.connect_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->opt.timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->opt.max_bytes);
	/* A body arrives in pieces of this size (16 KiB by default): a 90 MB
	 * listing was 5,700 reads and as many writes into the spool. */
	curl_easy_setopt(h, CURLOPT_BUFFERSIZE, HTTP_BUFFER_BYTES);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(h, CURLOPT_MAXCONNECTS, 1L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	if (hdrs)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
	}
	if (req->method && strcmp(req->method, req->body ? "POST" : "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	curl_err[0] = '\0';
	CURLcode rc = curl_easy_perform(h);
	if (rc == CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		/* file:// has no status line: a read that worked is a 200. */
		r->code = code == 0 ? 200 : code;
		if (strncmp(url, "file:", 5) != 0 && keep_headers(h, r) < 0)
			return CURLE_OUT_OF_MEMORY;
	}
	return rc;
}

/* One attempt, redirects included.  A request that carries a secret
 * follows them itself, within its origin only: a redirect to another host
 * or port is refused (refused[] says where), and nothing is sent there. */
static CURLcode
attempt(http_client *c, const http_req *req, struct curl_slist *hdrs, pw_response *r, struct body_buf *b,
        char *curl_err, char *refused, size_t refused_size)
{
	if (!carries_secret(req, hdrs))
		return perform_once(c, req, req->url, hdrs, r, b, curl_err, 1);
	char url[4096], from[512], to[512];
	snprintf(url, sizeof url, "%s", req->url);
	origin_of(url, from, sizeof from);
	for (int hops = 0;; hops++) {
		CURLcode rc = perform_once(c, req, url, hdrs, r, b, curl_err, 0);
		char *location = NULL;
		if (rc != CURLE_OK || r->code < 300 || r->code > 399 ||
		    curl_easy_getinfo(c->curl, CURLINFO_REDIRECT_URL, &location) != CURLE_OK || !location)
			return rc;
		origin_of(location, to, sizeof to);
		if (!from[0] || strcmp(from, to) != 0) {
			snprintf(refused, refused_size,
			         "redirected to %s, another host or port than %s; not followed, "
			         "since the request carries a key meant only for %s",
			         to[0] ? to : "an unreadable address", from, from);
			return CURLE_OK;
		}
		if (hops == 5) {
			snprintf(refused, refused_size, "more than 5 redirects");
			return CURLE_OK;
		}
		snprintf(url, sizeof url, "%s", location);
		reset_response(r, b);
	}
}

/* A Retry-After or Backoff value: seconds, or an HTTP-date; fallback
 * when it is neither. */
static double
seconds_from(const char *value, double fallback)
{
	char *end;
	double s = strtod(value, &end);
	if (end != value && s >= 0)
		return s;
	curl_off_t t = curl_getdate(value, NULL);
	return t > 0 ? (double)(t - (curl_off_t)time(NULL)) : fallback;
}

static double
retry_delay(const http_client *c, const pw_response *r, int attempt_no, double spacing)
{
	double d = c->opt.backoff_base * pow(2.0, attempt_no - 1);
	const char *retry_after = r ? http_response_header(r, "Retry-After") : NULL;
	if (retry_after)
		d = seconds_from(retry_after, d);
	if (d < spacing)
		d = spacing;
	return d;
}

static void
reset_response(pw_response *r, struct body_buf *b)
{
	free_headers(r);
	r->code = 0;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = b->staged = 0;
	b->over_cap = 0;
	b->write_failed = 0;
	if (b->fd >= 0 && (ftruncate(b->fd, 0) < 0 || lseek(b->fd, 0, SEEK_SET) < 0))
		b->write_failed = 1;
}

/* An unlinked file for a spooled body: it vanishes with the descriptor. */
static int
spool_file(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/paperwire-body-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd >= 0) {
		unlink(path);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	return fd;
}

int
http_get(http_client *c, const char *url, unsigned flags, pw_response **out, char *err, size_t err_size)
{
	http_req req = { "GET", url, NULL, NULL, 0, flags };
	return http_request(c, &req, out, err, err_size);
}

/* -v: each request as it ends, with what it cost. */
static void
say_done(const http_req *req, const pw_response *r, double started)
{
	log_msg(PW_LOG_DEBUG, "http", "%s %s: HTTP %ld, %zu bytes in %.2f s%s", req->method, req->url, r->code, r->len,
	        clock_seconds() - started, r->attempts > 1 ? " (after retries)" : "");
}

int
http_request(http_client *c, const http_req *req, pw_response **out, char *err, size_t err_size)
{
	const char *url = req->url;
	unsigned flags = req->flags;
	char key[128], curl_err[CURL_ERROR_SIZE];
	double spacing;
	struct body_buf b = { NULL, 0, 0, c->opt.max_bytes, 0, -1, 0, 0 };
	pw_response *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r) {
		snprintf(err, err_size, "%s: out of memory", url);
		return -1;
	}
	r->fd = -1;
	if ((flags & PW_HTTP_SPOOL) && (b.fd = spool_file()) < 0) {
		snprintf(err, err_size, "%s: cannot create a temporary file for the body: %s", url, strerror(errno));
		free(r);
		return -1;
	}
	host_key(url, key, sizeof key, &spacing, &c->opt);
	struct host_clock *clk = clock_for(c, key);
	struct curl_slist *hdrs = req->body ? NULL : conditional_headers(c, url, flags);
	for (size_t i = 0; req->headers && req->headers[i]; i++) {
		/* A header value from a plugin must not smuggle in another line. */
		if (strpbrk(req->headers[i], "\r\n")) {
			snprintf(err, err_size, "%s: a request header contains a line break", url);
			curl_slist_free_all(hdrs);
			http_response_free(r);
			return HTTP_PERMANENT;
		}
		hdrs = curl_slist_append(hdrs, req->headers[i]);
	}
	double wait = 0, started = clock_seconds();
	int permanent = 0; /* asking again cannot help: a refused redirect, a bad URL, a missing file */

	for (int n = 1;; n++) {
		double since = clock_seconds() - clk->last;
		double pause = wait > spacing - since ? wait : spacing - since;
		double held = clk->not_before - clock_seconds();
		if (held > c->opt.max_retry_after) {
			snprintf(err, err_size,
			         "%s: not asked: %s asked to be left alone for %.0f s (Backoff), longer than the %.0f "
			         "s allowed",
			         url, key, held, c->opt.max_retry_after);
			goto fail;
		}
		if (held > pause) {
			log_msg(PW_LOG_INFO, "http", "waiting %.1f s before asking %s again, as it asked (Backoff)",
			        held, key);
			pause = held;
		} else if (pause > 0.05 && n == 1) {
			log_msg(PW_LOG_DEBUG, "http", "waiting %.1f s before asking %s again (%.0f s between requests)",
			        pause, key, spacing);
		}
		sleep_seconds(pause);
		if (interrupt_pending()) {
			snprintf(err, err_size, "%s: not asked: the run was interrupted", url);
			goto fail;
		}
		reset_response(r, &b);
		char refused[2048] = "";
		CURLcode rc = attempt(c, req, hdrs, r, &b, curl_err, refused, sizeof refused);
		if (b.fd >= 0 && spool_flush(&b) < 0 && rc == CURLE_OK)
			rc = CURLE_WRITE_ERROR;
		if (refused[0]) {
			snprintf(err, err_size, "%s: %s", url, refused);
			permanent = 1;
			goto fail;
		}
		clk->last = clock_seconds();
		r->attempts = n;
		/* Zotero's Backoff, on any answer: no request to that host before then. */
		const char *backoff = rc == CURLE_OK ? http_response_header(r, "Backoff") : NULL;
		if (backoff)
			clk->not_before = clk->last + seconds_from(backoff, 0);
		int last = n > c->opt.retries;
		if (rc == CURLE_OK && !is_retryable_code(r->code))
			break;
		if (b.write_failed) {
			snprintf(err, err_size, "%s: cannot write the body to a temporary file: %s", url,
			         strerror(errno));
			goto fail;
		}
		if (b.over_cap || rc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(err, err_size, "%s: the response is larger than the %zu-byte cap", url,
			         c->opt.max_bytes);
			permanent = 1;
			goto fail;
		}
		if (rc == CURLE_ABORTED_BY_CALLBACK) {
			snprintf(err, err_size, "%s: stopped: the run was interrupted", url);
			goto fail;
		}
		if (rc != CURLE_OK && (!is_retryable_curl(rc) || last)) {
			snprintf(err, err_size, "%s: %s%s%s", url, curl_easy_strerror(rc), curl_err[0] ? ": " : "",
			         curl_err);
			if (last && is_retryable_curl(rc))
				snprintf(err + strlen(err), err_size - strlen(err), " (after %d attempts)", n);
			permanent = !is_retryable_curl(rc);
			goto fail;
		}
		if (rc == CURLE_OK && last)
			break; /* a final 429/503: the caller sees the code */
		wait = retry_delay(c, rc == CURLE_OK ? r : NULL, n, spacing);
		if (wait > c->opt.max_retry_after) {
			if (rc == CURLE_OK)
				break;
			snprintf(err, err_size, "%s: asked to wait %.0f s, longer than the %.0f s allowed", url, wait,
			         c->opt.max_retry_after);
			goto fail;
		}
		if (rc == CURLE_OK)
			log_msg(PW_LOG_WARNING, "http", "%s: HTTP %ld, retry %d of %d in %.1f s", url, r->code, n,
			        c->opt.retries, wait);
		else
			log_msg(PW_LOG_WARNING, "http", "%s: %s, retry %d of %d in %.1f s", url, curl_easy_strerror(rc),
			        n, c->opt.retries, wait);
	}
	curl_slist_free_all(hdrs);
	if (b.fd >= 0) {
		free(b.data);
		r->fd = b.fd;
		r->len = b.len;
		if (lseek(r->fd, 0, SEEK_SET) < 0) {
			snprintf(err, err_size, "%s: cannot rewind the spooled body: %s", url, strerror(errno));
			http_response_free(r);
			return -1;
		}
		if (r->code == 200 && !req->body)
			hold_validators(c, url, r);
		say_done(req, r, started);
		*out = r;
		return 0;
	}
	if (!b.data) {
		b.data = calloc(1, 1);
		if (!b.data) {
			snprintf(err, err_size, "%s: out of memory", url);
			http_response_free(r);
			return -1;
		}
	}
	r->body = b.data;
	r->len = b.len;
	if (r->code == 200 && !req->body)
		hold_validators(c, url, r);
	say_done(req, r, started);
	*out = r;
	return 0;
fail:
	curl_slist_free_all(hdrs);
	free(b.data);
	if (b.fd >= 0)
		close(b.fd);
	http_response_free(r);
	return permanent ? HTTP_PERMANENT : -1;
}
