/* host.c: the service table.  Each service is a thin, defensive wrapper:
 * plugins are third-party code, so NULLs are tolerated and nothing they
 * pass is kept without a copy. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fields.h"
#include "host.h"
#include "ident.h"
#include "progress.h"
#include "interrupt.h"
#include "log.h"
#include "record.h"
#include "text.h"

static const char *
svc_instance_name(pw_instance *inst)
{
	return inst && inst->cfg ? inst->cfg->name : "?";
}

static void svc_log(pw_instance *inst, pw_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A plugin's error while it reads its options, as a config diagnostic:
 * at the option its message starts with ("max_results: ...",
 * "categories[1]: ..."), else at the instance. */
static void
option_error(pw_instance *inst, const char *msg)
{
	char key[128];
	size_t n = strcspn(msg, ":[ ");
	const char *rest = msg + n;
	if (n > 0 && n < sizeof key && (*rest == ':' || *rest == '[')) {
		memcpy(key, msg, n);
		key[n] = '\0';
		if (cJSON_GetObjectItemCaseSensitive(inst->cfg->node, key)) {
			if (*rest == '[') {
				size_t close = strcspn(rest, "]");
				if (rest[close] == ']' && close + 1 + n < sizeof key) {
					memcpy(key + n, rest, close + 1);
					key[n + close + 1] = '\0';
					rest += close + 1;
				}
			}
			if (*rest == ':') {
				rest += 1 + strspn(rest + 1, " ");
				cfg_report(inst->config, inst->diag, inst->cfg->path, key, "%s", rest);
				inst->diag_added = 1;
				return;
			}
		}
	}
	cfg_report(inst->config, inst->diag, inst->cfg->path, NULL, "%s", msg);
	inst->diag_added = 1;
}

static void
svc_log(pw_instance *inst, pw_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (level == PW_LOG_ERROR && inst->diag && inst->config && !inst->created) {
		char msg[1024];
		vsnprintf(msg, sizeof msg, fmt, ap);
		option_error(inst, msg);
	} else {
		log_vmsg(level, svc_instance_name(inst), fmt, ap);
	}
	va_end(ap);
}

static const char *
svc_config_string(pw_instance *inst, const char *key)
{
	return cfg_get_string(inst->cfg, key);
}

static int
svc_config_int(pw_instance *inst, const char *key, int64_t *out)
{
	return cfg_get_int(inst->cfg, key, out);
}

static int
svc_config_number(pw_instance *inst, const char *key, double *out)
{
	return cfg_get_number(inst->cfg, key, out);
}

static int
svc_config_bool(pw_instance *inst, const char *key, int *out)
{
	return cfg_get_bool(inst->cfg, key, out);
}

static int
svc_config_given(pw_instance *inst, const char *key)
{
	return cfg_given(inst->cfg, key);
}

static size_t
svc_config_list_count(pw_instance *inst, const char *key)
{
	return cfg_get_count(inst->cfg, key, 0);
}

static size_t
svc_config_map_count(pw_instance *inst, const char *key)
{
	return cfg_get_count(inst->cfg, key, 1);
}

static int
svc_canonical_id(pw_instance *inst, const char *raw, char *out, size_t size, int *version)
{
	return ident_classify(raw, out, size, version);
}

static pw_status
svc_field_declare(pw_instance *inst, const pw_field *field, size_t field_size)
{
	/* Scoped by the digest the instance works for (NULL: a source). */
	char err[1024];
	if (fields_declare(inst->digest, svc_instance_name(inst), field, field_size, err, sizeof err) == 0)
		return PW_OK;
	svc_log(inst, PW_LOG_ERROR, "%s", err);
	return PW_CONFIG_ERROR;
}

static pw_status
svc_ratings_each(pw_instance *inst,
                 void (*fn)(void *ud, const char *id, int rating, int64_t rated_at, const pw_record *rec), void *ud)
{
	if (!inst->store || !inst->digest)
		return PW_ERROR;
	if (store_ratings_each(inst->store, inst->digest, fn, ud) < 0) {
		svc_log(inst, PW_LOG_ERROR, "%s", store_error(inst->store));
		return PW_ERROR;
	}
	return PW_OK;
}

