/* A plugin whose option entries are longer than this host's pw_option,
 * as those of a plugin built for a later minor that added members would be
 * (simulated: each entry carries one more pointer).  It must load, with
 * every entry read at the stride it declared. */
#include "paperwire/plugin.h"

struct grown_option {
	pw_option known;
	const char *from_a_later_minor;
};

static const struct grown_option options[] = {
	{ { PW_OPTION("first", PW_OPT_INT, "1", 0, "the first option"), .range = "0..9" }, "later" },
	{ { PW_OPTION("second", PW_OPT_STRING, "b", 0, "the second option"), .choices = "a|b" }, "later" },
	{ PW_OPTIONS_END, NULL },
};

static pw_status
score(const pw_host *h, pw_instance *inst, void *state, const pw_record *rec, double *value, int *veto, char *reason,
      size_t reason_size)
{
	*value = 1;
	return PW_OK;
}

static const pw_plugin desc = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "grown_options",
	.kind = PW_KIND_SCORER,
	.version = "1.0",
	.options = &options[0].known,
	.option_size = sizeof options[0],
	.score = score,
};

PW_PLUGIN_DEFINE(desc)
