/* Two files that claim one name: the second in search order is refused. */
#include "paperwire/plugin.h"

static pw_status
score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto, char *reason,
      size_t reason_size)
{
	*value = 1;
	return PW_OK;
}

static const pw_plugin desc = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "dup",
	.kind = PW_KIND_SCORER,
	.version = "second",
	.score = score,
};

PW_PLUGIN_DEFINE(desc)
