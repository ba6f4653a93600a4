/* pipeline.h: one run: sources, merge, scorers, select, enrichers, sinks. */
#ifndef PW_PIPELINE_H
#define PW_PIPELINE_H

#include <stdint.h>

#include "config.h"
#include "loader.h"

typedef struct run_options {
	int dry_run;
	int64_t since;      /* --since: Unix time, or -1 for each source's last success;
	                  * for preview, --day (-1: the latest fetch day) */
	const char *digest; /* preview --digest: one digest, or NULL for each */
} run_options;

/* Matches every instance with its plugin and checks options; with
 * create_instances, also starts and stops each (as `paperwire check`
 * does).  Returns the number of errors added to diag. */
int pipeline_check(pw_config *cfg, const ldr_registry *reg, int create_instances, cfg_diag *diag);

/* paperwire's exit codes, as `paperwire --help` and paperwire(1) list them. */
enum {
	PW_EXIT_OK = 0,     /* done (a day with no papers included) */
	PW_EXIT_FAILED = 1, /* a source, scorer, enricher or sink failed; the next run retries */
	PW_EXIT_USAGE = 2,  /* a usage or config error: fix the command or the file */
	PW_EXIT_BUSY = 3,   /* another run holds the store: nothing was done, run again later */
	PW_EXIT_STORE = 4,  /* the store cannot be used: unreadable, corrupt, or from a newer paperwire */
};

/* Runs the chain; returns one of the exit codes above (or 130 / 143
 * after SIGINT / SIGTERM). */
int pipeline_run(pw_config *cfg, const ldr_registry *reg, const run_options *opt);

/* `paperwire preview`: weighs a stored fetch day's papers with the config
 * as it is now and prints the selection beside what was delivered;
 * changes nothing.  Returns an exit code. */
int pipeline_preview(pw_config *cfg, const ldr_registry *reg, const run_options *opt);

#endif
