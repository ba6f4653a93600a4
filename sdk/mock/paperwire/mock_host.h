/* paperwire/mock_host.h: a stand-in host for unit-testing a plugin without
 * paperwire.  Installed with the SDK: compile mock_host.c (pkg-config
 * --variable=mockhostdir paperwire-plugin) with your plugin and your test.
 *
 *   pw_instance *in = pwm_instance_new();
 *   pwm_option_string(in, "path", "out.md");
 *   const pw_plugin *p = pw_plugin_entry();
 *   void *state;
 *   p->create(pwm_host(), in, &state);
 *   ...
 * Options are set typed, records are built with the host's own table,
 * HTTP answers come from routes, and what a source emits, logs and
 * requests can be read back. */
#ifndef PAPERWIRE_MOCK_HOST_H
#define PAPERWIRE_MOCK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

const pw_host *pwm_host(void);
pw_instance *pwm_instance_new(void);
/* An instance with the schema's defaults for string, integer, number and
 * boolean options, as the real host fills them in. */
pw_instance *pwm_instance_new_for(const pw_option *schema);
void pwm_instance_free(pw_instance *inst);

/* Options, as the config would give them. */
void pwm_option_string(pw_instance *inst, const char *key, const char *value);
void pwm_option_int(pw_instance *inst, const char *key, int64_t value);
void pwm_option_number(pw_instance *inst, const char *key, double value);
void pwm_option_bool(pw_instance *inst, const char *key, int value);
void pwm_option_list(pw_instance *inst, const char *key, const char *const *values); /* NULL-terminated */
void pwm_option_map(pw_instance *inst, const char *key, const char *name, double value); /* adds one entry */

/* HTTP: a URL containing `contains` gets code and body. */
void pwm_route(pw_instance *inst, const char *contains, long code, const char *body);
size_t pwm_requests(const pw_instance *inst);

/* What the plugin did. */
size_t pwm_emitted_count(const pw_instance *inst);
const pw_record *pwm_emitted(const pw_instance *inst, size_t i);
const char *pwm_log(const pw_instance *inst);
/* A counter the plugin added to with report_count. */
int64_t pwm_counter(const pw_instance *inst, const char *counter);
/* The last report_note, "" when none. */
const char *pwm_note(const pw_instance *inst);
/* What fetch_since answers (-1, a first run, unless set). */
void pwm_set_fetch_since(pw_instance *inst, int64_t since);
/* The last note a sink passed to effect_begin ("" when none) and how many
 * times it called it; what effect_begin answers (PW_OK unless set). */
const char *pwm_effect(const pw_instance *inst, int *calls);
void pwm_set_effect_answer(pw_instance *inst, pw_status answer);

/* A delivery of records (borrowed) for sinks; info pairs key, value, ..., NULL. */
pw_delivery *pwm_delivery_new(pw_record **records, size_t n, ...);
void pwm_delivery_free(pw_delivery *d);

#endif