static pw_status
svc_rating_put(pw_instance *inst, const char *id, int rating)
{
	char canonical[512];
	int kind = id ? ident_classify(id, canonical, sizeof canonical, NULL) : -1;
	if (!inst->store || !inst->digest)
		return PW_ERROR;
	if (!(kind == 1 || (kind == 0 && strncmp(canonical, "10.", 3) == 0 && strchr(canonical, '/')))) {
		svc_log(inst, PW_LOG_WARNING, "rating: \"%.100s\" is neither an arXiv id nor a DOI; not recorded",
		        id ? id : "");
		return PW_ERROR;
	}
	if (store_rating_set(inst->store, inst->digest, canonical, rating, (int64_t)time(NULL)) < 0) {
		svc_log(inst, PW_LOG_ERROR, "%s", store_error(inst->store));
		return PW_ERROR;
	}
	return PW_OK;
}

static const pw_field *
svc_field_declaration(pw_instance *inst, const char *name)
{
	return fields_lookup(inst->digest, name);
}

/* Child i of parent; cJSON's own lookup walks from the first child each
 * time, which made a 100,000-term keyword list take 15 s to read. */
static const cJSON *
nth_child(pw_instance *inst, const cJSON *parent, size_t i)
{
	const cJSON *c = parent->child;
	size_t at = 0;
	if (inst->walk_parent == parent && inst->walk_child && inst->walk_index <= i) {
		c = inst->walk_child;
		at = inst->walk_index;
	}
	for (; c && at < i; at++)
		c = c->next;
	inst->walk_parent = parent;
	inst->walk_child = c;
	inst->walk_index = at;
	return c;
}

static const char *
svc_config_list_at(pw_instance *inst, const char *key, size_t i)
{
	const cJSON *v = cfg_option(inst->cfg, key);
	const cJSON *e = cJSON_IsArray(v) ? nth_child(inst, v, i) : NULL;
	return cJSON_IsString(e) ? e->valuestring : NULL;
}

static const char *
svc_config_map_at(pw_instance *inst, const char *key, size_t i, double *value)
{
	const cJSON *v = cfg_option(inst->cfg, key);
	const cJSON *e = cJSON_IsObject(v) ? nth_child(inst, v, i) : NULL;
	if (!e)
		return NULL;
	if (value)
		*value = cJSON_IsNumber(e) ? e->valuedouble : 0;
	return e->string;
}

static pw_record *
svc_record_new(pw_instance *inst)
{
	return rec_new();
}

static void
svc_record_free(pw_instance *inst, pw_record *rec)
{
	rec_free(rec);
}

static void svc_report_count(pw_instance *inst, const char *counter, int64_t delta);

/* Text a plugin sets is cleaned the same way whatever parser it came
 * from; what the cleaning replaced or dropped is counted in the run
 * report as the instance's "invalid text". */
static void
count_invalid(pw_instance *inst, long before)
{
	long delta = txt_invalid_total() - before;
	if (delta > 0)
		svc_report_count(inst, "invalid text", delta);
}

/* Text into a record through put (rec_set or rec_add), counting the
 * invalid bytes the cleaning replaced. */
static pw_status
put_text(pw_instance *inst, pw_record *rec, const char *field, const char *value,
         int (*put)(pw_record *rec, const char *field, const char *value))
{
	long before = txt_invalid_total();
	int rc = rec ? put(rec, field, value) : -1;
	count_invalid(inst, before);
	return rc == 0 ? PW_OK : PW_ERROR;
}

static pw_status
svc_record_set(pw_instance *inst, pw_record *rec, const char *field, const char *value)
{
	return put_text(inst, rec, field, value, rec_set);
}

static pw_status
svc_record_add(pw_instance *inst, pw_record *rec, const char *field, const char *value)
{
	return put_text(inst, rec, field, value, rec_add);
}

static pw_status
svc_record_set_time(pw_instance *inst, pw_record *rec, const char *field, int64_t t)
{
	return rec && field && rec_set_time(rec, field, t) == 0 ? PW_OK : PW_ERROR;
}

