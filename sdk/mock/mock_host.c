/* mock_host.c: see paperwire/mock_host.h.  One mock host, built on the
 * host's own record and option code: paperwire's tests link it with
 * libpwcore, and libpaperwire-mock (installed) carries the same core files
 * with only the pwm_ names exported, so a plugin's tests cannot pass
 * against behaviour the real host lacks. */
#include "autoconf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "counters.h"
#include "fields.h"
#include "ident.h"
#include "paperwire/mock_host.h"
#include "record.h"

struct route {
	char *contains, *body;
	size_t len;
	long code;
	char *headers; /* "Name: value\n" each, or NULL */
};

/* A growing array of pointers: the mock has no silent limits. */
struct ptrs {
	void **v;
	size_t n, cap;
};

struct pw_instance {
	pw_config cfg;     /* file "mock.json"; text for positions */
	cfg_instance inst; /* node: the options given; resolved: with defaults */
	const pw_option *schema;
	struct route *routes;
	size_t nroutes;
	struct ptrs urls, emitted, state_keys, state_values, delivered, history;

	struct pwm_rating {
		char *id;
		int rating;
		pw_record *rec;
	} * ratings;

	size_t nratings;
	int64_t *delivered_at;
	size_t batch_mark;
	int in_batch;
	char *log;
	size_t loglen;
	char *last_body, *last_headers;
	counter_set counters;
	int64_t fetch_since;
	char note[1024];
	char effect[256]; /* the last effect_begin note */
	int effect_calls;
	pw_status effect_answer;
};

struct pw_response {
	long code;
	char *body;
	size_t len;
	FILE *spool;         /* PW_HTTP_SPOOL: the body, read through response_fd */
	const char *headers; /* the route's, borrowed */
	char **values;       /* what response_header gave, kept until response_free */
	size_t nvalues;
};

struct pw_delivery {
	pw_record **recs;
	size_t n;
	char **keys, **values;
	size_t ninfo;
};

static int
push(struct ptrs *p, void *item)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		void **nv = realloc(p->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		p->v = nv;
		p->cap = cap;
	}
	p->v[p->n++] = item;
	return 0;
}

static void
free_ptrs(struct ptrs *p, void (*fn)(void *))
{
	for (size_t i = 0; i < p->n; i++)
		fn(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof *p);
}

static void
free_record(void *r)
{
	rec_free(r);
}

