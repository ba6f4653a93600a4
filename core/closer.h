/* closer.h: a descriptor closed by a thread of its own.
 *
 * The last close of an unlinked file frees its pages in the kernel's page
 * cache: for a spooled 93 MB listing that took 40 ms of the run's thread,
 * waiting for nothing.  Once handed over, the descriptor is the thread's;
 * the kernel finishes the close even if the process exits first. */
#ifndef PW_CLOSER_H
#define PW_CLOSER_H

/* Closes fd (>= 0) on a detached thread, or here when none can start. */
void close_beside_the_run(int fd);

#endif
