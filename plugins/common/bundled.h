/* bundled.h: what every plugin shipped with paperwire says of itself in
 * the same words.  The ABI header, the project's licence and authorship
 * are stated once, so a change of licence is one line; the callbacks are
 * found by the bundled plugins' naming rule (PREFIX_create, PREFIX_fetch /
 * _score / _enrich / _write, PREFIX_prepare, PREFIX_destroy), so a
 * misnamed callback is a compile error rather than a NULL member.
 * Third-party plugins write these members themselves (paperwire-plugin(7)
 * and paperwire-new-plugin show how). */
#ifndef PW_BUNDLED_H
#define PW_BUNDLED_H

#include "paperwire/plugin.h"

/* FLAGS: PW_NO_FLAGS or PW_PLUGIN_* flags. */
#define PW_NO_FLAGS 0u

#define PW_BUNDLED_PLUGIN(plugin_name, plugin_kind, plugin_flags, plugin_version)                                   \
	.abi = PW_ABI_HEADER_FOR(pw_plugin), .name = (plugin_name), .kind = (plugin_kind), .flags = (plugin_flags), \
	.version = (plugin_version), .license = "MIT", .author = "the paperwire developers"

/* WORK: the kind's callback member, one of fetch, score, enrich, write. */
#define PW_BUNDLED_CALLBACKS(prefix, work) \
	.create = prefix##_create, .work = prefix##_##work, .destroy = prefix##_destroy

/* The same with a prepare callback (scorers and enrichers that see the
 * whole batch first). */
#define PW_BUNDLED_CALLBACKS_PREPARED(prefix, work) PW_BUNDLED_CALLBACKS(prefix, work), .prepare = prefix##_prepare

#endif