static void m_log(pw_instance *inst, pw_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
m_log(pw_instance *inst, pw_log_level level, const char *fmt, ...)
{
	char line[4096];
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

/* ---- options: the host's own checking, defaults and reading ---- */

static const cJSON *
option(pw_instance *inst, const char *key)
{
	return cfg_option(&inst->inst, key);
}

static const char *
m_config_string(pw_instance *inst, const char *key)
{
	return cfg_get_string(&inst->inst, key);
}

static int
m_config_int(pw_instance *inst, const char *key, int64_t *out)
{
	return cfg_get_int(&inst->inst, key, out);
}

static int
m_config_number(pw_instance *inst, const char *key, double *out)
{
	return cfg_get_number(&inst->inst, key, out);
}

static int
m_config_bool(pw_instance *inst, const char *key, int *out)
{
	return cfg_get_bool(&inst->inst, key, out);
}

static int
m_config_given(pw_instance *inst, const char *key)
{
	return cfg_given(&inst->inst, key);
}

static size_t
m_config_list_count(pw_instance *inst, const char *key)
{
	return cfg_get_count(&inst->inst, key, 0);
}

static size_t
m_config_map_count(pw_instance *inst, const char *key)
{
	return cfg_get_count(&inst->inst, key, 1);
}

static int
m_canonical_id(pw_instance *inst, const char *raw, char *out, size_t size, int *version)
{
	return ident_classify(raw, out, size, version);
}

static const char *m_instance_name(pw_instance *inst);

static pw_status
m_field_declare(pw_instance *inst, const pw_field *field, size_t field_size)
{
	char err[1024];
	/* The mock is one digest: every declaration in one scope. */
	if (fields_declare("mock", m_instance_name(inst), field, field_size, err, sizeof err) == 0)
		return PW_OK;
	m_log(inst, PW_LOG_ERROR, "%s", err);
	return PW_CONFIG_ERROR;
}

static const pw_field *
m_field_declaration(pw_instance *inst, const char *name)
{
	(void)inst;
	return fields_lookup("mock", name);
}

static const char *
m_config_list_at(pw_instance *inst, const char *key, size_t i)
{
	const cJSON *v = option(inst, key);
	const cJSON *e = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, (int)i) : NULL;
	return cJSON_IsString(e) ? e->valuestring : NULL;
}

static const char *
m_config_map_at(pw_instance *inst, const char *key, size_t i, double *value)
{
	const cJSON *v = option(inst, key);
	const cJSON *e = cJSON_IsObject(v) ? cJSON_GetArrayItem(v, (int)i) : NULL;
	if (!e)
		return NULL;
	if (value)
		*value = cJSON_IsNumber(e) ? e->valuedouble : 0;
	return e->string;
}

/* Checks inst's options against its schema and fills in the defaults, as
 * the host does at `check`.  Returns the number of problems (printed
 * when loud). */
/* The reasons of the last refusal of pwm_instance_new_json: a test reads
 * them back, as a user reads 'paperwire check'. */
static char last_refusal[4096];

static int
resolve(pw_instance *inst, int loud)
{
	cfg_diag diag = { NULL, 0 };
	free(inst->cfg.text);
	inst->cfg.text = cJSON_PrintUnformatted(inst->inst.node);
	int errors = cfg_check_options(&inst->cfg, &inst->inst, inst->schema, 1, &diag);
	if (loud)
		last_refusal[0] = '\0';
	for (size_t i = 0; loud && i < diag.count; i++) {
		size_t used = strlen(last_refusal);
		fprintf(stderr, "mock: %s\n", diag.msgs[i]);
		snprintf(last_refusal + used, sizeof last_refusal - used, "%s\n", diag.msgs[i]);
	}
	cfg_diag_free(&diag);
	return errors;
}

const char *
pwm_refusal(void)
{
	return last_refusal;
}

static void
set_option(pw_instance *inst, const char *key, cJSON *value)
{
	if (!value)
		return;
	cJSON *node = (cJSON *)inst->inst.node;
	if (cJSON_GetObjectItemCaseSensitive(node, key))
		cJSON_ReplaceItemInObjectCaseSensitive(node, key, value);
	else
		cJSON_AddItemToObject(node, key, value);
	resolve(inst, 0);
}

void
pwm_option_string(pw_instance *inst, const char *key, const char *value)
{
	set_option(inst, key, cJSON_CreateString(value));
}

void
pwm_option_int(pw_instance *inst, const char *key, int64_t value)
{
	set_option(inst, key, cJSON_CreateNumber((double)value));
}

void
pwm_option_number(pw_instance *inst, const char *key, double value)
{
	set_option(inst, key, cJSON_CreateNumber(value));
}

void
pwm_option_bool(pw_instance *inst, const char *key, int value)
{
	set_option(inst, key, cJSON_CreateBool(value));
}

void
pwm_option_list(pw_instance *inst, const char *key, const char *const *values)
{
	cJSON *list = cJSON_CreateArray();
	for (size_t i = 0; list && values && values[i]; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(values[i]));
	set_option(inst, key, list);
}

void
pwm_option_map(pw_instance *inst, const char *key, const char *name, double value)
{
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(inst->inst.node, key);
	cJSON *map = cJSON_IsObject(old) ? cJSON_Duplicate(old, 1) : cJSON_CreateObject();
	if (map)
		cJSON_AddNumberToObject(map, name, value);
	set_option(inst, key, map);
}

/* ---- records: the host's own ---- */

static pw_record *
m_record_new(pw_instance *inst)
{
	return rec_new();
}

static void
m_record_free(pw_instance *inst, pw_record *r)
{
	rec_free(r);
}

static pw_status
m_record_set(pw_instance *inst, pw_record *r, const char *f, const char *v)
{
	return r && rec_set(r, f, v) == 0 ? PW_OK : PW_ERROR;
}

static pw_status
m_record_add(pw_instance *inst, pw_record *r, const char *f, const char *v)
{
	return r && rec_add(r, f, v) == 0 ? PW_OK : PW_ERROR;
}

static pw_status
m_record_set_time(pw_instance *inst, pw_record *r, const char *f, int64_t t)
{
	return r && f && rec_set_time(r, f, t) == 0 ? PW_OK : PW_ERROR;
}

static const char *
m_record_get(pw_instance *inst, const pw_record *r, const char *f)
{
	return rec_get(r, f);
}

static size_t
m_record_count(pw_instance *inst, const pw_record *r, const char *f)
{
	return rec_count(r, f);
}

static const char *
m_record_get_at(pw_instance *inst, const pw_record *r, const char *f, size_t i)
{
	return rec_get_at(r, f, i);
}

static int64_t
m_record_get_time(pw_instance *inst, const pw_record *r, const char *f)
{
	return rec_get_time(r, f);
}

static double
m_record_score(pw_instance *inst, const pw_record *r)
{
	return rec_score(r);
}

static size_t
m_record_score_count(pw_instance *inst, const pw_record *r)
{
	return rec_score_count(r);
}

static const char *
m_record_score_at(pw_instance *inst, const pw_record *r, size_t i, double *v, const char **why)
{
	return rec_score_at(r, i, v, why);
}

static size_t
m_record_field_count(pw_instance *inst, const pw_record *r)
{
	return rec_nfields(r);
}

static const char *
m_record_field_name(pw_instance *inst, const pw_record *r, size_t i)
{
	return rec_field_name(r, i);
}

static int
m_record_field_is_list(pw_instance *inst, const pw_record *r, size_t i)
{
	return rec_field_is_list(r, i);
}

static void m_report_count(pw_instance *inst, const char *counter, int64_t delta);

/* ---- what a source emits ---- */

/* The host's rule: a record it cannot give a canonical id (from its id,
 * DOI or URL) is refused; the others are kept as the plugin made them. */
static pw_status
m_emit(pw_instance *inst, pw_record *rec)
{
	if (!rec)
		return PW_ERROR;
	pw_record *probe = rec_clone(rec);
	int usable = probe && rec_canonicalize(probe) == 0;
	rec_free(probe);
	if (!usable) {
		const char *title = rec_get(rec, PW_F_TITLE);
		m_log(inst, PW_LOG_WARNING, "a record without a usable id was dropped (title: %.80s)",
		      title ? title : "none");
		m_report_count(inst, "rejected", 1);
		rec_free(rec);
		return PW_REJECTED;
	}
	if (push(&inst->emitted, rec) < 0) {
		rec_free(rec);
		return PW_ERROR;
	}
	return PW_OK;
}

/* What a source emits between emit_begin and emit_end(0) is dropped. */
static pw_status
m_emit_begin(pw_instance *inst)
{
	if (inst->in_batch)
		return PW_ERROR;
	inst->in_batch = 1;
	inst->batch_mark = inst->emitted.n;
	return PW_OK;
}

static pw_status
m_emit_end(pw_instance *inst, int keep)
{
	if (!inst->in_batch)
		return PW_ERROR;
	inst->in_batch = 0;
	while (!keep && inst->emitted.n > inst->batch_mark)
		rec_free(inst->emitted.v[--inst->emitted.n]);
	return PW_OK;
}

/* ---- HTTP from routes ---- */

static pw_status
m_http_get(pw_instance *inst, const char *url, unsigned flags, pw_response **out)
{
	*out = NULL;
	char *copy = strdup(url);
	if (!copy || push(&inst->urls, copy) < 0)
		free(copy);
	for (size_t i = 0; i < inst->nroutes; i++) {
		if (!strstr(url, inst->routes[i].contains))
			continue;
		pw_response *r = calloc(1, sizeof *r);
		if (!r)
			return PW_ERROR;
		r->code = inst->routes[i].code;
		r->len = inst->routes[i].len;
		r->headers = inst->routes[i].headers;
		r->body = malloc(r->len + 1);
		if (!r->body) {
			free(r);
			return PW_ERROR;
		}
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

static pw_status
m_http_request(pw_instance *inst, const char *method, const char *url, const char *const *headers, const char *body,
               size_t len, unsigned flags, pw_response **out)
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

static long
m_response_code(pw_instance *inst, const pw_response *r)
{
	return r ? r->code : 0;
}

static const char *
m_response_body(pw_instance *inst, const pw_response *r, size_t *len)
{
	if (len)
		*len = r ? r->len : 0;
	return r ? r->body : NULL;
}

static const char *
m_response_header(pw_instance *inst, const pw_response *r, const char *n)
{
	size_t len = strlen(n);
	const char *found = NULL;
	for (const char *line = r ? r->headers : NULL; line && *line; line = strchr(line, '\n') + 1)
		if (strncasecmp(line, n, len) == 0 && line[len] == ':')
			found = line + len + 2; /* the last one counts, as in the host */
	if (!found)
		return NULL;
	pw_response *w = (pw_response *)r;
	char **grown = realloc(w->values, (w->nvalues + 1) * sizeof *grown);
	if (!grown)
		return NULL;
	w->values = grown;
	return grown[w->nvalues++] = strndup(found, strcspn(found, "\n"));
}

static int
m_response_fd(pw_instance *inst, const pw_response *r)
{
	return r && r->spool ? fileno(r->spool) : -1;
}

static void
m_response_free(pw_instance *inst, pw_response *r)
{
	if (r) {
		free(r->body);
		for (size_t i = 0; i < r->nvalues; i++)
			free(r->values[i]);
		free(r->values);
		if (r->spool)
			fclose(r->spool);
	}
	free(r);
}

/* ---- state and cache (one table: the mock has no store) ---- */

static const char *
m_state_get(pw_instance *inst, const char *key)
{
	for (size_t i = 0; i < inst->state_keys.n; i++)
		if (strcmp(inst->state_keys.v[i], key) == 0)
			return inst->state_values.v[i];
	return NULL;
}

static pw_status
m_state_set(pw_instance *inst, const char *key, const char *value)
{
	char *v = strdup(value ? value : "");
	if (!v)
		return PW_ERROR;
	for (size_t i = 0; i < inst->state_keys.n; i++)
		if (strcmp(inst->state_keys.v[i], key) == 0) {
			free(inst->state_values.v[i]);
			inst->state_values.v[i] = v;
			return PW_OK;
		}
	char *k = strdup(key);
	if (!k || push(&inst->state_keys, k) < 0) {
		free(k);
		free(v);
		return PW_ERROR;
	}
	if (push(&inst->state_values, v) < 0) {
		inst->state_keys.n--; /* k, just pushed */
		free(k);
		free(v);
		return PW_ERROR;
	}
	return PW_OK;
}

/* ---- deliveries, history, report ---- */

static size_t
m_delivery_count(pw_instance *inst, const pw_delivery *d)
{
	return d->n;
}

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

static const char *
m_instance_name(pw_instance *inst)
{
	return "mock";
}

static pw_status
m_delivered_each(pw_instance *inst, int64_t since, void (*fn)(void *, const pw_record *, int64_t), void *ud)
{
	for (size_t i = inst->delivered.n; i-- > 0;)
		if (inst->delivered_at[i] >= since)
			fn(ud, inst->delivered.v[i], inst->delivered_at[i]);
	return PW_OK;
}

static pw_status
m_history_each(pw_instance *inst, size_t max, void (*fn)(void *, const pw_record *), void *ud)
{
	for (size_t i = 0; i < inst->history.n && i < max; i++)
		fn(ud, inst->history.v[i]);
	return PW_OK;
}

static pw_status
m_ratings_each(pw_instance *inst,
               void (*fn)(void *ud, const char *id, int rating, int64_t rated_at, const pw_record *rec), void *ud)
{
	/* Newest first: the last added was given last, a day after the one
	 * before it. */
	for (size_t i = inst->nratings; i-- > 0;)
		fn(ud, inst->ratings[i].id, inst->ratings[i].rating, 1700000000 + (int64_t)i * 86400,
		   inst->ratings[i].rec);
	return PW_OK;
}

/* A sink's rating: kept as pwm_add_rating keeps one (0 takes it back),
 * the id canonical as the host stores it. */
static pw_status
m_rating_put(pw_instance *inst, const char *id, int rating)
{
	char canonical[512];
	int kind = id ? ident_classify(id, canonical, sizeof canonical, NULL) : -1;
	if (!(kind == 1 || (kind == 0 && strncmp(canonical, "10.", 3) == 0 && strchr(canonical, '/'))))
		return PW_ERROR;
	for (size_t i = 0; i < inst->nratings; i++)
		if (strcmp(inst->ratings[i].id, canonical) == 0) {
			free(inst->ratings[i].id);
			rec_free(inst->ratings[i].rec);
			memmove(&inst->ratings[i], &inst->ratings[i + 1],
			        (inst->nratings - i - 1) * sizeof *inst->ratings);
			inst->nratings--;
			break;
		}
	if (rating)
		pwm_add_rating(inst, canonical, rating, NULL);
	return PW_OK;
}

static void
m_report_count(pw_instance *inst, const char *counter, int64_t delta)
{
	if (counter && *counter)
		counters_add(&inst->counters, counter, delta);
}

static void
m_report_note(pw_instance *inst, const char *note)
{
	snprintf(inst->note, sizeof inst->note, "%s", note ? note : "");
}

static int64_t
m_fetch_since(pw_instance *inst)
{
	return inst->fetch_since;
}

static pw_status
m_effect_begin(pw_instance *inst, const char *recovery)
{
	snprintf(inst->effect, sizeof inst->effect, "%s", recovery ? recovery : "");
	inst->effect_calls++;
	return inst->effect_answer;
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
	.config_map_count = m_config_map_count,
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
	.response_fd = m_response_fd,
	.emit_begin = m_emit_begin,
	.emit_end = m_emit_end,
	.history_each = m_history_each,
	.report_count = m_report_count,
	.report_note = m_report_note,
	.fetch_since = m_fetch_since,
	.effect_begin = m_effect_begin,
	.config_given = m_config_given,
	.canonical_id = m_canonical_id,
	.field_declare = m_field_declare,
	.field_declaration = m_field_declaration,
	.ratings_each = m_ratings_each,
	.rating_put = m_rating_put,
};

const pw_host *
pwm_host(void)
{
	return &mock_table;
}

/* ---- instances ---- */

static pw_instance *
new_instance(const pw_option *schema, cJSON *node)
{
	pw_instance *inst = calloc(1, sizeof *inst);
	if (!inst || !node) {
		free(inst);
		cJSON_Delete(node);
		return NULL;
	}
	inst->fetch_since = -1;
	inst->schema = schema;
	inst->cfg.file = strdup("mock.json");
	inst->cfg.root = node;
	inst->inst.path = strdup("mock");
	inst->inst.name = strdup("mock");
	inst->inst.plugin = strdup("mock");
	inst->inst.node = node;
	return inst;
}

pw_instance *
pwm_instance_new_json(const pw_option *schema, const char *options_json)
{
	cJSON *node = cJSON_Parse(options_json ? options_json : "{}");
	if (!cJSON_IsObject(node)) {
		snprintf(last_refusal, sizeof last_refusal, "the options are not a JSON object: %s\n",
		         options_json ? options_json : "");
		fprintf(stderr, "mock: %s", last_refusal);
		cJSON_Delete(node);
		return NULL;
	}
	pw_instance *inst = new_instance(schema, node);
	if (inst && resolve(inst, 1) > 0) {
		pwm_instance_free(inst);
		return NULL;
	}
	return inst;
}

pw_instance *
pwm_instance_new_for(const pw_option *schema)
{
	pw_instance *inst = new_instance(schema, cJSON_CreateObject());
	if (inst)
		resolve(inst, 0); /* the defaults; required options come later */
	return inst;
}

pw_instance *
pwm_instance_new(void)
{
	return pwm_instance_new_for(NULL);
}

static void
free_plain(void *p)
{
	free(p);
}

void
pwm_instance_free(pw_instance *inst)
{
	if (!inst)
		return;
	for (size_t i = 0; i < inst->nroutes; i++) {
		free(inst->routes[i].contains);
		free(inst->routes[i].body);
		free(inst->routes[i].headers);
	}
	free(inst->routes);
	free_ptrs(&inst->urls, free_plain);
	free_ptrs(&inst->emitted, free_record);
	free_ptrs(&inst->state_keys, free_plain);
	free_ptrs(&inst->state_values, free_plain);
	free_ptrs(&inst->delivered, free_record);
	free_ptrs(&inst->history, free_record);
	for (size_t i = 0; i < inst->nratings; i++) {
		free(inst->ratings[i].id);
		rec_free(inst->ratings[i].rec);
	}
	free(inst->ratings);
	free(inst->delivered_at);
	counters_free(&inst->counters);
	free(inst->last_body);
	free(inst->last_headers);
	free(inst->log);
	cJSON_Delete(inst->inst.resolved);
	free(inst->inst.path);
	free(inst->inst.name);
	free(inst->inst.plugin);
	cJSON_Delete(inst->cfg.root);
	free(inst->cfg.file);
	free(inst->cfg.text);
	free(inst);
}

/* ---- routes ---- */

static void
add_route(pw_instance *inst, const char *contains, long code, char *body, size_t len)
{
	struct route *nr = realloc(inst->routes, (inst->nroutes + 1) * sizeof *nr);
	if (!nr) {
		free(body);
		return;
	}
	inst->routes = nr;
	inst->routes[inst->nroutes++] = (struct route){ strdup(contains), body, len, code, NULL };
}

void
pwm_route_header(pw_instance *inst, const char *contains, const char *line)
{
	for (size_t i = inst->nroutes; i-- > 0;) {
		struct route *rt = &inst->routes[i];
		if (strcmp(rt->contains, contains) != 0)
			continue;
		size_t had = rt->headers ? strlen(rt->headers) : 0;
		char *grown = realloc(rt->headers, had + strlen(line) + 2);
		if (!grown)
			return;
		snprintf(grown + had, strlen(line) + 2, "%s\n", line);
		rt->headers = grown;
		return;
	}
	fprintf(stderr, "mock: pwm_route_header: no route for \"%s\"\n", contains);
}

void
pwm_route(pw_instance *inst, const char *contains, long code, const char *body)
{
	char *copy = strdup(body ? body : "");
	add_route(inst, contains, code, copy, copy ? strlen(copy) : 0);
}

void
pwm_route_bytes(pw_instance *inst, const char *contains, long code, const void *bytes, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, bytes, len);
	copy[len] = '\0';
	add_route(inst, contains, code, copy, len);
}

void
pwm_route_file(pw_instance *inst, const char *contains, long code, const char *file)
{
	FILE *f = fopen(file, "rb");
	char *buf = NULL;
	long n = -1;
	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
		buf[n] = '\0';
		add_route(inst, contains, code, buf, (size_t)n);
	} else {
		fprintf(stderr, "mock: cannot read %s\n", file);
		free(buf);
		pwm_route(inst, contains, code, "");
	}
	if (f)
		fclose(f);
}

/* ---- what the plugin did ---- */

static void *
ptrs_at(const struct ptrs *p, size_t i)
{
	return i < p->n ? p->v[i] : NULL;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

size_t
pwm_requests(const pw_instance *inst)
{
	return inst->urls.n;
}

const char *
pwm_request_url(const pw_instance *inst, size_t i)
{
	return ptrs_at(&inst->urls, i);
}

const char *
pwm_last_body(const pw_instance *inst)
{
	return or_empty(inst->last_body);
}

const char *
pwm_last_headers(const pw_instance *inst)
{
	return or_empty(inst->last_headers);
}

size_t
pwm_emitted_count(const pw_instance *inst)
{
	return inst->emitted.n;
}

pw_record *
pwm_emitted(const pw_instance *inst, size_t i)
{
	return ptrs_at(&inst->emitted, i);
}

const char *
pwm_log(const pw_instance *inst)
{
	return or_empty(inst->log);
}

const char *
pwm_note(const pw_instance *inst)
{
	return inst->note;
}

void
pwm_set_fetch_since(pw_instance *inst, int64_t since)
{
	inst->fetch_since = since;
}

void
pwm_set_effect_answer(pw_instance *inst, pw_status answer)
{
	inst->effect_answer = answer;
}

int64_t
pwm_counter(const pw_instance *inst, const char *counter)
{
	return counters_get(&inst->counters, counter);
}

const char *
pwm_effect(const pw_instance *inst, int *calls)
{
	if (calls)
		*calls = inst->effect_calls;
	return inst->effect;
}

void
pwm_add_delivered(pw_instance *inst, pw_record *rec, int64_t at)
{
	int64_t *na = realloc(inst->delivered_at, (inst->delivered.n + 1) * sizeof *na);
	if (!na || push(&inst->delivered, rec) < 0) {
		if (na)
			inst->delivered_at = na;
		rec_free(rec);
		return;
	}
	inst->delivered_at = na;
	inst->delivered_at[inst->delivered.n - 1] = at;
}

void
pwm_add_history(pw_instance *inst, pw_record *rec)
{
	if (push(&inst->history, rec) < 0)
		rec_free(rec);
}

void
pwm_add_rating(pw_instance *inst, const char *id, int rating, pw_record *rec)
{
	struct pwm_rating *grown = realloc(inst->ratings, (inst->nratings + 1) * sizeof *grown);
	char *copy = strdup(id ? id : "");
	if (!grown || !copy) {
		free(copy);
		rec_free(rec);
		if (grown)
			inst->ratings = grown;
		return;
	}
	inst->ratings = grown;
	inst->ratings[inst->nratings++] = (struct pwm_rating){ copy, rating > 0 ? 1 : -1, rec };
}

size_t
pwm_ratings(const pw_instance *inst)
{
	return inst->nratings;
}

pw_delivery *
pwm_delivery_new(pw_record **records, size_t n, ...)
{
	pw_delivery *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	va_list ap;
	d->recs = records;
	d->n = n;
	va_start(ap, n);
	const char *k;
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		char **nk = realloc(d->keys, (d->ninfo + 1) * sizeof *nk);
		if (nk)
			d->keys = nk;
		char **nv = nk ? realloc(d->values, (d->ninfo + 1) * sizeof *nv) : NULL;
		if (nv)
			d->values = nv;
		if (!nk || !nv)
			break;
		d->keys[d->ninfo] = strdup(k);
		d->values[d->ninfo++] = strdup(v ? v : "");
	}
	va_end(ap);
	return d;
}

void
pwm_delivery_free(pw_delivery *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->ninfo; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d->keys);
	free(d->values);
	free(d);
}