static const char *
svc_record_get(pw_instance *inst, const pw_record *rec, const char *field)
{
	return rec && field ? rec_get(rec, field) : NULL;
}

static size_t
svc_record_count(pw_instance *inst, const pw_record *rec, const char *field)
{
	return rec && field ? rec_count(rec, field) : 0;
}

static const char *
svc_record_get_at(pw_instance *inst, const pw_record *rec, const char *field, size_t i)
{
	return rec && field ? rec_get_at(rec, field, i) : NULL;
}

static int64_t
svc_record_get_time(pw_instance *inst, const pw_record *rec, const char *field)
{
	return rec && field ? rec_get_time(rec, field) : 0;
}

static double
svc_record_score(pw_instance *inst, const pw_record *rec)
{
	return rec ? rec_score(rec) : 0;
}

static size_t
svc_record_score_count(pw_instance *inst, const pw_record *rec)
{
	return rec ? rec_score_count(rec) : 0;
}

static const char *
svc_record_score_at(pw_instance *inst, const pw_record *rec, size_t i, double *value, const char **reason)
{
	return rec ? rec_score_at(rec, i, value, reason) : NULL;
}

static pw_status
svc_emit(pw_instance *inst, pw_record *rec)
{
	if (!rec)
		return PW_ERROR;
	if (!inst->on_emit) {
		rec_free(rec);
		return PW_ERROR;
	}
	int rc = inst->on_emit(inst, rec, inst->emit_ud);
	return rc == 0 ? PW_OK : rc > 0 ? PW_REJECTED : PW_ERROR;
}

static pw_status
svc_emit_begin(pw_instance *inst)
{
	if (inst->in_batch) {
		log_msg(PW_LOG_ERROR, svc_instance_name(inst), "emit_begin called twice without emit_end");
		return PW_ERROR;
	}
	if (inst->on_batch && inst->on_batch(inst, -1, inst->emit_ud) < 0)
		return PW_ERROR;
	inst->in_batch = 1;
	return PW_OK;
}

static pw_status
svc_emit_end(pw_instance *inst, int keep)
{
	if (!inst->in_batch) {
		log_msg(PW_LOG_ERROR, svc_instance_name(inst), "emit_end called without emit_begin");
		return PW_ERROR;
	}
	inst->in_batch = 0;
	if (inst->on_batch && inst->on_batch(inst, keep ? 1 : 0, inst->emit_ud) < 0)
		return PW_ERROR;
	return PW_OK;
}

static void
count_code(pw_instance *inst, long code)
{
	char tok[16];
	snprintf(tok, sizeof tok, "%ld", code);
	size_t tl = strlen(tok);
	char *p = inst->http_codes;
	/* Tallies look like "200x3 429x1". */
	while ((p = strstr(p, tok)) != NULL) {
		if ((p == inst->http_codes || p[-1] == ' ') && p[tl] == 'x') {
			int n = atoi(p + tl + 1) + 1;
			char rest[128];
			const char *after = strchr(p + tl + 1, ' ');
			snprintf(rest, sizeof rest, "%s", after ? after : "");
			snprintf(p, sizeof inst->http_codes - (size_t)(p - inst->http_codes), "%sx%d%s", tok, n, rest);
			return;
		}
		p += tl;
	}
	size_t len = strlen(inst->http_codes);
	snprintf(inst->http_codes + len, sizeof inst->http_codes - len, "%s%sx1", len ? " " : "", tok);
}

static pw_status
svc_http_request(pw_instance *inst, const char *method, const char *url, const char *const *headers, const char *body,
                 size_t body_len, unsigned flags, pw_response **out)
{
	char err[1024];
	http_req req = { method ? method : "GET", url, headers, body, body_len, flags };
	if (!out || !url)
		return PW_ERROR;
	*out = NULL;
	if (!inst->http) {
		log_msg(PW_LOG_ERROR, svc_instance_name(inst), "no HTTP client in this context");
		return PW_ERROR;
	}
	inst->http_requests++;
	int rc = http_request(inst->http, &req, out, err, sizeof err);
	if (rc < 0) {
		inst->http_failures++;
		log_msg(PW_LOG_ERROR, svc_instance_name(inst), "%s", err);
		return rc == HTTP_PERMANENT ? PW_ERROR : PW_RETRY;
	}
	inst->http_retries += (*out)->attempts - 1;
	count_code(inst, (*out)->code);
	if (inst->on_emit)
		progress_tick(inst, isatty(STDERR_FILENO));
	return PW_OK;
}

