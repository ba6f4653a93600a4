/* serve.c: see serve.h.  The server is GNU libmicrohttpd (Debian's
 * libmicrohttpd-dev): a small C library, maintained, that binds where it is
 * told, runs its own polling thread and caps connections, memory and time
 * per request; one thread answers every request, so the store's connection
 * is never shared between threads.
 *
 * Who may ask: on loopback (the default) only requests whose Host is this
 * server's (a page elsewhere cannot reach it by rebinding a name to
 * 127.0.0.1), and a POST only with the session's token and this server's
 * Origin (a page elsewhere cannot read the token: no CORS header is ever
 * sent).  Elsewhere (--listen ADDR) every request also needs the access key
 * printed at the start, in the URL once, then in a cookie. */
#include "autoconf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "log.h"
#include "pipeline.h"
#include "ratings_cmd.h"
#include "serve.h"

#define BODY_MAX   8192
#define KEY_COOKIE "paperwire_key"

static const char *const security_headers[][2] = {
	{ "Content-Security-Policy",
	  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
	  "form-action 'self'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Frame-Options", "DENY" },
};

struct server {
	serve_api api;
	int dir_fd; /* the site's directory */
	char token[65], key[65];
	int remote;
	char hosts[2][96];    /* Host values accepted on loopback */
	char origins[2][104]; /* Origin values accepted for a POST */
};

struct request {
	char *body;
	size_t len;
	int too_big;
};

static int
random_hex(char *out, size_t bytes)
{
	unsigned char raw[32];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || bytes > sizeof raw || read(fd, raw, bytes) != (ssize_t)bytes) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	for (size_t i = 0; i < bytes; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* Compares in time independent of where they differ. */
static int
same_secret(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (!a || strlen(a) != n)
		return 0;
	unsigned char diff = 0;
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(a[i] ^ b[i]);
	return diff == 0;
}

static enum MHD_Result
send_response(struct MHD_Connection *c, unsigned status, struct MHD_Response *r, const char *type, int no_store)
{
	if (!r)
		return MHD_NO;
	for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
		MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, no_store ? "no-store" : "no-cache");
	enum MHD_Result ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result
send_json(struct MHD_Connection *c, unsigned status, const char *json)
{
	struct MHD_Response *r =
	        MHD_create_response_from_buffer(strlen(json), (void *)(uintptr_t)json, MHD_RESPMEM_MUST_COPY);
	return send_response(c, status, r, "application/json; charset=utf-8", 1);
}

static enum MHD_Result
send_error(struct MHD_Connection *c, unsigned status, const char *message)
{
	char json[512];
	snprintf(json, sizeof json, "{\"error\":\"%s\"}", message); /* our own messages: no quotes in them */
	return send_json(c, status, json);
}

static const char *
content_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".html", "text/html; charset=utf-8" },
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".json", "application/json; charset=utf-8" },
		{ ".xml", "application/xml; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(dot, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

/* A file of the site's directory: a plain name (the site is flat), no
 * dot file, no symlink, a regular file. */
static enum MHD_Result
send_file(struct server *srv, struct MHD_Connection *c, const char *url)
{
	const char *name = strcmp(url, "/") == 0 ? "index.html" : url + 1;
	size_t n = strlen(name);
	int plain = n > 0 && n < 128 && name[0] != '.' &&
	            strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
	                         "WXYZ0123456789._-") == n;
	int fd = plain ? openat(srv->dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	struct stat st;
	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		return send_error(c, MHD_HTTP_NOT_FOUND,
		                  plain ? "no such page on this site" : "not a page of this site");
	/* MHD closes fd with the response. */
	return send_response(c, MHD_HTTP_OK, MHD_create_response_from_fd((size_t)st.st_size, fd), content_type(name),
	                     0);
}

static const char *
get_arg(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result
send_api(struct MHD_Connection *c, serve_answer *a)
{
	enum MHD_Result ok = send_json(c, a->status, a->json);
	free(a->json);
	return ok;
}

static int
our_origin(const struct server *srv, const char *origin)
{
	return origin && (strcmp(origin, srv->origins[0]) == 0 || strcmp(origin, srv->origins[1]) == 0);
}

/* Whoever asks: may they?  0 yes, else the answer was sent. */
static int
refused(struct server *srv, struct MHD_Connection *c, enum MHD_Result *sent)
{
	if (!srv->remote) {
		const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
		if (!host || (strcmp(host, srv->hosts[0]) != 0 && strcmp(host, srv->hosts[1]) != 0)) {
			*sent = send_error(c, 421,
			                   "this server answers to its own address only (127.0.0.1 or localhost)");
			return 1;
		}
		return 0;
	}
	const char *key = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "key");
	const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, KEY_COOKIE);
	if (same_secret(cookie, srv->key))
		return 0;
	if (!same_secret(key, srv->key)) {
		*sent = send_error(c, MHD_HTTP_FORBIDDEN,
		                   "this server needs its key: open the URL it printed when it started");
		return 1;
	}
	return 0;
}

