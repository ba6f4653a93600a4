/* progress.c: a long fetch is never silent.  On a terminal, one line kept
 * up to date (requests, papers, the source's own counters such as pages,
 * the rate, and the time left when the source said how much there is);
 * otherwise a line every PROGRESS_EVERY seconds, for cron logs and CI. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "host.h"
#include "log.h"
#include "progress.h"

#define PROGRESS_EVERY 15.0 /* seconds between lines when not on a terminal */
#define REDRAW_EVERY   0.2  /* seconds between redraws on a terminal */

static void
duration(double s, char *out, size_t size)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		snprintf(out, size, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(out, size, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(out, size, "%lds", t);
}

void
progress_start(pw_instance *inst)
{
	inst->progress_started = inst->progress_said = clock_seconds();
}

/* Seconds between lines when stderr is not a terminal.
 * PAPERWIRE_PROGRESS_EVERY lets a test see the lines at once; read once,
 * not on each of a run's hundred thousand ticks. */
static double
quiet_gap(void)
{
	static double gap = -1;
	if (gap < 0) {
		const char *every = getenv("PAPERWIRE_PROGRESS_EVERY");
		gap = every && *every ? atof(every) : PROGRESS_EVERY;
	}
	return gap;
}

void
progress_tick(pw_instance *inst, int tty)
{
	double now = clock_seconds();
	if (inst->progress_started <= 0)
		progress_start(inst);
	double gap = tty ? REDRAW_EVERY : quiet_gap();
	if (now - inst->progress_said < gap)
		return;
	inst->progress_said = now;
	double elapsed = now - inst->progress_started;
	double rate = elapsed > 0 ? (double)inst->emitted / elapsed : 0;
	int64_t pages = counters_get(&inst->counters, "pages"), expected = counters_get(&inst->counters, "expected");
	char took[32], left[96] = "";
	duration(elapsed, took, sizeof took);
	if (expected > inst->emitted && rate > 0) {
		char d[32];
		duration((double)(expected - inst->emitted) / rate, d, sizeof d);
		snprintf(left, sizeof left, " of about %lld, %s left", (long long)expected, d);
	}
	char line[512], page_part[32] = "";
	if (pages)
		snprintf(page_part, sizeof page_part, ", %lld page%s", (long long)pages, pages == 1 ? "" : "s");
	snprintf(line, sizeof line, "%ld request%s%s, %ld paper%s%s (%.0f/s), %s", inst->http_requests,
	         inst->http_requests == 1 ? "" : "s", page_part, inst->emitted, inst->emitted == 1 ? "" : "s", left,
	         rate, took);
	if (tty)
		log_progress("%s: %s", inst->cfg->name, line);
	else
		log_msg(PW_LOG_INFO, inst->cfg->name, "still fetching: %s", line);
}
