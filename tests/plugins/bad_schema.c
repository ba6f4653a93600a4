/* A scorer whose option schema breaks the ABI's rules twice over: a
 * default that is not JSON of its type, and the host's "weight" key.
 * Must be refused at load, naming the first problem. */
#include "paperwire/plugin.h"

static const pw_option options[] = { { PW_OPTION("threshold", PW_OPT_INT, "twelve", 0,
	                                         "a default that is not an integer") },
	                             { PW_OPTION("weight", PW_OPT_NUMBER, "1", 0, "the host's own key") },
	                             PW_OPTIONS_END };

static pw_status
score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto, char *reason,
      size_t reason_size)
{
	*value = 0;
	return PW_OK;
}

static const pw_plugin desc = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "bad_schema",
	.kind = PW_KIND_SCORER,
	.version = "1.0",
	PW_OPTIONS(options),
	.score = score,
};

PW_PLUGIN_DEFINE(desc)