static enum MHD_Result
handle_post(struct server *srv, struct MHD_Connection *c, const char *url, struct request *rq)
{
	const char *token = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Paperwire-Token");
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (strcmp(url, "/api/rate") != 0)
		return send_error(c, MHD_HTTP_NOT_FOUND, "the one thing to POST to is api/rate");
	if (!srv->remote && !our_origin(srv, origin))
		return send_error(c, MHD_HTTP_FORBIDDEN, "a rating must come from this server's own page (Origin)");
	if (!same_secret(token, srv->token))
		return send_error(c, MHD_HTTP_FORBIDDEN,
		                  "a rating needs the page's token (X-Paperwire-Token): reload the page");
	if (!type || strncmp(type, "application/json", 16) != 0)
		return send_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "send the rating as application/json");
	if (rq->too_big)
		return send_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "the body is over 8 KB");
	serve_answer a;
	serve_api_rate(&srv->api, rq->body, rq->len, &a);
	if (a.status == 200)
		log_msg(PW_LOG_INFO, "serve", "rating saved: %s", a.json);
	return send_api(c, &a);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
       const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *srv = cls;
	struct request *rq = *con_cls;
	if (!rq) {
		*con_cls = rq = calloc(1, sizeof *rq);
		return rq ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		if (rq->len + *upload_size > BODY_MAX) {
			rq->too_big = 1;
		} else {
			char *nb = realloc(rq->body, rq->len + *upload_size + 1);
			if (!nb)
				return MHD_NO;
			memcpy(nb + rq->len, upload, *upload_size);
			rq->body = nb;
			rq->len += *upload_size;
			nb[rq->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	enum MHD_Result sent;
	if (refused(srv, c, &sent))
		return sent;
	int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	int api = strncmp(url, "/api/", 5) == 0;
	struct MHD_Response *r = NULL;
	if (strcmp(method, "POST") == 0)
		return handle_post(srv, c, url, rq);
	if (!get) {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
		return send_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r, "text/plain", 1);
	}
	if (srv->remote && MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "key")) {
		/* The key in the URL once; a cookie from then on. */
		char cookie[160];
		snprintf(cookie, sizeof cookie, KEY_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/", srv->key);
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r) {
			MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, url);
		}
		return send_response(c, MHD_HTTP_SEE_OTHER, r, "text/plain", 1);
	}
	if (!api)
		return send_file(srv, c, url);
	serve_answer a;
	serve_api_get(&srv->api, url, get_arg, c, &a);
	return send_api(c, &a);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)c;
	(void)why;
	struct request *rq = *con_cls;
	if (rq)
		free(rq->body);
	free(rq);
	*con_cls = NULL;
}

/* The search index, before the first reader waits for it. */
static int
build_index(pw_store *store)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_search_ready(store) < 0) {
		log_msg(PW_LOG_ERROR, "serve", "%s", store_error(store));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_msg(PW_LOG_INFO, "serve", "indexed %ld stored papers for search in %.1f s", store_paper_count(store),
	        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}

/* The site's directory: the `dir` of the digest's html sink. */
static const char *
site_dir(const pw_config *cfg, const char *digest)
{
	for (size_t i = 0; i < cfg->ndigests; i++) {
		if (strcmp(cfg->digests[i].name, digest) != 0)
			continue;
		for (size_t s = 0; s < cfg->digests[i].nsinks; s++) {
			const cfg_instance *in = &cfg->digests[i].sinks[s];
			const cJSON *dir = cJSON_GetObjectItemCaseSensitive(in->node, "dir");
			if (strcmp(in->plugin, "html") == 0 && cJSON_IsString(dir))
				return dir->valuestring;
		}
	}
	return NULL;
}

static int
parse_listen(const char *addr, long port, struct sockaddr_storage *sa, int *beyond)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
	memset(sa, 0, sizeof *sa);
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		*beyond = (ntohl(v4->sin_addr.s_addr) >> 24) != 127;
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		*beyond = !IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
		return 0;
	}
	return -1;
}

