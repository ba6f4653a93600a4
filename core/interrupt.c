/* interrupt.c: see interrupt.h. */
#include "autoconf.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"

static volatile sig_atomic_t received;

static void
on_signal(int signo)
{
	received = signo;
	/* The next one is not caught: a second Ctrl-C ends the run now. */
	signal(signo, SIG_DFL);
}

void
interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a sleep or a read in progress returns early. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
interrupt_pending(void)
{
	return received;
}

const char *
interrupt_name(int signo)
{
	return signo == SIGTERM ? "SIGTERM" : signo == SIGINT ? "SIGINT" : "a signal";
}

void
crash_point(const char *name)
{
	static int loaded;
	static char want[64];
	static long nth = 1, seen;
	if (!loaded) {
		const char *v = getenv("PAPERWIRE_CRASH_AT");
		loaded = 1;
		if (v) {
			snprintf(want, sizeof want, "%s", v);
			char *colon = strchr(want, ':');
			if (colon) {
				*colon = '\0';
				nth = strtol(colon + 1, NULL, 10);
			}
		}
	}
	if (!want[0] || strcmp(want, name) != 0 || ++seen != nth)
		return;
	fprintf(stderr, "paperwire: crash point %s:%ld reached, killing the run\n", name, nth);
	fflush(stderr);
	raise(SIGKILL);
}
