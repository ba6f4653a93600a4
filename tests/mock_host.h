/* mock_host.h: a host for unit-testing plugins without the real binary.
 * Records are the host's own (core/record.c); config, HTTP, state, logs
 * and emitted records are kept in memory where tests can look at them. */
#ifndef PW_MOCK_HOST_H
#define PW_MOCK_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

const pw_host *mock_host(void);

/* An instance with options from JSON text, checked against schema (with
 * defaults applied).  NULL if the options do not pass the schema. */
pw_instance *mock_instance_new(const pw_option *schema, const char *options_json);
void mock_instance_free(pw_instance *inst);

/* HTTP: a URL containing `contains` is answered with code and the bytes of
 * file (or with body when file is NULL).  Unrouted URLs fail. */
void mock_route(pw_instance *inst, const char *contains, long code, const char *file, const char *body);
/* The same with a body of len bytes (NULs and all), as a fuzzer gives. */
void mock_route_bytes(pw_instance *inst, const char *contains, long code, const void *bytes, size_t len);
size_t mock_requests(const pw_instance *inst);
const char *mock_request_url(const pw_instance *inst, size_t i);

size_t mock_emitted_count(const pw_instance *inst);
pw_record *mock_emitted(const pw_instance *inst, size_t i);

/* What delivered_each reports: rec (taken) delivered at `at`, oldest first. */
void mock_add_delivered(pw_instance *inst, pw_record *rec, int64_t at);

/* What history_each reports, most recent first (rec taken). */
void mock_add_history(pw_instance *inst, pw_record *rec);
/* The body and headers ("Name: value\n" each) of the last http_request. */
const char *mock_last_body(const pw_instance *inst);
const char *mock_last_headers(const pw_instance *inst);

/* The last report_note ("" when none); what fetch_since answers (-1
 * unless set). */
const char *mock_note(const pw_instance *inst);
void mock_set_fetch_since(pw_instance *inst, int64_t since);
/* The last note a sink passed to effect_begin ("" when none) and how many
 * times it called it; what effect_begin answers (PW_OK unless set). */
const char *mock_effect(const pw_instance *inst, int *calls);
void mock_set_effect_answer(pw_instance *inst, pw_status answer);

/* Everything logged so far, one message per line. */
const char *mock_log(const pw_instance *inst);

/* A delivery of n records with info pairs (key, value, ..., NULL). */
pw_delivery *mock_delivery_new(pw_record **recs, size_t n, ...);
void mock_delivery_free(pw_delivery *d);

#endif