static int
run_server(struct server *srv, const serve_options *opt, const char *listen)
{
	struct sockaddr_storage sa;
	int beyond = 0;
	/* --listen means "reachable from elsewhere": the key is needed, even
	 * on a loopback address (a tunnel or a proxy may lead there). */
	srv->remote = opt->listen != NULL;
	if (parse_listen(listen, opt->port, &sa, &beyond) < 0) {
		log_msg(PW_LOG_ERROR, "serve", "--listen %s: not an IPv4 or IPv6 address", listen);
		return PW_EXIT_USAGE;
	}
	/* Signals wait for sigwait below, in this thread only. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	unsigned flags =
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	struct MHD_Daemon *d =
	        MHD_start_daemon(flags, (uint16_t)opt->port, NULL, NULL, handle, srv, MHD_OPTION_SOCK_ADDR,
	                         (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	                         (size_t)65536, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (!d) {
		log_msg(PW_LOG_ERROR, "serve", "cannot listen on %s port %ld: %s", listen, opt->port,
		        errno ? strerror(errno) : "in use or not allowed?");
		return PW_EXIT_FAILED;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : (unsigned)opt->port;
	if (sa.ss_family == AF_INET6)
		snprintf(srv->hosts[0], sizeof srv->hosts[0], "[%s]:%u", listen, port);
	else
		snprintf(srv->hosts[0], sizeof srv->hosts[0], "%s:%u", listen, port);
	snprintf(srv->hosts[1], sizeof srv->hosts[1], "localhost:%u", port);
	for (int i = 0; i < 2; i++)
		snprintf(srv->origins[i], sizeof srv->origins[i], "http://%s", srv->hosts[i]);
	if (beyond)
		log_msg(PW_LOG_WARNING, "serve",
		        "LISTENING BEYOND THIS MACHINE on %s: anyone who can reach it and has the key can read the "
		        "site and rate papers; there is no TLS, so the key crosses the network in clear",
		        srv->hosts[0]);
	if (srv->remote)
		log_msg(PW_LOG_WARNING, "serve", "with --listen every request needs the key; open http://%s/?key=%s",
		        srv->hosts[0], srv->key);
	/* The line tests and people read the address from. */
	printf("serving %s on http://%s/ (digest %s; Ctrl-C stops)\n", "the site", srv->hosts[0], srv->api.digest);
	fflush(stdout);
	int sig = 0;
	sigwait(&stop, &sig);
	MHD_stop_daemon(d);
	log_msg(PW_LOG_INFO, "serve", "stopped by %s", sig == SIGINT ? "SIGINT" : "SIGTERM");
	return PW_EXIT_OK;
}

int
serve_command(const pw_config *cfg, const serve_options *opt)
{
	const char *digest = ratings_pick_digest(cfg, "serve", opt->digest);
	if (!digest)
		return PW_EXIT_USAGE;
	const char *dir = site_dir(cfg, digest);
	if (!dir) {
		log_msg(PW_LOG_ERROR, "serve",
		        "digest %s has no html sink: add {\"plugin\": \"html\", \"dir\": \"site\"} to its sinks and "
		        "run once",
		        digest);
		return PW_EXIT_USAGE;
	}
	struct server srv = { .dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) };
	if (srv.dir_fd < 0) {
		log_msg(PW_LOG_ERROR, "serve", "cannot open the site's directory %s: %s (has a run written it yet?)",
		        dir, strerror(errno));
		return PW_EXIT_USAGE;
	}
	char err[1024];
	int rc = PW_EXIT_STORE;
	srv.api.store = store_open_shared(cfg->store, err, sizeof err);
	srv.api.digest = digest;
	srv.api.token = srv.token;
	if (!srv.api.store)
		log_msg(PW_LOG_ERROR, "serve", "%s", err);
	else if (random_hex(srv.token, 32) < 0 || random_hex(srv.key, 32) < 0)
		log_msg(PW_LOG_ERROR, "serve", "cannot read /dev/urandom for the session's token");
	else if (build_index(srv.api.store) == 0)
		rc = run_server(&srv, opt, opt->listen ? opt->listen : "127.0.0.1");
	store_close(srv.api.store);
	close(srv.dir_fd);
	return rc;
}
