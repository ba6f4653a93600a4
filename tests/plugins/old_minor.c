/* A plugin built against an older minor (simulated: minor 0 and a
 * descriptor size that stops after the callbacks 1.0 has).  It must load,
 * with every member it did not declare read as zero. */
#include <stddef.h>

#include "paperwire/plugin.h"

static pw_status
score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto, char *reason,
      size_t reason_size)
{
	*value = 2;
	return PW_OK;
}

static const pw_plugin desc = {
	.abi = { PW_ABI_MAJOR, 0, (uint32_t)(offsetof(pw_plugin, write) + sizeof(void (*)(void))) },
	.name = "old_minor",
	.kind = PW_KIND_SCORER,
	.version = "1.0",
	.score = score,
};

PW_PLUGIN_DEFINE(desc)
