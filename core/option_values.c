/* option_values.c: what a plugin's option schema allows beyond a value's
 * type: its choices ("listing|api|oai") and its numeric range ("1..30000").
 * The host checks both at `check` time, so no plugin checks them by hand
 * and every refusal has the same words and the option's place. */
#include "autoconf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "option_values.h"
#include "../plugins/common/edit_distance.h"

/* "MIN..MAX" with either end empty; 0 when it does not parse. */
static int
parse_range(const char *range, double *min, double *max)
{
	const char *dots = strstr(range, "..");
	char *end;
	*min = -INFINITY;
	*max = INFINITY;
	if (!dots)
		return 0;
	if (dots != range) {
		/* strtod alone would read "1." of "1..5" as the number. */
		char low[64];
		if ((size_t)(dots - range) >= sizeof low)
			return 0;
		snprintf(low, sizeof low, "%.*s", (int)(dots - range), range);
		*min = strtod(low, &end);
		if (*end)
			return 0;
	}
	if (dots[2]) {
		*max = strtod(dots + 2, &end);
		if (*end)
			return 0;
	}
	return *min <= *max;
}

/* Whether word is one of the '|'-separated choices. */
static int
is_choice(const char *choices, const char *word)
{
	size_t n = strlen(word);
	for (const char *c = choices; *c;) {
		size_t len = strcspn(c, "|");
		if (len == n && strncmp(c, word, n) == 0)
			return 1;
		c += len + (c[len] == '|');
	}
	return 0;
}

/* "WORD" is not one of a, b or c; did you mean "b"? */
static void
describe_choices(const char *choices, const char *word, char *out, size_t size)
{
	size_t n = 1;
	for (const char *c = choices; *c; c++)
		n += *c == '|';
	char *copy = strdup(choices);
	const char **names = calloc(n, sizeof *names);
	if (!copy || !names) {
		snprintf(out, size, "\"%s\" is not one of %s", word, choices);
		free(copy);
		free(names);
		return;
	}
	char list[256] = "";
	names[0] = copy;
	for (size_t i = 0, k = 1; copy[i]; i++)
		if (copy[i] == '|') {
			copy[i] = '\0';
			names[k++] = copy + i + 1;
		}
	for (size_t k = 0; k < n; k++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof list - used, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", names[k]);
	}
	const char *near = ed_closest(word, names, n, 2);
	if (near)
		snprintf(out, size, "\"%s\" is not one of %s; did you mean \"%s\"?", word, list, near);
	else
		snprintf(out, size, "\"%s\" is not one of %s", word, list);
	free(copy);
	free(names);
}

static int
string_problem(const pw_option *o, const char *value, char *why, size_t size)
{
	if (!o->choices || is_choice(o->choices, value))
		return 0;
	describe_choices(o->choices, value, why, size);
	return 1;
}

static int
number_problem(const pw_option *o, const char *name, double value, char *why, size_t size)
{
	double min, max;
	if (!o->range || !parse_range(o->range, &min, &max) || (value >= min && value <= max))
		return 0;
	snprintf(why, size, "%s%s%g is outside %s", name ? name : "", name ? ": " : "", value, o->range);
	return 1;
}

int
opt_value_problem(const pw_option *o, const cJSON *v, char *why, size_t size)
{
	const cJSON *e;
	switch (o->type) {
	case PW_OPT_STRING: return cJSON_IsString(v) && string_problem(o, v->valuestring, why, size);
	case PW_OPT_INT:
	case PW_OPT_NUMBER: return cJSON_IsNumber(v) && number_problem(o, NULL, v->valuedouble, why, size);
	case PW_OPT_STRING_LIST:
		cJSON_ArrayForEach(e, v)
			if (cJSON_IsString(e) && string_problem(o, e->valuestring, why, size))
				return 1;
		return 0;
	case PW_OPT_NUMBER_MAP:
		cJSON_ArrayForEach(e, v)
			if (cJSON_IsNumber(e) && number_problem(o, e->string, e->valuedouble, why, size))
				return 1;
		return 0;
	}
	return 0;
}

int
opt_schema_problem(const pw_option *o, char *why, size_t size)
{
	double min, max;
	int is_text = o->type == PW_OPT_STRING || o->type == PW_OPT_STRING_LIST;
	if (o->choices && (!is_text || !*o->choices)) {
		snprintf(why, size, "option \"%s\": choices %s", o->key,
		         is_text ? "are empty" : "are only for strings and lists of strings");
		return 1;
	}
	if (o->range && (is_text || o->type == PW_OPT_BOOL)) {
		snprintf(why, size, "option \"%s\": a range is only for integers, numbers and maps of numbers", o->key);
		return 1;
	}
	if (o->range && !parse_range(o->range, &min, &max)) {
		snprintf(why, size, "option \"%s\": its range \"%.40s\" is not MIN..MAX (either end may be left out)",
		         o->key, o->range);
		return 1;
	}
	return 0;
}
