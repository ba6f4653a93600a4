/* report.c: one line a human reads in cron mail, one JSON a script reads
 * from the run log; both from the same counts. */
#include "autoconf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report.h"

struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = (b->len + (size_t)n + 1) * 2;
		char *ns = realloc(b->s, cap);
		if (!ns)
			return;
		b->s = ns;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
report_summary(const run_report *r)
{
	struct strbuf b = { NULL, 0, 0 };
	sb_printf(&b, "%srun %lld in %.1f s", r->dry_run ? "dry " : "", r->run_id, r->elapsed);
	for (size_t i = 0; i < r->nsources; i++) {
		const report_source *s = &r->sources[i];
		sb_printf(&b, "; source %s: %s%ld fetched, %ld new", s->name, s->failed ? "FAILED, " : "", s->fetched,
		          s->new_papers);
		if (s->http_codes[0])
			sb_printf(&b, " (HTTP %s%s%ld retries)", s->http_codes, ", ", s->retries);
		if (s->counters[0])
			sb_printf(&b, " (%s)", s->counters);
		if (s->note[0])
			sb_printf(&b, " [%s]", s->note);
	}
	for (size_t i = 0; i < r->ndigests; i++) {
		const report_digest *d = &r->digests[i];
		sb_printf(&b, "; digest %s: %ld scored, %ld vetoed, %ld selected", d->name, d->scored, d->vetoed,
		          d->selected);
		if (d->selected == 0 && d->empty_reason[0])
			sb_printf(&b, " (nothing new: %s)", d->empty_reason);
		if (d->stages[0])
			sb_printf(&b, " (%s)", d->stages);
		if (d->failed_scorers[0])
			sb_printf(&b, " (FAILED to score: %s)", d->failed_scorers);
		for (size_t j = 0; j < d->nsinks; j++) {
			const report_sink *k = &d->sinks[j];
			if (r->dry_run)
				sb_printf(&b, "; sink %s: not written (dry run)", k->name);
			else if (k->failed)
				sb_printf(&b, "; sink %s: FAILED, %ld left pending", k->name, k->pending);
			else if (k->earlier > 0)
				sb_printf(&b, "; sink %s: %ld delivered (%ld of them selected by an earlier run)",
				          k->name, k->delivered, k->earlier);
			else
				sb_printf(&b, "; sink %s: %ld delivered", k->name, k->delivered);
		}
	}
	sb_printf(&b, "; exit %d", r->exit_code);
	return b.s;
}

/* The counts of one object of the report, written by a table so that the
 * JSON keys and the struct members are paired in one place. */
struct count_field {
	const char *key;
	size_t offset; /* of a long */
};

static const struct count_field source_counts[] = {
	{ "fetched", offsetof(report_source, fetched) },   { "new", offsetof(report_source, new_papers) },
	{ "rejected", offsetof(report_source, rejected) }, { "requests", offsetof(report_source, requests) },
	{ "retries", offsetof(report_source, retries) },
};
static const struct count_field digest_counts[] = {
	{ "candidates", offsetof(report_digest, candidates) },
	{ "scored", offsetof(report_digest, scored) },
	{ "vetoed", offsetof(report_digest, vetoed) },
	{ "selected", offsetof(report_digest, selected) },
};
static const struct count_field sink_counts[] = {
	{ "delivered", offsetof(report_sink, delivered) },
	{ "earlier", offsetof(report_sink, earlier) },
	{ "pending", offsetof(report_sink, pending) },
};

static void
add_counts(cJSON *j, const void *item, const struct count_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cJSON_AddNumberToObject(j, f[i].key,
		                        (double)*(const long *)(const void *)((const char *)item + f[i].offset));
}

/* A new object of the array, with the item's name first. */
static cJSON *
named_object(cJSON *array, const char *name)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "name", name);
	cJSON_AddItemToArray(array, j);
	return j;
}

char *
report_json(const run_report *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "run", (double)r->run_id);
	cJSON_AddBoolToObject(o, "dry_run", r->dry_run);
	cJSON_AddNumberToObject(o, "elapsed", r->elapsed);
	cJSON_AddNumberToObject(o, "fetched", (double)r->fetched);
	cJSON_AddNumberToObject(o, "exit_code", r->exit_code);
	cJSON *srcs = cJSON_AddArrayToObject(o, "sources");
	for (size_t i = 0; i < r->nsources; i++) {
		const report_source *s = &r->sources[i];
		cJSON *j = named_object(srcs, s->name);
		cJSON_AddStringToObject(j, "plugin", s->plugin);
		add_counts(j, s, source_counts, sizeof source_counts / sizeof source_counts[0]);
		cJSON_AddStringToObject(j, "http", s->http_codes);
		cJSON_AddStringToObject(j, "counters", s->counters);
		cJSON_AddStringToObject(j, "note", s->note);
		cJSON_AddBoolToObject(j, "failed", s->failed);
	}
	cJSON *dgs = cJSON_AddArrayToObject(o, "digests");
	for (size_t i = 0; i < r->ndigests; i++) {
		const report_digest *d = &r->digests[i];
		cJSON *j = named_object(dgs, d->name);
		add_counts(j, d, digest_counts, sizeof digest_counts / sizeof digest_counts[0]);
		cJSON_AddStringToObject(j, "empty_reason", d->empty_reason);
		cJSON_AddStringToObject(j, "stages", d->stages);
		cJSON_AddStringToObject(j, "failed_scorers", d->failed_scorers);
		cJSON *sinks = cJSON_AddArrayToObject(j, "sinks");
		for (size_t k = 0; k < d->nsinks; k++) {
			cJSON *sj = named_object(sinks, d->sinks[k].name);
			cJSON_AddStringToObject(sj, "plugin", d->sinks[k].plugin);
			add_counts(sj, &d->sinks[k], sink_counts, sizeof sink_counts / sizeof sink_counts[0]);
			cJSON_AddBoolToObject(sj, "failed", d->sinks[k].failed);
		}
	}
	char *out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}
