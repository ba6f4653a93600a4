/* A plugin that names its options without their size (.options set by
 * hand, not with PW_OPTIONS): the host cannot know the stride, so it must
 * refuse the plugin and say how to mend it. */
#include "paperwire/plugin.h"

static const pw_option options[] = { { PW_OPTION("path", PW_OPT_STRING, NULL, 1, "where to write") }, PW_OPTIONS_END };

static pw_status
write_delivery(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	return PW_OK;
}

static const pw_plugin desc = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "no_option_size",
	.kind = PW_KIND_SINK,
	.version = "1.0",
	.options = options,
	.write = write_delivery,
};

PW_PLUGIN_DEFINE(desc)