static pw_status
svc_http_get(pw_instance *inst, const char *url, unsigned flags, pw_response **out)
{
	return svc_http_request(inst, "GET", url, NULL, NULL, 0, flags, out);
}

static long
svc_response_code(pw_instance *inst, const pw_response *r)
{
	return r ? r->code : 0;
}

static const char *
svc_response_body(pw_instance *inst, const pw_response *r, size_t *len)
{
	if (len)
		*len = r ? r->len : 0;
	return r ? r->body : NULL;
}

static int
svc_response_fd(pw_instance *inst, const pw_response *r)
{
	return r ? r->fd : -1;
}

static const char *
svc_response_header(pw_instance *inst, const pw_response *r, const char *name)
{
	return r && name ? http_response_header(r, name) : NULL;
}

static void
svc_response_free(pw_instance *inst, pw_response *r)
{
	http_response_free(r);
}

/* Keeps s alive until the current callback returns. */
static const char *
borrow(pw_instance *inst, char *s)
{
	if (!s)
		return NULL;
	int i = inst->scratch_next++ % HOST_SCRATCH;
	free(inst->scratch[i]);
	inst->scratch[i] = s;
	return s;
}

static const char *
svc_state_get(pw_instance *inst, const char *key)
{
	return inst->store && key ? borrow(inst, store_state_get(inst->store, inst->ns, key)) : NULL;
}

static pw_status
svc_state_set(pw_instance *inst, const char *key, const char *value)
{
	if (!inst->store || !key || !value)
		return PW_ERROR;
	return store_state_set(inst->store, inst->ns, key, value) == 0 ? PW_OK : PW_ERROR;
}

static int64_t
svc_fetch_since(pw_instance *inst)
{
	return inst->fetch_since;
}

/* The cache is the plugin's, not the instance's: two digests using the
 * same scorer (same model, same paper) share what either computed. */
static const char *
cache_ns(pw_instance *inst, char *buf, size_t size)
{
	snprintf(buf, size, "plugin/%s", inst->plugin ? inst->plugin->desc.name : "?");
	return buf;
}

static const char *
svc_cache_get(pw_instance *inst, const char *key)
{
	char ns[160];
	return inst->store && key ? borrow(inst, store_cache_get(inst->store, cache_ns(inst, ns, sizeof ns), key))
	                          : NULL;
}

static pw_status
svc_cache_put(pw_instance *inst, const char *key, const char *value)
{
	char ns[160];
	if (!inst->store || !key || !value)
		return PW_ERROR;
	return store_cache_put(inst->store, cache_ns(inst, ns, sizeof ns), key, value) == 0 ? PW_OK : PW_ERROR;
}

static size_t
svc_delivery_count(pw_instance *inst, const pw_delivery *d)
{
	return d ? d->count : 0;
}

static const pw_record *
svc_delivery_record(pw_instance *inst, const pw_delivery *d, size_t i)
{
	return d && i < d->count ? d->records[i] : NULL;
}

