/* mock_host.c: see mock_host.h. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mock_host.h"
#include "record.h"

#define MOCK_MAX_ROUTES 32
#define MOCK_MAX_URLS 256

struct route {
	char *contains, *body;
	size_t len;
	long code;
};

struct pw_instance {
	pw_config cfg;
	cfg_instance inst;
	struct route routes[MOCK_MAX_ROUTES];
	size_t nroutes;
	char *urls[MOCK_MAX_URLS];
	size_t nurls;
	pw_record **emitted;
	size_t nemitted, batch_mark;
	int in_batch;
	char *log;
	size_t loglen;
	char *state_keys[64], *state_values[64];
	size_t nstate;
	pw_record *delivered[64];
	int64_t delivered_at[64];
	size_t ndelivered;
	pw_record *history[64];
	size_t nhistory;
	char *last_body, *last_headers;
	int64_t fetch_since;
	char note[256];
	char effect[256];   /* the last effect_begin note */
	int effect_calls;
	pw_status effect_answer;
};

struct pw_response {
	long code;
	char *body;
	size_t len;
	FILE *spool;      /* PW_HTTP_SPOOL: the body, read through response_fd */
};

struct pw_delivery {
	pw_record **recs;
	size_t n;
	char *keys[16], *values[16];
	size_t ninfo;
};

