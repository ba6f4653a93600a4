/* progress.h: what a source is doing while it fetches (see progress.c). */
#ifndef PW_PROGRESS_H
#define PW_PROGRESS_H

#include "host.h"

/* The fetch of inst begins now. */
void progress_start(pw_instance *inst);
/* Something happened (a request ended, papers arrived): redraw the
 * terminal line (tty) or, now and then, log a line. */
void progress_tick(pw_instance *inst, int tty);

#endif
