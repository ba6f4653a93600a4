/* mock_host.c: see mock_host.h.  Plain C99 + POSIX, no dependency, so it
 * builds wherever the SDK header does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paperwire/mock_host.h"

#define PWM_MAX 64

struct pwm_field {
	char *name;
	char **values;
	size_t count;
	int is_list;
};

struct pw_record {
	struct pwm_field fields[PWM_MAX];
	size_t nfields;
	char *score_name[PWM_MAX], *score_reason[PWM_MAX];
	double score_value[PWM_MAX];
	size_t nscores;
};

enum pwm_type { T_STRING, T_INT, T_NUMBER, T_BOOL, T_LIST, T_MAP };

struct pwm_option {
	char *key;
	enum pwm_type type;
	char *s;
	double n;
	char **items;     /* list values or map names */
	double *weights;  /* map values */
	size_t count;
	int is_default;   /* set from the schema's default, not by the test */
};

struct pw_response {
	long code;
	char *body;
	size_t len;
	FILE *spool;      /* PW_HTTP_SPOOL: the body, read through response_fd */
};

struct pw_delivery {
	pw_record **records;
	size_t n;
	char *keys[16], *values[16];
	size_t ninfo;
};

struct pw_instance {
	struct pwm_option options[PWM_MAX];
	size_t noptions;
	char *route_match[PWM_MAX], *route_body[PWM_MAX];
	long route_code[PWM_MAX];
	size_t nroutes, nrequests;
	pw_record *emitted[1024];
	size_t nemitted, batch_mark;
	int in_batch;
	char *state_key[PWM_MAX], *state_value[PWM_MAX];
	size_t nstate;
	char counter_name[16][32];
	int64_t counter_value[16];
	size_t ncounters;
	char log[16384];
	int64_t fetch_since;
	char note[256];
	char effect[256];   /* the last effect_begin note */
	int effect_calls;
	pw_status effect_answer;
};

static char *
dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- options ---- */

static struct pwm_option *
option(pw_instance *inst, const char *key, enum pwm_type type)
{
	for (size_t i = 0; i < inst->noptions; i++)
		if (strcmp(inst->options[i].key, key) == 0) {
			inst->options[i].is_default = 0;
			return &inst->options[i];
		}
	if (inst->noptions == PWM_MAX)
		abort();
	struct pwm_option *o = &inst->options[inst->noptions++];
	memset(o, 0, sizeof *o);
	o->key = dup(key);
	o->type = type;
	return o;
}

static const struct pwm_option *
find_option(pw_instance *inst, const char *key, enum pwm_type type)
{
	for (size_t i = 0; i < inst->noptions; i++)
		if (strcmp(inst->options[i].key, key) == 0 && inst->options[i].type == type)
			return &inst->options[i];
	return NULL;
}

void
pwm_option_string(pw_instance *inst, const char *key, const char *value)
{
	struct pwm_option *o = option(inst, key, T_STRING);
	free(o->s); /* a test may override a default */
	o->s = dup(value);
}
void pwm_option_int(pw_instance *inst, const char *key, int64_t value) { option(inst, key, T_INT)->n = (double)value; }
void pwm_option_number(pw_instance *inst, const char *key, double value) { option(inst, key, T_NUMBER)->n = value; }
void pwm_option_bool(pw_instance *inst, const char *key, int value) { option(inst, key, T_BOOL)->n = value != 0; }

void
pwm_option_list(pw_instance *inst, const char *key, const char *const *values)
{
	struct pwm_option *o = option(inst, key, T_LIST);
	for (size_t k = 0; k < o->count; k++)
		free(o->items[k]);
	free(o->items);
	o->count = 0;
	while (values && values[o->count])
		o->count++;
	o->items = calloc(o->count + 1, sizeof *o->items);
	for (size_t i = 0; i < o->count; i++)
		o->items[i] = dup(values[i]);
}