static void m_log(pw_instance *inst, pw_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
m_log(pw_instance *inst, pw_log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	size_t n = strlen(line);
	char *nl = realloc(inst->log, inst->loglen + n + 2);
	if (!nl)
		return;
	inst->log = nl;
	memcpy(inst->log + inst->loglen, line, n);
	inst->loglen += n;
	inst->log[inst->loglen++] = '\n';
	inst->log[inst->loglen] = '\0';
}

static const char *
m_config_string(pw_instance *inst, const char *key)
{
	const cJSON *v = cfg_option(&inst->inst, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int
m_config_int(pw_instance *inst, const char *key, int64_t *out)
{
	const cJSON *v = cfg_option(&inst->inst, key);
	if (!cJSON_IsNumber(v))
		return 0;
	*out = (int64_t)v->valuedouble;
	return 1;
}

static int
m_config_number(pw_instance *inst, const char *key, double *out)
{
	const cJSON *v = cfg_option(&inst->inst, key);
	if (!cJSON_IsNumber(v))
		return 0;
	*out = v->valuedouble;
	return 1;
}

static int
m_config_given(pw_instance *inst, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(inst->inst.node, key) != NULL;
}

static int
m_config_bool(pw_instance *inst, const char *key, int *out)
{
	const cJSON *v = cfg_option(&inst->inst, key);
	if (!cJSON_IsBool(v))
		return 0;
	*out = cJSON_IsTrue(v);
	return 1;
}

static size_t
m_config_list_count(pw_instance *inst, const char *key)
{
	const cJSON *v = cfg_option(&inst->inst, key);
	return cJSON_IsArray(v) || cJSON_IsObject(v) ? (size_t)cJSON_GetArraySize(v) : 0;
}

static const char *
m_config_list_at(pw_instance *inst, const char *key, size_t i)
{
	const cJSON *e = cJSON_GetArrayItem(cfg_option(&inst->inst, key), (int)i);
	return cJSON_IsString(e) ? e->valuestring : NULL;
}

static const char *
m_config_map_at(pw_instance *inst, const char *key, size_t i, double *value)
{
	const cJSON *e = cJSON_GetArrayItem(cfg_option(&inst->inst, key), (int)i);
	if (!e)
		return NULL;
	*value = e->valuedouble;
	return e->string;
}

static pw_record *m_record_new(pw_instance *inst) { return rec_new(); }
static void m_record_free(pw_instance *inst, pw_record *r) { rec_free(r); }
static pw_status m_record_set(pw_instance *inst, pw_record *r, const char *f, const char *v)
{ return rec_set(r, f, v) == 0 ? PW_OK : PW_ERROR; }
static pw_status m_record_add(pw_instance *inst, pw_record *r, const char *f, const char *v)
{ return rec_add(r, f, v) == 0 ? PW_OK : PW_ERROR; }
static pw_status m_record_set_time(pw_instance *inst, pw_record *r, const char *f, int64_t t)
{ return rec_set_time(r, f, t) == 0 ? PW_OK : PW_ERROR; }
static const char *m_record_get(pw_instance *inst, const pw_record *r, const char *f) { return rec_get(r, f); }
static size_t m_record_count(pw_instance *inst, const pw_record *r, const char *f) { return rec_count(r, f); }
static const char *m_record_get_at(pw_instance *inst, const pw_record *r, const char *f, size_t i)
{ return rec_get_at(r, f, i); }
static int64_t m_record_get_time(pw_instance *inst, const pw_record *r, const char *f) { return rec_get_time(r, f); }
static double m_record_score(pw_instance *inst, const pw_record *r) { return rec_score(r); }
static size_t m_record_score_count(pw_instance *inst, const pw_record *r) { return rec_score_count(r); }
static const char *m_record_score_at(pw_instance *inst, const pw_record *r, size_t i, double *v, const char **why)
{ return rec_score_at(r, i, v, why); }

static pw_status
m_emit(pw_instance *inst, pw_record *rec)
{
	pw_record **ne = realloc(inst->emitted, (inst->nemitted + 1) * sizeof *ne);
	if (!ne) {
		rec_free(rec);
		return PW_ERROR;
	}
	inst->emitted = ne;
	inst->emitted[inst->nemitted++] = rec;
	return PW_OK;
}

static char *
read_all(const char *file, size_t *len)
{
	FILE *f = fopen(file, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	return buf;
}

static pw_status m_http_get(pw_instance *inst, const char *url, unsigned flags, pw_response **out);

/* What a source emits between emit_begin and emit_end(0) is dropped. */
static pw_status
m_emit_begin(pw_instance *inst)
{
	if (inst->in_batch)
		return PW_ERROR;
	inst->in_batch = 1;
	inst->batch_mark = inst->nemitted;
	return PW_OK;
}

static pw_status
m_emit_end(pw_instance *inst, int keep)
{
	if (!inst->in_batch)
		return PW_ERROR;
	inst->in_batch = 0;
	while (!keep && inst->nemitted > inst->batch_mark)
		rec_free(inst->emitted[--inst->nemitted]);
	return PW_OK;
}

static pw_status
m_http_request(pw_instance *inst, const char *method, const char *url, const char *const *headers,
               const char *body, size_t len, unsigned flags, pw_response **out)
{
	free(inst->last_body);
	inst->last_body = body ? strndup(body, len) : NULL;
	size_t hl = 1;
	for (size_t i = 0; headers && headers[i]; i++)
		hl += strlen(headers[i]) + 1;
	free(inst->last_headers);
	inst->last_headers = calloc(1, hl);
	for (size_t i = 0; inst->last_headers && headers && headers[i]; i++) {
		strcat(inst->last_headers, headers[i]);
		strcat(inst->last_headers, "\n");
	}
	return m_http_get(inst, url, flags, out);
}

static pw_status
m_history_each(pw_instance *inst, size_t max, void (*fn)(void *, const pw_record *), void *ud)
{
	for (size_t i = 0; i < inst->nhistory && i < max; i++)
		fn(ud, inst->history[i]);
	return PW_OK;
}

static pw_status
m_http_get(pw_instance *inst, const char *url, unsigned flags, pw_response **out)
{
	*out = NULL;
	if (inst->nurls < MOCK_MAX_URLS)
		inst->urls[inst->nurls++] = strdup(url);
	for (size_t i = 0; i < inst->nroutes; i++) {
		if (!strstr(url, inst->routes[i].contains))
			continue;
		pw_response *r = calloc(1, sizeof *r);
		r->code = inst->routes[i].code;
		r->len = inst->routes[i].len;
		r->body = malloc(r->len + 1);
		memcpy(r->body, inst->routes[i].body, r->len + 1);
		if ((flags & PW_HTTP_SPOOL) && (r->spool = tmpfile()) != NULL) {
			fwrite(r->body, 1, r->len, r->spool);
			fflush(r->spool);
			rewind(r->spool);
			free(r->body);
			r->body = NULL;
		}
		*out = r;
		return PW_OK;
	}
	m_log(inst, PW_LOG_ERROR, "mock: no route for %s", url);
	return PW_RETRY;
}

static long m_response_code(pw_instance *inst, const pw_response *r) { return r->code; }
static const char *
m_response_body(pw_instance *inst, const pw_response *r, size_t *len)
{
	*len = r->len;
	return r->body;
}
static const char *m_response_header(pw_instance *inst, const pw_response *r, const char *n) { return NULL; }
static int m_response_fd(pw_instance *inst, const pw_response *r) { return r && r->spool ? fileno(r->spool) : -1; }
static void
m_response_free(pw_instance *inst, pw_response *r)
{
	if (r) {
		free(r->body);
		if (r->spool)
			fclose(r->spool);
	}
	free(r);
}

static const char *
m_state_get(pw_instance *inst, const char *key)
{
	for (size_t i = 0; i < inst->nstate; i++)
		if (strcmp(inst->state_keys[i], key) == 0)
			return inst->state_values[i];
	return NULL;
}

static pw_status
m_state_set(pw_instance *inst, const char *key, const char *value)
{
	for (size_t i = 0; i < inst->nstate; i++)
		if (strcmp(inst->state_keys[i], key) == 0) {
			free(inst->state_values[i]);
			inst->state_values[i] = strdup(value);
			return PW_OK;
		}
	if (inst->nstate == 64)
		return PW_ERROR;
	inst->state_keys[inst->nstate] = strdup(key);
	inst->state_values[inst->nstate++] = strdup(value);
	return PW_OK;
}

static size_t m_delivery_count(pw_instance *inst, const pw_delivery *d) { return d->n; }
static const pw_record *
m_delivery_record(pw_instance *inst, const pw_delivery *d, size_t i)
{
	return i < d->n ? d->recs[i] : NULL;
}
static const char *
m_delivery_info(pw_instance *inst, const pw_delivery *d, const char *key)
{
	for (size_t i = 0; i < d->ninfo; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->values[i];
	return NULL;
}
static const char *m_instance_name(pw_instance *inst) { return "mock"; }
static size_t m_record_field_count(pw_instance *inst, const pw_record *r) { return rec_nfields(r); }
static const char *m_record_field_name(pw_instance *inst, const pw_record *r, size_t i) { return rec_field_name(r, i); }
static int m_record_field_is_list(pw_instance *inst, const pw_record *r, size_t i) { return rec_field_is_list(r, i); }

static pw_status
m_delivered_each(pw_instance *inst, int64_t since, void (*fn)(void *, const pw_record *, int64_t), void *ud)
{
	for (size_t i = inst->ndelivered; i-- > 0;)
		if (inst->delivered_at[i] >= since)
			fn(ud, inst->delivered[i], inst->delivered_at[i]);
	return PW_OK;
}

static void
m_report_note(pw_instance *inst, const char *note)
{
	snprintf(inst->note, sizeof inst->note, "%s", note);
}

const char *
mock_note(const pw_instance *inst)
{
	return inst->note;
}

static int64_t m_fetch_since(pw_instance *inst) { return inst->fetch_since; }

static pw_status
m_effect_begin(pw_instance *inst, const char *recovery)
{
	snprintf(inst->effect, sizeof inst->effect, "%s", recovery ? recovery : "");
	inst->effect_calls++;
	return inst->effect_answer;
}

const char *
mock_effect(const pw_instance *inst, int *calls)
{
	if (calls)
		*calls = inst->effect_calls;
	return inst->effect;
}

void
mock_set_effect_answer(pw_instance *inst, pw_status answer)
{
	inst->effect_answer = answer;
}

void
mock_set_fetch_since(pw_instance *inst, int64_t since)
{
	inst->fetch_since = since;
}

static const pw_host mock_table = {
	.abi = PW_ABI_HEADER_FOR(pw_host),
	.log = m_log,
	.config_string = m_config_string,
	.config_int = m_config_int,
	.config_number = m_config_number,
	.config_bool = m_config_bool,
	.config_list_count = m_config_list_count,
	.config_list_at = m_config_list_at,
	.config_map_count = m_config_list_count,
	.config_map_at = m_config_map_at,
	.record_new = m_record_new,
	.record_free = m_record_free,
	.record_set = m_record_set,
	.record_add = m_record_add,
	.record_set_time = m_record_set_time,
	.record_get = m_record_get,
	.record_count = m_record_count,
	.record_get_at = m_record_get_at,
	.record_get_time = m_record_get_time,
	.record_score = m_record_score,
	.record_score_count = m_record_score_count,
	.record_score_at = m_record_score_at,
	.emit = m_emit,
	.response_fd = m_response_fd,
	.emit_begin = m_emit_begin,
	.emit_end = m_emit_end,
	.http_get = m_http_get,
	.response_code = m_response_code,
	.response_body = m_response_body,
	.response_header = m_response_header,
	.response_free = m_response_free,
	.state_get = m_state_get,
	.state_set = m_state_set,
	.cache_get = m_state_get,
	.cache_put = m_state_set,
	.delivery_count = m_delivery_count,
	.delivery_record = m_delivery_record,
	.delivery_info = m_delivery_info,
	.instance_name = m_instance_name,
	.record_field_count = m_record_field_count,
	.record_field_name = m_record_field_name,
	.record_field_is_list = m_record_field_is_list,
	.delivered_each = m_delivered_each,
	.http_request = m_http_request,
	.history_each = m_history_each,
	.report_note = m_report_note,
	.fetch_since = m_fetch_since,
	.effect_begin = m_effect_begin,
	.config_given = m_config_given,
};

const pw_host *
mock_host(void)
{
	return &mock_table;
}

pw_instance *
mock_instance_new(const pw_option *schema, const char *options_json)
{
	cfg_diag diag = { NULL, 0 };
	pw_instance *inst = calloc(1, sizeof *inst);
	inst->fetch_since = -1;
	inst->cfg.file = strdup("mock.json");
	inst->cfg.text = strdup(options_json);
	inst->cfg.root = cJSON_Parse(options_json);
	inst->inst.path = strdup("mock");
	inst->inst.name = strdup("mock");
	inst->inst.node = inst->cfg.root;
	if (!inst->cfg.root || cfg_check_options(&inst->cfg, &inst->inst, schema, 0, &diag) > 0) {
		for (size_t i = 0; i < diag.count; i++)
			fprintf(stderr, "mock: %s\n", diag.msgs[i]);
		cfg_diag_free(&diag);
		mock_instance_free(inst);
		return NULL;
	}
	cfg_diag_free(&diag);
	return inst;
}

void
mock_instance_free(pw_instance *inst)
{
	if (!inst)
		return;
	for (size_t i = 0; i < inst->nroutes; i++) {
		free(inst->routes[i].contains);
		free(inst->routes[i].body);
	}
	for (size_t i = 0; i < inst->nurls; i++)
		free(inst->urls[i]);
	for (size_t i = 0; i < inst->nemitted; i++)
		rec_free(inst->emitted[i]);
	for (size_t i = 0; i < inst->nstate; i++) {
		free(inst->state_keys[i]);
		free(inst->state_values[i]);
	}
	for (size_t i = 0; i < inst->ndelivered; i++)
		rec_free(inst->delivered[i]);
	for (size_t i = 0; i < inst->nhistory; i++)
		rec_free(inst->history[i]);
	free(inst->last_body);
	free(inst->last_headers);
	free(inst->emitted);
	free(inst->log);
	cJSON_Delete(inst->inst.resolved);
	free(inst->inst.path);
	free(inst->inst.name);
	cJSON_Delete(inst->cfg.root);
	free(inst->cfg.file);
	free(inst->cfg.text);
	free(inst);
}

void
mock_route(pw_instance *inst, const char *contains, long code, const char *file, const char *body)
{
	struct route *r = &inst->routes[inst->nroutes++];
	r->contains = strdup(contains);
	r->code = code;
	if (file) {
		r->body = read_all(file, &r->len);
		if (!r->body) {
			fprintf(stderr, "mock: cannot read %s\n", file);
			r->body = strdup("");
			r->len = 0;
		}
	} else {
		r->body = strdup(body ? body : "");
		r->len = strlen(r->body);
	}
}

void
mock_route_bytes(pw_instance *inst, const char *contains, long code, const void *bytes, size_t len)
{
	struct route *r = &inst->routes[inst->nroutes++];
	r->contains = strdup(contains);
	r->code = code;
	r->body = malloc(len + 1);
	memcpy(r->body, bytes, len);
	r->body[len] = '\0';
	r->len = len;
}

size_t mock_requests(const pw_instance *inst) { return inst->nurls; }
const char *mock_request_url(const pw_instance *inst, size_t i) { return i < inst->nurls ? inst->urls[i] : NULL; }
size_t mock_emitted_count(const pw_instance *inst) { return inst->nemitted; }
pw_record *mock_emitted(const pw_instance *inst, size_t i) { return i < inst->nemitted ? inst->emitted[i] : NULL; }
const char *mock_log(const pw_instance *inst) { return inst->log ? inst->log : ""; }

pw_delivery *
mock_delivery_new(pw_record **recs, size_t n, ...)
{
	pw_delivery *d = calloc(1, sizeof *d);
	va_list ap;
	d->recs = recs;
	d->n = n;
	va_start(ap, n);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL && d->ninfo < 16) {
		d->keys[d->ninfo] = strdup(k);
		d->values[d->ninfo++] = strdup(va_arg(ap, const char *));
	}
	va_end(ap);
	return d;
}

void
mock_delivery_free(pw_delivery *d)
{
	for (size_t i = 0; i < d->ninfo; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d);
}

void
mock_add_delivered(pw_instance *inst, pw_record *rec, int64_t at)
{
	if (inst->ndelivered == 64) {
		rec_free(rec);
		return;
	}
	inst->delivered[inst->ndelivered] = rec;
	inst->delivered_at[inst->ndelivered++] = at;
}

void
mock_add_history(pw_instance *inst, pw_record *rec)
{
	if (inst->nhistory == 64) {
		rec_free(rec);
		return;
	}
	inst->history[inst->nhistory++] = rec;
}

const char *mock_last_body(const pw_instance *inst) { return inst->last_body ? inst->last_body : ""; }
const char *mock_last_headers(const pw_instance *inst) { return inst->last_headers ? inst->last_headers : ""; }
