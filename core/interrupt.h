/* interrupt.h: SIGINT and SIGTERM stop a run at its next safe point
 * instead of wherever the signal lands; a second signal stops it at once. */
#ifndef PW_INTERRUPT_H
#define PW_INTERRUPT_H

void interrupt_install(void);
/* The signal received (SIGINT or SIGTERM), or 0. */
int interrupt_pending(void);
/* "SIGINT" or "SIGTERM". */
const char *interrupt_name(int signo);

/* A test hook of the real binary: with PAPERWIRE_CRASH_AT=NAME or
 * NAME:N in the environment, the Nth time (default 1) the run reaches the
 * point NAME it says so on stderr and kills itself with SIGKILL, so that
 * a test can stop a run between any store commit and any external effect,
 * deterministically.  Without it, a call costs one comparison. */
void crash_point(const char *name);

#endif
