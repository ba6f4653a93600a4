/* plugin_case.c: see plugin_case.h. */
#include "autoconf.h"

#include <stdio.h>

#include "plugin_case.h"
#include "pw_check.h"

const pw_plugin *pw_plugin_entry(void);

const pw_plugin *P;
const pw_host *H;

void
pc_setup(void)
{
	P = pw_plugin_entry();
	H = pwm_host();
}

pw_instance *
pc_instance(const char *options, void **state)
{
	pw_instance *inst = pwm_instance_new_json(P->options, options);
	ck_assert_ptr_nonnull(inst);
	ck_assert_int_eq(P->create(H, inst, state), PW_OK);
	return inst;
}

void
pc_finish(pw_instance *in, void *state)
{
	P->destroy(H, in, state);
	pwm_instance_free(in);
}

const char *
pc_fixture(const char *name)
{
	char rel[256];
	snprintf(rel, sizeof rel, "tests/fixtures/%s", name);
	return pw_path("PW_SRCDIR", rel);
}