void
pwm_option_map(pw_instance *inst, const char *key, const char *name, double value)
{
	struct pwm_option *o = option(inst, key, T_MAP);
	o->items = realloc(o->items, (o->count + 1) * sizeof *o->items);
	o->weights = realloc(o->weights, (o->count + 1) * sizeof *o->weights);
	o->items[o->count] = dup(name);
	o->weights[o->count++] = value;
}

static const char *
m_config_string(pw_instance *inst, const char *key)
{
	const struct pwm_option *o = find_option(inst, key, T_STRING);
	return o ? o->s : NULL;
}

static int
m_config_int(pw_instance *inst, const char *key, int64_t *out)
{
	const struct pwm_option *o = find_option(inst, key, T_INT);
	if (o)
		*out = (int64_t)o->n;
	return o != NULL;
}

static int
m_config_number(pw_instance *inst, const char *key, double *out)
{
	const struct pwm_option *o = find_option(inst, key, T_NUMBER);
	if (!o)
		o = find_option(inst, key, T_INT);
	if (o)
		*out = o->n;
	return o != NULL;
}

static int
m_config_given(pw_instance *inst, const char *key)
{
	for (size_t i = 0; i < inst->noptions; i++)
		if (strcmp(inst->options[i].key, key) == 0)
			return !inst->options[i].is_default;
	return 0;
}

static int
m_config_bool(pw_instance *inst, const char *key, int *out)
{
	const struct pwm_option *o = find_option(inst, key, T_BOOL);
	if (o)
		*out = (int)o->n;
	return o != NULL;
}

static size_t
m_config_list_count(pw_instance *inst, const char *key)
{
	const struct pwm_option *o = find_option(inst, key, T_LIST);
	return o ? o->count : 0;
}

static const char *
m_config_list_at(pw_instance *inst, const char *key, size_t i)
{
	const struct pwm_option *o = find_option(inst, key, T_LIST);
	return o && i < o->count ? o->items[i] : NULL;
}

static size_t
m_config_map_count(pw_instance *inst, const char *key)
{
	const struct pwm_option *o = find_option(inst, key, T_MAP);
	return o ? o->count : 0;
}

static const char *
m_config_map_at(pw_instance *inst, const char *key, size_t i, double *value)
{
	const struct pwm_option *o = find_option(inst, key, T_MAP);
	if (!o || i >= o->count)
		return NULL;
	if (value)
		*value = o->weights[i];
	return o->items[i];
}

/* ---- logging ---- */

static void
m_log(pw_instance *inst, pw_log_level level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	size_t used = strlen(inst->log);
	va_list ap;
	if (used + 2 >= sizeof inst->log)
		return;
	snprintf(inst->log + used, sizeof inst->log - used, "%s: ", names[level <= PW_LOG_DEBUG ? level : 3]);
	used = strlen(inst->log);
	va_start(ap, fmt);
	vsnprintf(inst->log + used, sizeof inst->log - used, fmt, ap);
	va_end(ap);
	used = strlen(inst->log);
	if (used + 1 < sizeof inst->log)
		strcat(inst->log, "\n");
}

/* ---- records ---- */

static pw_record *m_record_new(pw_instance *inst) { return calloc(1, sizeof(pw_record)); }

static void
clear_field(struct pwm_field *f)
{
	for (size_t i = 0; i < f->count; i++)
		free(f->values[i]);
	free(f->values);
	f->values = NULL;
	f->count = 0;
}

static void
m_record_free(pw_instance *inst, pw_record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nfields; i++) {
		clear_field(&r->fields[i]);
		free(r->fields[i].name);
	}
	for (size_t i = 0; i < r->nscores; i++) {
		free(r->score_name[i]);
		free(r->score_reason[i]);
	}
	free(r);
}

static struct pwm_field *
field(const pw_record *r, const char *name, int create)
{
	pw_record *w = (pw_record *)r;
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &w->fields[i];
	if (!create || r->nfields == PWM_MAX)
		return NULL;
	struct pwm_field *f = &w->fields[w->nfields++];
	memset(f, 0, sizeof *f);
	f->name = dup(name);
	return f;
}

