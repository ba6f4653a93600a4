/* counters.c: see counters.h. */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include "counters.h"

int
counters_add(counter_set *s, const char *name, int64_t delta)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0) {
			s->v[i].value += delta;
			return 0;
		}
	counter_entry *grown = realloc(s->v, (s->n + 1) * sizeof *grown);
	char *copy = strdup(name);
	if (grown)
		s->v = grown;
	if (!grown || !copy) {
		free(copy);
		return -1;
	}
	s->v[s->n++] = (counter_entry){ copy, delta };
	return 0;
}

int64_t
counters_get(const counter_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return s->v[i].value;
	return 0;
}

void
counters_free(counter_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
