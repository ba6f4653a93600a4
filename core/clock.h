/* clock.h: seconds on the monotonic clock, for every duration the host
 * measures (request spacing, progress, run time): never the wall clock,
 * which jumps. */
#ifndef PW_CLOCK_H
#define PW_CLOCK_H

double clock_seconds(void);

#endif
