/* A plugin built for a future ABI major: must be refused. */
#include "paperwire/plugin.h"

static pw_status
fetch(const pw_host *h, pw_instance *inst, void *state)
{
	return PW_OK;
}

static const pw_plugin desc = {
	.abi = { PW_ABI_MAJOR + 1, 0, sizeof(pw_plugin) },
	.name = "bad_major",
	.kind = PW_KIND_SOURCE,
	.version = "1.0",
	.fetch = fetch,
};

PW_PLUGIN_DEFINE(desc)