static const char *
svc_delivery_info(pw_instance *inst, const pw_delivery *d, const char *key)
{
	for (size_t i = 0; d && key && i < d->ninfo; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->values[i];
	return NULL;
}

static size_t
svc_record_field_count(pw_instance *inst, const pw_record *rec)
{
	return rec ? rec_nfields(rec) : 0;
}

static const char *
svc_record_field_name(pw_instance *inst, const pw_record *rec, size_t i)
{
	return rec ? rec_field_name(rec, i) : NULL;
}

static int
svc_record_field_is_list(pw_instance *inst, const pw_record *rec, size_t i)
{
	return rec ? rec_field_is_list(rec, i) : 0;
}

struct delivered_ctx {
	void (*fn)(void *ud, const pw_record *rec, int64_t delivered_at);
	void *ud;
};

static void
on_delivered(pw_record *rec, int64_t delivered_at, void *ud)
{
	struct delivered_ctx *c = ud;
	c->fn(c->ud, rec, delivered_at);
	rec_free(rec);
}

static pw_status
svc_delivered_each(pw_instance *inst, int64_t since, void (*fn)(void *ud, const pw_record *rec, int64_t delivered_at),
                   void *ud)
{
	struct delivered_ctx c = { fn, ud };
	if (!fn)
		return PW_ERROR;
	if (!inst->store || !inst->digest || !inst->sink)
		return PW_OK; /* not a sink, or `check`: nothing was delivered */
	return store_ledger_each_delivered(inst->store, inst->digest, inst->sink, since, on_delivered, &c) == 0
	               ? PW_OK
	               : PW_ERROR;
}

struct history_ctx {
	void (*fn)(void *ud, const pw_record *rec);
	void *ud;
};

static void
on_history(pw_record *rec, void *ud)
{
	struct history_ctx *c = ud;
	c->fn(c->ud, rec);
	rec_free(rec);
}

static pw_status
svc_history_each(pw_instance *inst, size_t max, void (*fn)(void *ud, const pw_record *rec), void *ud)
{
	struct history_ctx c = { fn, ud };
	if (!fn)
		return PW_ERROR;
	if (!inst->store)
		return PW_OK;
	return store_paper_each(inst->store, max, on_history, &c) == 0 ? PW_OK : PW_ERROR;
}

static void
svc_report_count(pw_instance *inst, const char *counter, int64_t delta)
{
	if (counter && *counter && counters_add(&inst->counters, counter, delta) < 0)
		log_msg(PW_LOG_WARNING, svc_instance_name(inst), "out of memory: counter \"%s\" not kept", counter);
}

static pw_status
svc_effect_begin(pw_instance *inst, const char *recovery)
{
	if (!inst->store || !inst->digest || !inst->delivery_tracked)
		return PW_OK; /* no paper is at stake (an empty day, `check`) */
	if (inst->effect_open && store_commit(inst->store) < 0) {
		/* A second effect in one write(): the first one's transaction
		 * holds nothing yet, so it only has to end. */
		store_rollback(inst->store);
	}
	inst->effect_open = 0;
	inst->effect_begun = 1;
	if (store_delivery_effect(inst->store, inst->digest, inst->sink, recovery) < 0) {
		log_msg(PW_LOG_ERROR, inst->cfg->name, "%s; not delivering now", store_error(inst->store));
		store_rollback(inst->store);
		return PW_RETRY;
	}
	inst->effect_open = 1;
	crash_point("effect-begun");
	return PW_OK;
}

static void
svc_report_note(pw_instance *inst, const char *note)
{
	snprintf(inst->note, sizeof inst->note, "%s", note ? note : "");
}

void
host_instance_counters(const pw_instance *inst, char *out, size_t size)
{
	out[0] = '\0';
	for (size_t i = 0; i < inst->counters.n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s %lld", i ? ", " : "", inst->counters.v[i].name,
		         (long long)inst->counters.v[i].value);
}

static const pw_host host_table = {
	.abi = PW_ABI_HEADER_FOR(pw_host),
	.log = svc_log,
	.config_string = svc_config_string,
	.config_int = svc_config_int,
	.config_number = svc_config_number,
	.config_bool = svc_config_bool,
	.config_list_count = svc_config_list_count,
	.config_list_at = svc_config_list_at,
	.config_map_count = svc_config_map_count,
	.config_map_at = svc_config_map_at,
	.record_new = svc_record_new,
	.record_free = svc_record_free,
	.record_set = svc_record_set,
	.record_add = svc_record_add,
	.record_set_time = svc_record_set_time,
	.record_get = svc_record_get,
	.record_count = svc_record_count,
	.record_get_at = svc_record_get_at,
	.record_get_time = svc_record_get_time,
	.record_score = svc_record_score,
	.record_score_count = svc_record_score_count,
	.record_score_at = svc_record_score_at,
	.emit = svc_emit,
	.http_get = svc_http_get,
	.response_code = svc_response_code,
	.response_body = svc_response_body,
	.response_header = svc_response_header,
	.response_free = svc_response_free,
	.state_get = svc_state_get,
	.state_set = svc_state_set,
	.cache_get = svc_cache_get,
	.cache_put = svc_cache_put,
	.delivery_count = svc_delivery_count,
	.delivery_record = svc_delivery_record,
	.delivery_info = svc_delivery_info,
	.instance_name = svc_instance_name,
	.record_field_count = svc_record_field_count,
	.record_field_name = svc_record_field_name,
	.record_field_is_list = svc_record_field_is_list,
	.delivered_each = svc_delivered_each,
	.http_request = svc_http_request,
	.history_each = svc_history_each,
	.report_count = svc_report_count,
	.response_fd = svc_response_fd,
	.emit_begin = svc_emit_begin,
	.emit_end = svc_emit_end,
	.report_note = svc_report_note,
	.fetch_since = svc_fetch_since,
	.effect_begin = svc_effect_begin,
	.config_given = svc_config_given,
	.canonical_id = svc_canonical_id,
	.field_declare = svc_field_declare,
	.field_declaration = svc_field_declaration,
	.ratings_each = svc_ratings_each,
	.rating_put = svc_rating_put,
};

const pw_host *
host_services(void)
{
	return &host_table;
}

pw_instance *
host_instance_new(const ldr_plugin *plugin, cfg_instance *cfg, const char *ns, pw_store *store, http_client *http)
{
	pw_instance *inst = calloc(1, sizeof *inst);
	if (!inst)
		return NULL;
	inst->plugin = plugin;
	inst->cfg = cfg;
	inst->store = store;
	inst->http = http;
	inst->fetch_since = -1;
	snprintf(inst->ns, sizeof inst->ns, "%s", ns);
	return inst;
}

pw_status
host_instance_create(pw_instance *inst, const pw_config *config, cfg_diag *diag)
{
	pw_status st = PW_OK;
	inst->config = config;
	inst->diag = diag;
	if (inst->plugin->desc.create)
		st = inst->plugin->desc.create(&host_table, inst, &inst->state);
	host_instance_release_scratch(inst);
	inst->config = NULL;
	inst->diag = NULL;
	if (st == PW_OK)
		inst->created = 1;
	return st;
}

void
host_instance_release_scratch(pw_instance *inst)
{
	for (int i = 0; i < HOST_SCRATCH; i++) {
		free(inst->scratch[i]);
		inst->scratch[i] = NULL;
	}
}

void
host_instance_free(pw_instance *inst)
{
	if (!inst)
		return;
	if (inst->created && inst->plugin->desc.destroy)
		inst->plugin->desc.destroy(&host_table, inst, inst->state);
	host_instance_release_scratch(inst);
	counters_free(&inst->counters);
	free(inst);
}

void
delivery_set_info(pw_delivery *d, const char *key, const char *value)
{
	for (size_t i = 0; i < d->ninfo; i++)
		if (strcmp(d->keys[i], key) == 0) {
			free(d->values[i]);
			d->values[i] = strdup(value ? value : "");
			return;
		}
	char **keys = realloc(d->keys, (d->ninfo + 1) * sizeof *keys);
	if (keys)
		d->keys = keys;
	char **values = keys ? realloc(d->values, (d->ninfo + 1) * sizeof *values) : NULL;
	if (values)
		d->values = values;
	if (!keys || !values) {
		log_msg(PW_LOG_ERROR, NULL, "out of memory: delivery info \"%s\" not kept", key);
		return;
	}
	d->keys[d->ninfo] = strdup(key);
	d->values[d->ninfo] = strdup(value ? value : "");
	d->ninfo++;
}

void
delivery_clear(pw_delivery *d)
{
	for (size_t i = 0; i < d->ninfo; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d->keys);
	free(d->values);
	d->keys = d->values = NULL;
	d->ninfo = 0;
}