static pw_status
m_record_set(pw_instance *inst, pw_record *r, const char *name, const char *value)
{
	struct pwm_field *f = field(r, name, 1);
	if (!f || !value)
		return PW_ERROR;
	clear_field(f);
	f->is_list = 0;
	f->values = malloc(sizeof *f->values);
	f->values[0] = dup(value);
	f->count = 1;
	return PW_OK;
}

static pw_status
m_record_add(pw_instance *inst, pw_record *r, const char *name, const char *value)
{
	struct pwm_field *f = field(r, name, 1);
	if (!f || !value)
		return PW_ERROR;
	if (!f->is_list)
		clear_field(f);
	f->is_list = 1;
	f->values = realloc(f->values, (f->count + 1) * sizeof *f->values);
	f->values[f->count++] = dup(value);
	return PW_OK;
}

static pw_status
m_record_set_time(pw_instance *inst, pw_record *r, const char *name, int64_t t)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)t);
	return m_record_set(inst, r, name, buf);
}

static const char *
m_record_get(pw_instance *inst, const pw_record *r, const char *name)
{
	const struct pwm_field *f = field(r, name, 0);
	return f && f->count ? f->values[0] : NULL;
}

static size_t
m_record_count(pw_instance *inst, const pw_record *r, const char *name)
{
	const struct pwm_field *f = field(r, name, 0);
	return f ? f->count : 0;
}

static const char *
m_record_get_at(pw_instance *inst, const pw_record *r, const char *name, size_t i)
{
	const struct pwm_field *f = field(r, name, 0);
	return f && i < f->count ? f->values[i] : NULL;
}

static int64_t
m_record_get_time(pw_instance *inst, const pw_record *r, const char *name)
{
	const char *v = m_record_get(inst, r, name);
	return v ? strtoll(v, NULL, 10) : 0;
}

static double
m_record_score(pw_instance *inst, const pw_record *r)
{
	double s = 0;
	for (size_t i = 0; i < r->nscores; i++)
		s += r->score_value[i];
	return s;
}

static size_t m_record_score_count(pw_instance *inst, const pw_record *r) { return r->nscores; }

static const char *
m_record_score_at(pw_instance *inst, const pw_record *r, size_t i, double *value, const char **reason)
{
	if (i >= r->nscores)
		return NULL;
	if (value)
		*value = r->score_value[i];
	if (reason)
		*reason = r->score_reason[i];
	return r->score_name[i];
}

static size_t m_record_field_count(pw_instance *inst, const pw_record *r) { return r->nfields; }
static const char *m_record_field_name(pw_instance *inst, const pw_record *r, size_t i)
{ return i < r->nfields ? r->fields[i].name : NULL; }
static int m_record_field_is_list(pw_instance *inst, const pw_record *r, size_t i)
{ return i < r->nfields ? r->fields[i].is_list : 0; }

static pw_status
m_emit(pw_instance *inst, pw_record *rec)
{
	if (inst->nemitted == sizeof inst->emitted / sizeof inst->emitted[0]) {
		m_record_free(inst, rec);
		return PW_ERROR;
	}
	inst->emitted[inst->nemitted++] = rec;
	return PW_OK;
}

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
		m_record_free(inst, inst->emitted[--inst->nemitted]);
	return PW_OK;
}

/* ---- HTTP ---- */

/* A spooled body lives in an unlinked temporary file, as in the host. */
static void
spool(pw_response *r)
{
	r->spool = tmpfile();
	if (r->spool) {
		fwrite(r->body, 1, r->len, r->spool);
		fflush(r->spool);
		rewind(r->spool);
	}
	free(r->body);
	r->body = NULL;
}

static pw_status
m_http_request(pw_instance *inst, const char *method, const char *url, const char *const *headers,
               const char *body, size_t len, unsigned flags, pw_response **out)
{
	inst->nrequests++;
	for (size_t i = 0; i < inst->nroutes; i++)
		if (strstr(url, inst->route_match[i])) {
			pw_response *r = calloc(1, sizeof *r);
			r->code = inst->route_code[i];
			r->body = dup(inst->route_body[i]);
			r->len = strlen(r->body);
			if (flags & PW_HTTP_SPOOL)
				spool(r);
			*out = r;
			return PW_OK;
		}
	m_log(inst, PW_LOG_ERROR, "mock: no route for %s", url);
	*out = NULL;
	return PW_RETRY;
}

