/* canonical.c: see canonical.h. */
#include <string.h>

#include "canonical.h"

int
cn_id(const pw_host *h, pw_instance *inst, const char *raw, char *out, size_t size, int *version)
{
	int unused;
	if (!version)
		version = &unused;
	*version = 0;
	if (!raw || !*raw || size == 0)
		return -1;
	return h->canonical_id(inst, raw, out, size, version);
}
