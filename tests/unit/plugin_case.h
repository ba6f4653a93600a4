/* plugin_case.h: what a test of one plugin on the mock host needs: the
 * plugin (its pw_plugin_entry linked in), the host, instances made from
 * JSON options, and our own fixtures by name. */
#ifndef PW_PLUGIN_CASE_H
#define PW_PLUGIN_CASE_H

#include "paperwire/mock_host.h"

extern const pw_plugin *P;
extern const pw_host *H;

/* A Check fixture: sets P and H. */
void pc_setup(void);
/* An instance whose create() must succeed. */
pw_instance *pc_instance(const char *options, void **state);
void pc_finish(pw_instance *in, void *state);
/* The path of tests/fixtures/NAME in the source tree. */
const char *pc_fixture(const char *name);

#endif
