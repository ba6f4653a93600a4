/* threads.h: a thread of the host's own, started with every signal
 * blocked in it.  Signals stay with the run's thread, whose interrupt
 * handling (interrupt.h) expects them there; a helper thread (the
 * checkpoint, a spool's close) must not be stopped halfway for nothing. */
#ifndef PW_THREADS_H
#define PW_THREADS_H

#include <pthread.h>

/* Starts fn(arg) in *thread, detached when asked; 0, or -1 when no
 * thread could start. */
int thread_start_quiet(pthread_t *thread, int detached, void *(*fn)(void *), void *arg);

#endif
