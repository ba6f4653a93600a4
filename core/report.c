/* report.c: one line a human reads in cron mail, one JSON a script reads
 * from the run log; both from the same counts. */
#include "autoconf.h"

#include <stdarg.h>
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
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "name", s->name);
		cJSON_AddStringToObject(j, "plugin", s->plugin);
		cJSON_AddNumberToObject(j, "fetched", (double)s->fetched);
		cJSON_AddNumberToObject(j, "new", (double)s->new_papers);
		cJSON_AddNumberToObject(j, "rejected", (double)s->rejected);
		cJSON_AddNumberToObject(j, "requests", (double)s->requests);
		cJSON_AddNumberToObject(j, "retries", (double)s->retries);
		cJSON_AddStringToObject(j, "http", s->http_codes);
		cJSON_AddStringToObject(j, "counters", s->counters);
		cJSON_AddStringToObject(j, "note", s->note);
		cJSON_AddBoolToObject(j, "failed", s->failed);
		cJSON_AddItemToArray(srcs, j);
	}
	cJSON *dgs = cJSON_AddArrayToObject(o, "digests");
	for (size_t i = 0; i < r->ndigests; i++) {
		const report_digest *d = &r->digests[i];
		cJSON *j = cJSON_CreateObject();
		cJSON_AddStringToObject(j, "name", d->name);
		cJSON_AddNumberToObject(j, "candidates", (double)d->candidates);
		cJSON_AddNumberToObject(j, "scored", (double)d->scored);
		cJSON_AddNumberToObject(j, "vetoed", (double)d->vetoed);
		cJSON_AddNumberToObject(j, "selected", (double)d->selected);
		cJSON_AddStringToObject(j, "empty_reason", d->empty_reason);
		cJSON_AddStringToObject(j, "stages", d->stages);
		cJSON *sinks = cJSON_AddArrayToObject(j, "sinks");
		for (size_t k = 0; k < d->nsinks; k++) {
			cJSON *sj = cJSON_CreateObject();
			cJSON_AddStringToObject(sj, "name", d->sinks[k].name);
			cJSON_AddStringToObject(sj, "plugin", d->sinks[k].plugin);
			cJSON_AddNumberToObject(sj, "delivered", (double)d->sinks[k].delivered);
			cJSON_AddNumberToObject(sj, "earlier", (double)d->sinks[k].earlier);
			cJSON_AddNumberToObject(sj, "pending", (double)d->sinks[k].pending);
			cJSON_AddBoolToObject(sj, "failed", d->sinks[k].failed);
			cJSON_AddItemToArray(sinks, sj);
		}
		cJSON_AddItemToArray(dgs, j);
	}
	char *out = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return out;
}