static pw_status
m_http_get(pw_instance *inst, const char *url, unsigned flags, pw_response **out)
{
	return m_http_request(inst, "GET", url, NULL, NULL, 0, flags, out);
}

static long m_response_code(pw_instance *inst, const pw_response *r) { return r ? r->code : 0; }
static const char *m_response_body(pw_instance *inst, const pw_response *r, size_t *len)
{
	if (len)
		*len = r ? r->len : 0;
	return r ? r->body : NULL;
}
static const char *m_response_header(pw_instance *inst, const pw_response *r, const char *n) { return NULL; }
static int m_response_fd(pw_instance *inst, const pw_response *r) { return r && r->spool ? fileno(r->spool) : -1; }
static void m_response_free(pw_instance *inst, pw_response *r)
{
	if (r) {
		free(r->body);
		if (r->spool)
			fclose(r->spool);
	}
	free(r);
}

/* ---- state, cache ---- */

static const char *
m_state_get(pw_instance *inst, const char *key)
{
	for (size_t i = 0; i < inst->nstate; i++)
		if (strcmp(inst->state_key[i], key) == 0)
			return inst->state_value[i];
	return NULL;
}

static pw_status
m_state_set(pw_instance *inst, const char *key, const char *value)
{
	for (size_t i = 0; i < inst->nstate; i++)
		if (strcmp(inst->state_key[i], key) == 0) {
			free(inst->state_value[i]);
			inst->state_value[i] = dup(value);
			return PW_OK;
		}
	if (inst->nstate == PWM_MAX)
		return PW_ERROR;
	inst->state_key[inst->nstate] = dup(key);
	inst->state_value[inst->nstate++] = dup(value);
	return PW_OK;
}

/* ---- deliveries ---- */

static size_t m_delivery_count(pw_instance *inst, const pw_delivery *d) { return d->n; }
static const pw_record *m_delivery_record(pw_instance *inst, const pw_delivery *d, size_t i)
{ return i < d->n ? d->records[i] : NULL; }
static const char *
m_delivery_info(pw_instance *inst, const pw_delivery *d, const char *key)
{
	for (size_t i = 0; i < d->ninfo; i++)
		if (strcmp(d->keys[i], key) == 0)
			return d->values[i];
	return NULL;
}

static const char *m_instance_name(pw_instance *inst) { return "mock"; }

static pw_status
m_delivered_each(pw_instance *inst, int64_t since, void (*fn)(void *, const pw_record *, int64_t), void *ud)
{
	return PW_OK;
}

static pw_status
m_history_each(pw_instance *inst, size_t max, void (*fn)(void *, const pw_record *), void *ud)
{
	return PW_OK;
}

static void
m_report_count(pw_instance *inst, const char *counter, int64_t delta)
{
	for (size_t i = 0; i < inst->ncounters; i++)
		if (strcmp(inst->counter_name[i], counter) == 0) {
			inst->counter_value[i] += delta;
			return;
		}
	if (inst->ncounters == 16)
		return;
	snprintf(inst->counter_name[inst->ncounters], sizeof inst->counter_name[0], "%s", counter);
	inst->counter_value[inst->ncounters++] = delta;
}

int64_t
pwm_counter(const pw_instance *inst, const char *counter)
{
	for (size_t i = 0; i < inst->ncounters; i++)
		if (strcmp(inst->counter_name[i], counter) == 0)
			return inst->counter_value[i];
	return 0;
}

static void
m_report_note(pw_instance *inst, const char *note)
{
	snprintf(inst->note, sizeof inst->note, "%s", note);
}

const char *
pwm_note(const pw_instance *inst)
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
pwm_effect(const pw_instance *inst, int *calls)
{
	if (calls)
		*calls = inst->effect_calls;
	return inst->effect;
}

void
pwm_set_effect_answer(pw_instance *inst, pw_status answer)
{
	inst->effect_answer = answer;
}

