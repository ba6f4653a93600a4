/* bundled.h: what every plugin shipped with paperwire says of itself in
 * the same words: the ABI header, the project's licence and authorship.
 * Stated once, so a change of licence is one line. Third-party plugins
 * write these members themselves (see paperwire-plugin(7)). */
#ifndef PW_BUNDLED_H
#define PW_BUNDLED_H

#include "paperwire/plugin.h"

#define PW_BUNDLED_PLUGIN(plugin_name, plugin_kind, plugin_version)                        \
	.abi = PW_ABI_HEADER_FOR(pw_plugin), .name = (plugin_name), .kind = (plugin_kind), \
	.version = (plugin_version), .license = "MIT", .author = "the paperwire developers"

#endif
