/* counters.h: an instance's report_count counters ("pages 3, calls 5"), as
 * many as a plugin names: the host's and the mock host's bookkeeping. */
#ifndef PW_COUNTERS_H
#define PW_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

typedef struct counter_entry {
	char *name;
	int64_t value;
} counter_entry;

typedef struct counter_set {
	counter_entry *v;
	size_t n;
} counter_set;

/* Adds delta to the counter name, creating it at 0 first.  0, or -1 when
 * out of memory (the counter is not kept). */
int counters_add(counter_set *s, const char *name, int64_t delta);
/* Its value, 0 when it was never added to. */
int64_t counters_get(const counter_set *s, const char *name);
void counters_free(counter_set *s);

#endif
