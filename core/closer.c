/* closer.c: see closer.h. */
#include "autoconf.h"

#include <stdint.h>
#include <unistd.h>

#include "closer.h"
#include "threads.h"

static void *
close_fd(void *arg)
{
	close((int)(intptr_t)arg);
	return NULL;
}

void
close_beside_the_run(int fd)
{
	pthread_t thread;
	if (fd >= 0 && thread_start_quiet(&thread, 1, close_fd, (void *)(intptr_t)fd) < 0)
		close(fd);
}