void
pwm_set_fetch_since(pw_instance *inst, int64_t since)
{
	inst->fetch_since = since;
}

static const pw_host pwm_table = {
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
	.response_fd = m_response_fd,
	.emit_begin = m_emit_begin,
	.emit_end = m_emit_end,
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
	.report_count = m_report_count,
	.report_note = m_report_note,
	.fetch_since = m_fetch_since,
	.effect_begin = m_effect_begin,
	.config_given = m_config_given,
};

const pw_host *
pwm_host(void)
{
	return &pwm_table;
}

pw_instance *
pwm_instance_new(void)
{
	pw_instance *inst = calloc(1, sizeof(pw_instance));
	if (inst)
		inst->fetch_since = -1;
	return inst;
}

pw_instance *
pwm_instance_new_for(const pw_option *schema)
{
	pw_instance *inst = pwm_instance_new();
	for (const pw_option *o = schema; inst && o && o->key; o++) {
		if (!o->default_value)
			continue;
		switch (o->type) {
		case PW_OPT_STRING: pwm_option_string(inst, o->key, o->default_value); break;
		case PW_OPT_INT: pwm_option_int(inst, o->key, strtoll(o->default_value, NULL, 10)); break;
		case PW_OPT_NUMBER: pwm_option_number(inst, o->key, strtod(o->default_value, NULL)); break;
		case PW_OPT_BOOL: pwm_option_bool(inst, o->key, strcmp(o->default_value, "true") == 0); break;
		default: break; /* list and map defaults are JSON text: set them in the test */
		}
		/* A test setting it later makes it given again (option() is reused). */
		for (size_t i = 0; i < inst->noptions; i++)
			if (strcmp(inst->options[i].key, o->key) == 0)
				inst->options[i].is_default = 1;
	}
	return inst;
}

void
pwm_instance_free(pw_instance *inst)
{
	if (!inst)
		return;
	for (size_t i = 0; i < inst->noptions; i++) {
		struct pwm_option *o = &inst->options[i];
		free(o->key);
		free(o->s);
		for (size_t k = 0; k < o->count; k++)
			free(o->items[k]);
		free(o->items);
		free(o->weights);
	}
	for (size_t i = 0; i < inst->nroutes; i++) {
		free(inst->route_match[i]);
		free(inst->route_body[i]);
	}
	for (size_t i = 0; i < inst->nemitted; i++)
		m_record_free(inst, inst->emitted[i]);
	for (size_t i = 0; i < inst->nstate; i++) {
		free(inst->state_key[i]);
		free(inst->state_value[i]);
	}
	free(inst);
}

void
pwm_route(pw_instance *inst, const char *contains, long code, const char *body)
{
	if (inst->nroutes == PWM_MAX)
		return;
	inst->route_match[inst->nroutes] = dup(contains);
	inst->route_body[inst->nroutes] = dup(body ? body : "");
	inst->route_code[inst->nroutes++] = code;
}

size_t pwm_requests(const pw_instance *inst) { return inst->nrequests; }
size_t pwm_emitted_count(const pw_instance *inst) { return inst->nemitted; }
const pw_record *pwm_emitted(const pw_instance *inst, size_t i) { return i < inst->nemitted ? inst->emitted[i] : NULL; }
const char *pwm_log(const pw_instance *inst) { return inst->log; }

pw_delivery *
pwm_delivery_new(pw_record **records, size_t n, ...)
{
	pw_delivery *d = calloc(1, sizeof *d);
	va_list ap;
	const char *k;
	d->records = records;
	d->n = n;
	va_start(ap, n);
	while ((k = va_arg(ap, const char *)) != NULL && d->ninfo < 16) {
		d->keys[d->ninfo] = dup(k);
		d->values[d->ninfo++] = dup(va_arg(ap, const char *));
	}
	va_end(ap);
	return d;
}

void
pwm_delivery_free(pw_delivery *d)
{
	for (size_t i = 0; i < d->ninfo; i++) {
		free(d->keys[i]);
		free(d->values[i]);
	}
	free(d);
}
