/* option_values.h: the choices and ranges of an option schema (ABI 2.0),
 * checked by config.c for the host and the mock host alike.
 * Errors: 1 with one sentence in why ("0 is outside 1..30000"), else 0. */
#ifndef PW_OPTION_VALUES_H
#define PW_OPTION_VALUES_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "paperwire/plugin.h"

/* A value of the option's type that its choices or range refuse. */
int opt_value_problem(const pw_option *o, const cJSON *v, char *why, size_t size);
/* Choices or a range the option cannot have, or a range that does not parse. */
int opt_schema_problem(const pw_option *o, char *why, size_t size);

#endif
