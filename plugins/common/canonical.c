/* canonical.c: see canonical.h. */
#include <stdio.h>
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
	if (PW_HOST_HAS(h, canonical_id))
		return h->canonical_id(inst, raw, out, size, version);
	return (size_t)snprintf(out, size, "%s", raw) < size ? 0 : -1;
}
