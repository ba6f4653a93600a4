/* pipeline.h: one run: sources, merge, scorers, select, enrichers, sinks. */
#ifndef PW_PIPELINE_H
#define PW_PIPELINE_H

#include <stdint.h>

#include "config.h"
#include "loader.h"

typedef struct run_options {
	int dry_run;
	int64_t since;   /* --since: Unix time, or -1 for each source's last success */
} run_options;

/* Matches every instance with its plugin and checks options; with
 * create_instances, also starts and stops each (as `paperwire check`
 * does).  Returns the number of errors added to diag. */
int pipeline_check(pw_config *cfg, const ldr_registry *reg, int create_instances, cfg_diag *diag);

/* Runs the chain; returns the exit code (0, 1 or 2). */
int pipeline_run(pw_config *cfg, const ldr_registry *reg, const run_options *opt);

#endif
