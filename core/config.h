/* config.h: the deployment's JSON file, parsed, expanded and checked.
 *
 * Errors: every problem becomes one line of a cfg_diag, "FILE:LINE:COL:
 * path: what, and what to do", found all at once rather than the first
 * only; the caller prints them (cfg_diag_print) and exits 2.  Nothing here
 * logs or exits. */
#ifndef PW_CONFIG_H
#define PW_CONFIG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "paperwire/plugin.h"

/* Error messages, each "FILE:LINE:COL: path: message". */
typedef struct cfg_diag {
	char **msgs;
	size_t count;
} cfg_diag;

void cfg_diag_free(cfg_diag *d);
void cfg_diag_print(const cfg_diag *d);
void cfg_diag_add(cfg_diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct cfg_instance {
	char *plugin;      /* plugin name */
	char *name;        /* instance name: "name", else the plugin name */
	char *path;        /* "sources[0]", "digests[1].sinks[2]" */
	double weight;     /* scorers; 1 by default */
	const cJSON *node; /* the instance object, owned by the config */
	cJSON *resolved;   /* options with defaults filled in, after cfg_check_options */
} cfg_instance;

typedef struct cfg_digest {
	char *name;
	char *path;
	cfg_instance *scorers, *enrichers, *sinks;
	size_t nscorers, nenrichers, nsinks;
	double min_score; /* -inf when unset */
	long max_papers;  /* 0 = no limit */
	int replacements; /* select.replacements: a new version of a delivered paper is weighed again */
} cfg_digest;

typedef struct pw_config {
	char *file;
	char *text;
	cJSON *root;
	char *store;
	char *contact;
	char **plugin_path;
	size_t nplugin_path;
	cfg_instance *sources;
	size_t nsources;
	cfg_digest *digests;
	size_t ndigests;
} pw_config;

/* Reads, parses, expands ${ENV} and checks the host-level shape.  On error
 * returns NULL with messages in diag. */
pw_config *cfg_load(const char *file, cfg_diag *diag);
void cfg_free(pw_config *cfg);

/* Checks an instance against its plugin's option schema and fills
 * inst->resolved.  Returns the number of errors added. */
int cfg_check_options(const pw_config *cfg, cfg_instance *inst, const pw_option *schema, int is_scorer, cfg_diag *diag);

/* Adds "FILE:LINE:COL: PATH[.KEY]: message" with the position of PATH.KEY. */
void cfg_report(const pw_config *cfg, cfg_diag *diag, const char *path, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

/* The top-level "http" object onto the client's options. */
struct http_options;
void cfg_http_options(const pw_config *cfg, struct http_options *o);

/* Typed reads of inst->resolved (NULL/0 when absent). */
const cJSON *cfg_option(const cfg_instance *inst, const char *key);

/* The "http" object's options, with their defaults (for the manual). */
const pw_option *cfg_http_schema_options(void);

/* 1 with why filled when a plugin's option schema breaks a rule of the
 * ABI (a reserved key, an unknown type, a default that is not JSON of its
 * type); 0 when it is sound.  The loader refuses such a plugin. */
int cfg_schema_problem(const pw_option *schema, int is_scorer, char *why, size_t size);

/* pw_host's config getters (host and mock host): a string (or NULL), a
 * number, integer or boolean (1 when set, 0 when absent or of another
 * type), whether the config gives key, and how many items a list (or, with
 * map, an object) has. */
const char *cfg_get_string(const cfg_instance *inst, const char *key);
int cfg_get_number(const cfg_instance *inst, const char *key, double *out);
int cfg_get_int(const cfg_instance *inst, const char *key, int64_t *out);
int cfg_get_bool(const cfg_instance *inst, const char *key, int *out);
int cfg_given(const cfg_instance *inst, const char *key);
size_t cfg_get_count(const cfg_instance *inst, const char *key, int map);

#endif
