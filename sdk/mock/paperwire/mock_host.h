/* paperwire/mock_host.h: a stand-in host for unit-testing a plugin without
 * the paperwire binary.  Installed with the SDK as libpaperwire-mock
 * (pkg-config --variable=mocklibs paperwire-plugin); paperwire's own tests
 * use the same code.  Records and options are the host's own code
 * (core/record.c, core/config.c), so a plugin's tests see what the real host
 * does: the same text cleaning, record_set(..., NULL) removing a field, the
 * same option checking and defaults.
 *
 *   const pw_plugin *p = pw_plugin_entry();
 *   pw_instance *in = pwm_instance_new_json(p->options, "{\"path\": \"out.md\"}");
 *   void *state;
 *   p->create(pwm_host(), in, &state);
 *   ...
 * HTTP answers come from routes; what a plugin emits, logs, requests and
 * counts can be read back. */
#ifndef PAPERWIRE_MOCK_HOST_H
#define PAPERWIRE_MOCK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

#ifdef __cplusplus
extern "C" {
#endif

const pw_host *pwm_host(void);

/* An instance whose options are JSON text checked against schema as the
 * host checks a config (types, unknown keys, required options, choices and
 * ranges), with the defaults filled in.  NULL, with the reasons on stderr
 * and in pwm_refusal(), when they fail. */
pw_instance *pwm_instance_new_json(const pw_option *schema, const char *options_json);
/* Why the last pwm_instance_new_json refused its options, one line a
 * reason as 'paperwire check' prints them ("" after one that succeeded). */
const char *pwm_refusal(void);
/* An instance with the schema's defaults and no options yet; set them with
 * pwm_option_*.  pwm_instance_new() is the same with no schema. */
pw_instance *pwm_instance_new_for(const pw_option *schema);
pw_instance *pwm_instance_new(void);
void pwm_instance_free(pw_instance *inst);

/* Options, as the config would give them (they count as given). */
void pwm_option_string(pw_instance *inst, const char *key, const char *value);
void pwm_option_int(pw_instance *inst, const char *key, int64_t value);
void pwm_option_number(pw_instance *inst, const char *key, double value);
void pwm_option_bool(pw_instance *inst, const char *key, int value);
void pwm_option_list(pw_instance *inst, const char *key, const char *const *values);     /* NULL-terminated */
void pwm_option_map(pw_instance *inst, const char *key, const char *name, double value); /* adds one entry */

/* HTTP: a URL containing `contains` is answered with code and the body
 * (text, a file's bytes, or len bytes, NULs and all).  An unrouted URL
 * fails as a network error would (PW_RETRY). */
void pwm_route(pw_instance *inst, const char *contains, long code, const char *body);
void pwm_route_file(pw_instance *inst, const char *contains, long code, const char *file);
void pwm_route_bytes(pw_instance *inst, const char *contains, long code, const void *bytes, size_t len);
/* Adds a header ("Link: <...>; rel=\"next\"") to the answers of the route
 * last added for `contains`, read back through response_header. */
void pwm_route_header(pw_instance *inst, const char *contains, const char *line);
size_t pwm_requests(const pw_instance *inst);
const char *pwm_request_url(const pw_instance *inst, size_t i);
/* The body and headers ("Name: value\n" each) of the last http_request. */
const char *pwm_last_body(const pw_instance *inst);
const char *pwm_last_headers(const pw_instance *inst);

/* What the plugin did. */
size_t pwm_emitted_count(const pw_instance *inst);
pw_record *pwm_emitted(const pw_instance *inst, size_t i);
/* Everything logged so far, one message per line. */
const char *pwm_log(const pw_instance *inst);
/* A counter the plugin added to with report_count (0 when never). */
int64_t pwm_counter(const pw_instance *inst, const char *counter);
/* The last report_note, "" when none. */
const char *pwm_note(const pw_instance *inst);
/* What fetch_since answers (-1, a first run, unless set). */
void pwm_set_fetch_since(pw_instance *inst, int64_t since);
/* The last note a sink passed to effect_begin ("" when none) and how many
 * times it called it; what effect_begin answers (PW_OK unless set). */
const char *pwm_effect(const pw_instance *inst, int *calls);
void pwm_set_effect_answer(pw_instance *inst, pw_status answer);

/* What delivered_each reports: rec (taken) delivered at `at`; and what
 * history_each reports, most recent first (rec taken). */
void pwm_add_delivered(pw_instance *inst, pw_record *rec, int64_t at);
void pwm_add_history(pw_instance *inst, pw_record *rec);
/* What ratings_each reports, newest first: id rated +1 or -1, with its
 * record (taken; NULL for a paper the store would not hold). */
void pwm_add_rating(pw_instance *inst, const char *id, int rating, pw_record *rec);
/* A sink's rating_put lands in the same list (read it back with
 * ratings_each); how many there are now: */
size_t pwm_ratings(const pw_instance *inst);

/* A delivery of records (borrowed) for sinks and batches; info pairs key,
 * value, ..., NULL. */
pw_delivery *pwm_delivery_new(pw_record **records, size_t n, ...);
void pwm_delivery_free(pw_delivery *d);

#ifdef __cplusplus
}
#endif

#endif
