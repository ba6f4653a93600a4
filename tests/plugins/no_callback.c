/* A sink without its write callback: must be refused. */
#include "paperwire/plugin.h"

static const pw_plugin desc = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "no_callback",
	.kind = PW_KIND_SINK,
	.version = "1.0",
};

PW_PLUGIN_DEFINE(desc)
