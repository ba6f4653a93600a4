/* closer.c: see closer.h. */
#include "autoconf.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "closer.h"

static void *
close_fd(void *arg)
{
	close((int)(intptr_t)arg);
	return NULL;
}

void
close_beside_the_run(int fd)
{
	pthread_attr_t attr;
	pthread_t thread;
	if (fd < 0)
		return;
	if (pthread_attr_init(&attr) != 0) {
		close(fd);
		return;
	}
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Signals stay with the run's thread, whose interrupt handling
	 * expects them there. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int started = pthread_create(&thread, &attr, close_fd, (void *)(intptr_t)fd) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (!started)
		close(fd);
}
