/* config.c: the deployment file.  Everything is checked before anything
 * runs, and every error names FILE:LINE:COL and the option's path. */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "../plugins/common/edit_distance.h"
#include "http.h"
#include "json_locate.h"
#include "log.h"
#include "option_values.h"

#define CFG_MAX_FILE (4 * 1024 * 1024)

void
cfg_diag_add(cfg_diag *d, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char **nm = realloc(d->msgs, (d->count + 1) * sizeof *nm);
	if (!nm)
		return;
	d->msgs = nm;
	d->msgs[d->count] = strdup(buf);
	if (d->msgs[d->count])
		d->count++;
}

void
cfg_diag_free(cfg_diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->count = 0;
}

void
cfg_diag_print(const cfg_diag *d)
{
	for (size_t i = 0; i < d->count; i++) {
		char line[1100];
		snprintf(line, sizeof line, "%s", d->msgs[i]);
		log_mask_secrets(line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
}

void
cfg_report(const pw_config *cfg, cfg_diag *diag, const char *path, const char *key, const char *fmt, ...)
{
	char full[512], msg[768];
	int line = 0, col = 0;
	va_list ap;

	if (key)
		snprintf(full, sizeof full, "%s%s%s", path, *path ? "." : "", key);
	else
		snprintf(full, sizeof full, "%s", path);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	jloc_line_col(cfg->text, jloc_find(cfg->text, full, 0), &line, &col);
	cfg_diag_add(diag, "%s:%d:%d: %s: %s", cfg->file, line, col, full, msg);
}

static void
report_unknown_key(const pw_config *cfg, cfg_diag *diag, const char *path, const char *key, const char *const *known,
                   size_t nknown)
{
	char full[512];
	int line, col;
	const char *near = ed_closest(key, known, nknown, ed_typo_budget(key));
	snprintf(full, sizeof full, "%s%s%s", path, *path ? "." : "", key);
	jloc_line_col(cfg->text, jloc_find(cfg->text, full, 1), &line, &col);
	cfg_diag_add(diag, "%s:%d:%d: %s: unknown option%s%s%s", cfg->file, line, col, full,
	             near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
}

static int
by_key(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* cJSON keeps both members of a repeated key and reads the first, so the
 * second would be ignored without a word: each is an error, at the second. */
static int
check_duplicate_keys(const pw_config *cfg, const cJSON *node, const char *path, cfg_diag *diag)
{
	int errors = 0, i = 0;
	char child[512];
	const cJSON *item;
	if (cJSON_IsObject(node)) {
		size_t n = 0, k = 0;
		for (item = node->child; item; item = item->next)
			n++;
		const cJSON **v = n > 1 ? malloc(n * sizeof *v) : NULL;
		for (item = node->child; v && item; item = item->next)
			v[k++] = item;
		if (v)
			qsort(v, n, sizeof *v, by_key);
		for (k = 1; v && k < n; k++)
			if (strcmp(v[k]->string, v[k - 1]->string) == 0 &&
			    (k < 2 || strcmp(v[k]->string, v[k - 2]->string))) {
				int line, col, line1, col1;
				snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", v[k]->string);
				jloc_line_col(cfg->text, jloc_find(cfg->text, child, 1), &line1, &col1);
				jloc_line_col(cfg->text, jloc_find_repeat(cfg->text, path, v[k]->string), &line, &col);
				cfg_diag_add(
				        diag,
				        "%s:%d:%d: %s: given again (first at line %d); only one can count: remove one",
				        cfg->file, line, col, child, line1);
				errors++;
			}
		free(v);
	}
	for (item = node->child; item && (cJSON_IsObject(node) || cJSON_IsArray(node)); item = item->next, i++) {
		if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
			continue;
		if (cJSON_IsObject(node))
			snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", item->string);
		else
			snprintf(child, sizeof child, "%s[%d]", path, i);
		errors += check_duplicate_keys(cfg, item, child, diag);
	}
	return errors;
}

static char *
read_file(const char *file, size_t *len, cfg_diag *diag)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		cfg_diag_add(diag, "%s: cannot read the config: %s", file, strerror(errno));
		return NULL;
	}
	char *buf = malloc(CFG_MAX_FILE + 1);
	size_t n = buf ? fread(buf, 1, CFG_MAX_FILE + 1, f) : 0;
	int failed = ferror(f);
	fclose(f);
	if (!buf || failed || n > CFG_MAX_FILE) {
		cfg_diag_add(diag, "%s: cannot read the config: %s", file,
		             n > CFG_MAX_FILE ? "larger than 4 MiB" : "read error");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	const unsigned char *u = (const unsigned char *)buf;
	if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) || u[0] == 0 || u[1] == 0)) {
		cfg_diag_add(diag, "%s: the config is UTF-16 (as some Windows editors save it): save it as UTF-8",
		             file);
		free(buf);
		return NULL;
	}
	if (strlen(buf) != n) {
		cfg_diag_add(diag, "%s: the config contains a NUL byte", file);
		free(buf);
		return NULL;
	}
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		/* A UTF-8 byte-order mark: harmless, but not JSON. */
		memmove(buf, buf + 3, n - 2);
		n -= 3;
	}
	*len = n;
	return buf;
}

/* "$HOME", "$SMTP_PASSWORD": what looks like a variable written the shell's
 * way, which the config would otherwise take literally. */
static size_t
shell_style_name(const char *s)
{
	size_t n = 0;
	if (!(isupper((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	while (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n >= 2 && !islower((unsigned char)s[n]) ? n : 0;
}

/* Replaces ${NAME} in s, and $$ by $; the result is malloc'd.  Values
 * from the environment are registered as secrets so no log line shows
 * them.  NULL with why filled when a variable is unset or written so it
 * would be used literally ("${NAME" unclosed, "$NAME" without braces). */
static char *
expand_env(const char *s, char *why, size_t why_size)
{
	size_t cap = strlen(s) + 1, o = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	while (*s) {
		const char *end;
		size_t shell;
		if (s[0] == '$' && s[1] == '$') {
			out[o++] = '$';
			s += 2;
		} else if (s[0] == '$' && s[1] == '{') {
			char name[256];
			end = strchr(s + 2, '}');
			size_t nlen = end ? (size_t)(end - s - 2) : 0;
			if (!end || nlen == 0 || nlen >= sizeof name) {
				snprintf(why, why_size,
				         !end ? "\"%.40s\" has no closing '}': write ${NAME}"
				              : "\"%.40s\" is not a variable name",
				         s);
				free(out);
				return NULL;
			}
			memcpy(name, s + 2, nlen);
			name[nlen] = '\0';
			const char *val = getenv(name);
			if (!val) {
				snprintf(why, why_size, "environment variable %.200s is not set", name);
				free(out);
				return NULL;
			}
			log_add_secret(val);
			size_t vlen = strlen(val);
			char *grown = realloc(out, cap + vlen);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
			cap += vlen;
			memcpy(out + o, val, vlen);
			o += vlen;
			s = end + 1;
		} else if (s[0] == '$' && (shell = shell_style_name(s + 1)) > 0) {
			snprintf(why, why_size,
			         "\"$%.*s\" would be taken literally: write ${%.*s} for the environment "
			         "variable (or $$ for a '$')",
			         (int)shell, s + 1, (int)shell, s + 1);
			free(out);
			return NULL;
		} else {
			out[o++] = *s++;
		}
	}
	out[o] = '\0';
	return out;
}

static void
expand_tree(const pw_config *cfg, cJSON *node, const char *path, cfg_diag *diag)
{
	char child[512];
	cJSON *item;
	int i = 0;

	cJSON_ArrayForEach(item, node) {
		if (cJSON_IsObject(node))
			snprintf(child, sizeof child, "%s%s%s", path, *path ? "." : "", item->string);
		else
			snprintf(child, sizeof child, "%s[%d]", path, i);
		i++;
		if (cJSON_IsString(item) && strchr(item->valuestring, '$')) {
			char why[512] = "";
			char *v = expand_env(item->valuestring, why, sizeof why);
			if (!v) {
				cfg_report(cfg, diag, child, NULL, "%s", why[0] ? why : "out of memory");
				continue;
			}
			free(item->valuestring);
			item->valuestring = v;
		} else if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
			expand_tree(cfg, item, child, diag);
		}
	}
}

static int
check_keys(const pw_config *cfg, const cJSON *obj, const char *path, const char *const *allowed, cfg_diag *diag)
{
	int errors = 0;
	const cJSON *item;
	cJSON_ArrayForEach(item, obj) {
		int ok = 0;
		for (size_t i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], item->string) == 0)
				ok = 1;
		if (!ok) {
			size_t n = 0;
			while (allowed[n])
				n++;
			report_unknown_key(cfg, diag, path, item->string, allowed, n);
			errors++;
		}
	}
	return errors;
}

static char *
dup_string_option(const pw_config *cfg, const cJSON *obj, const char *path, const char *key, cfg_diag *diag)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		return NULL;
	if (!cJSON_IsString(v)) {
		cfg_report(cfg, diag, path, key, "expected a string");
		return NULL;
	}
	return strdup(v->valuestring);
}

static int
parse_instance(const pw_config *cfg, const cJSON *node, const char *path, int is_scorer, cfg_instance *inst,
               cfg_diag *diag)
{
	memset(inst, 0, sizeof *inst);
	inst->weight = 1;
	inst->path = strdup(path);
	inst->node = node;
	if (!cJSON_IsObject(node)) {
		cfg_report(cfg, diag, path, NULL, "expected an object with a \"plugin\"");
		return -1;
	}
	const cJSON *plugin = cJSON_GetObjectItemCaseSensitive(node, "plugin");
	if (!plugin) {
		cfg_report(cfg, diag, path, NULL, "missing required option \"plugin\"");
		return -1;
	}
	inst->plugin = dup_string_option(cfg, node, path, "plugin", diag);
	if (!inst->plugin)
		return -1;
	inst->name = dup_string_option(cfg, node, path, "name", diag);
	if (!inst->name)
		inst->name = strdup(inst->plugin);
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(node, "weight");
	if (w && is_scorer) {
		if (!cJSON_IsNumber(w)) {
			cfg_report(cfg, diag, path, "weight", "expected a number");
			return -1;
		}
		inst->weight = w->valuedouble;
	}
	return 0;
}

static void
free_instance(cfg_instance *inst)
{
	free(inst->plugin);
	free(inst->name);
	free(inst->path);
	cJSON_Delete(inst->resolved);
}

/* Parses an array of instances at obj[key]. */
static int
parse_instances(const pw_config *cfg, const cJSON *obj, const char *path, const char *key, int is_scorer,
                cfg_instance **out, size_t *count, cfg_diag *diag)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, key);
	int errors = 0;
	*out = NULL;
	*count = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr)) {
		cfg_report(cfg, diag, path, key, "expected an array of objects");
		return 1;
	}
	int n = cJSON_GetArraySize(arr);
	*out = calloc((size_t)n + 1, sizeof **out);
	if (!*out)
		return 1;
	for (int i = 0; i < n; i++) {
		char ipath[512];
		snprintf(ipath, sizeof ipath, "%s%s%s[%d]", path, *path ? "." : "", key, i);
		if (parse_instance(cfg, cJSON_GetArrayItem(arr, i), ipath, is_scorer, &(*out)[i], diag) < 0)
			errors++;
		(*count)++;
	}
	/* Names key state and ledgers in the store, so they must be distinct. */
	for (size_t i = 0; i < *count; i++)
		for (size_t j = 0; j < i; j++)
			if ((*out)[i].name && (*out)[j].name && strcmp((*out)[i].name, (*out)[j].name) == 0) {
				cfg_report(cfg, diag, (*out)[i].path, NULL,
				           "the name \"%s\" is already used by %s; give each a distinct \"name\"",
				           (*out)[i].name, (*out)[j].path);
				errors++;
				break;
			}
	return errors;
}

static const char *const cfg_top_keys[] = { "store", "contact", "plugin_path", "http", "sources", "digests", NULL };

/* The "http" object: tuning of the host's client, checked like a schema. */
static const pw_option cfg_http_schema[] = {
	{ PW_OPTION("timeout", PW_OPT_INT, "180", 0, "seconds a whole transfer may take"), .range = "1..86400" },
	{ PW_OPTION("connect_timeout", PW_OPT_INT, "20", 0, "seconds to connect"), .range = "1..3600" },
	{ PW_OPTION("retries", PW_OPT_INT, "4", 0, "retries after a 429, a 5xx or a dropped connection"),
	  .range = "0..20" },
	{ PW_OPTION("max_bytes", PW_OPT_INT, "268435456", 0, "largest response body accepted, in bytes"),
	  .range = "1.." },
	{ PW_OPTION("backoff", PW_OPT_NUMBER, "2", 0, "first retry delay in seconds when no Retry-After; doubles"),
	  .range = "0..3600" },
	{ PW_OPTION("max_retry_after", PW_OPT_NUMBER, "600", 0, "longest Retry-After honoured, in seconds"),
	  .range = "0..86400" },
	{ PW_OPTION("spacing", PW_OPT_NUMBER, "1", 0,
	            "seconds between requests to one host (arXiv: always 3; loopback and file://: 0 unless set)"),
	  .range = "0..3600" },
	PW_OPTIONS_END
};

const pw_option *
cfg_http_schema_options(void)
{
	return cfg_http_schema;
}

static int
parse_http(pw_config *cfg, cfg_diag *diag)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(cfg->root, "http");
	if (!h)
		return 0;
	if (!cJSON_IsObject(h)) {
		cfg_report(cfg, diag, "http", NULL, "expected an object");
		return 1;
	}
	cfg_instance tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.path = (char *)"http";
	tmp.node = h;
	int errors = cfg_check_options(cfg, &tmp, cfg_http_schema, 0, diag);
	cJSON_Delete(tmp.resolved);
	return errors;
}

void
cfg_http_options(const pw_config *cfg, struct http_options *o)
{
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(cfg->root, "http");
	const cJSON *v;
	o->contact = cfg->contact;
	if (!cJSON_IsObject(h))
		return;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "timeout")) && cJSON_IsNumber(v))
		o->timeout = (long)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "connect_timeout")) && cJSON_IsNumber(v))
		o->connect_timeout = (long)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "retries")) && cJSON_IsNumber(v))
		o->retries = (int)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "max_bytes")) && cJSON_IsNumber(v))
		o->max_bytes = (size_t)v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "backoff")) && cJSON_IsNumber(v))
		o->backoff_base = v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "max_retry_after")) && cJSON_IsNumber(v))
		o->max_retry_after = v->valuedouble;
	if ((v = cJSON_GetObjectItemCaseSensitive(h, "spacing")) && cJSON_IsNumber(v)) {
		o->default_spacing = v->valuedouble;
		o->spacing_set = 1;
	}
}

static const char *const cfg_digest_keys[] = { "name", "scorers", "select", "enrichers", "sinks", NULL };
static const char *const cfg_select_keys[] = { "min_score", "max_papers", "replacements", NULL };

static int
parse_select(const pw_config *cfg, const cJSON *node, cfg_digest *d, cfg_diag *diag)
{
	int errors = 0;
	char path[256];
	const cJSON *sel = cJSON_GetObjectItemCaseSensitive(node, "select");
	d->min_score = -INFINITY;
	d->max_papers = 0;
	d->replacements = 0;
	if (!sel)
		return 0;
	snprintf(path, sizeof path, "%s.select", d->path);
	if (!cJSON_IsObject(sel)) {
		cfg_report(cfg, diag, path, NULL, "expected an object");
		return 1;
	}
	errors += check_keys(cfg, sel, path, cfg_select_keys, diag);
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(sel, "min_score");
	if (ms && !cJSON_IsNumber(ms)) {
		cfg_report(cfg, diag, path, "min_score", "expected a number");
		errors++;
	} else if (ms) {
		d->min_score = ms->valuedouble;
	}
	const cJSON *mp = cJSON_GetObjectItemCaseSensitive(sel, "max_papers");
	if (mp && (!cJSON_IsNumber(mp) || mp->valuedouble != floor(mp->valuedouble) || mp->valuedouble < 0 ||
	           mp->valuedouble > 1e9)) {
		cfg_report(cfg, diag, path, "max_papers", "expected a non-negative integer");
		errors++;
	} else if (mp) {
		d->max_papers = (long)mp->valuedouble;
	}
	const cJSON *rp = cJSON_GetObjectItemCaseSensitive(sel, "replacements");
	if (rp && !cJSON_IsBool(rp)) {
		cfg_report(cfg, diag, path, "replacements", "expected true or false");
		errors++;
	} else if (rp) {
		d->replacements = cJSON_IsTrue(rp);
	}
	return errors;
}

/* "./out/a.md" and "out/a.md" are one file. */
static const char *
plain_path(const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	return p;
}

/* Two sinks writing one file would each overwrite the other's work (or
 * interleave appends): refused, naming both. */
static int
check_shared_paths(const pw_config *cfg, cfg_diag *diag)
{
	int errors = 0;
	for (size_t d = 0; d < cfg->ndigests; d++)
		for (size_t s = 0; s < cfg->digests[d].nsinks; s++) {
			const cfg_instance *a = &cfg->digests[d].sinks[s];
			const cJSON *pa = cJSON_GetObjectItemCaseSensitive(a->node, "path");
			if (!cJSON_IsString(pa) || strcmp(pa->valuestring, "-") == 0)
				continue;
			for (size_t e = 0; e <= d; e++)
				for (size_t t = 0; t < (e == d ? s : cfg->digests[e].nsinks); t++) {
					const cfg_instance *b = &cfg->digests[e].sinks[t];
					const cJSON *pb = cJSON_GetObjectItemCaseSensitive(b->node, "path");
					if (cJSON_IsString(pb) &&
					    strcmp(plain_path(pa->valuestring), plain_path(pb->valuestring)) == 0) {
						cfg_report(cfg, diag, a->path, "path",
						           "\"%s\" is also written by %s: give each sink its "
						           "own file",
						           pa->valuestring, b->path);
						errors++;
					}
				}
		}
	return errors;
}

static int
parse_digests(pw_config *cfg, cfg_diag *diag)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(cfg->root, "digests");
	int errors = 0;
	if (!arr)
		return 0;
	if (!cJSON_IsArray(arr)) {
		cfg_report(cfg, diag, "digests", NULL, "expected an array of objects");
		return 1;
	}
	int n = cJSON_GetArraySize(arr);
	cfg->digests = calloc((size_t)n + 1, sizeof *cfg->digests);
	if (!cfg->digests)
		return 1;
	for (int i = 0; i < n; i++) {
		const cJSON *node = cJSON_GetArrayItem(arr, i);
		cfg_digest *d = &cfg->digests[i];
		char path[64];
		snprintf(path, sizeof path, "digests[%d]", i);
		d->path = strdup(path);
		cfg->ndigests++;
		if (!cJSON_IsObject(node)) {
			cfg_report(cfg, diag, path, NULL, "expected an object");
			errors++;
			continue;
		}
		errors += check_keys(cfg, node, path, cfg_digest_keys, diag);
		d->name = dup_string_option(cfg, node, path, "name", diag);
		if (!d->name) {
			char def[32];
			snprintf(def, sizeof def, n == 1 ? "digest" : "digest%d", i + 1);
			d->name = strdup(def);
		}
		errors += parse_select(cfg, node, d, diag);
		errors += parse_instances(cfg, node, path, "scorers", 1, &d->scorers, &d->nscorers, diag);
		errors += parse_instances(cfg, node, path, "enrichers", 0, &d->enrichers, &d->nenrichers, diag);
		errors += parse_instances(cfg, node, path, "sinks", 0, &d->sinks, &d->nsinks, diag);
		if (d->nsinks == 0) {
			cfg_report(cfg, diag, path, NULL, "no \"sinks\": what the digest selects would go nowhere");
			errors++;
		}
		for (int j = 0; j < i; j++)
			if (cfg->digests[j].name && d->name && strcmp(cfg->digests[j].name, d->name) == 0) {
				cfg_report(cfg, diag, path, "name",
				           "the digest name \"%s\" is already used by digests[%d]", d->name, j);
				errors++;
			}
	}
	return errors + check_shared_paths(cfg, diag);
}

static int
parse_plugin_path(pw_config *cfg, cfg_diag *diag)
{
	const cJSON *pp = cJSON_GetObjectItemCaseSensitive(cfg->root, "plugin_path");
	if (!pp)
		return 0;
	if (cJSON_IsString(pp)) {
		cfg->plugin_path = calloc(1, sizeof(char *));
		if (!cfg->plugin_path)
			return 1;
		cfg->plugin_path[0] = strdup(pp->valuestring);
		cfg->nplugin_path = 1;
		return 0;
	}
	if (!cJSON_IsArray(pp)) {
		cfg_report(cfg, diag, "plugin_path", NULL, "expected a string or an array of strings");
		return 1;
	}
	int n = cJSON_GetArraySize(pp);
	cfg->plugin_path = calloc((size_t)n + 1, sizeof(char *));
	if (!cfg->plugin_path)
		return 1;
	for (int i = 0; i < n; i++) {
		const cJSON *v = cJSON_GetArrayItem(pp, i);
		if (!cJSON_IsString(v)) {
			char path[64];
			snprintf(path, sizeof path, "plugin_path[%d]", i);
			cfg_report(cfg, diag, path, NULL, "expected a string");
			return 1;
		}
		cfg->plugin_path[cfg->nplugin_path++] = strdup(v->valuestring);
	}
	return 0;
}

/* What a JSON syntax error most likely is, from the text around it: the
 * mistakes people make writing JSON by hand, or a file that is not JSON. */
/* The first comma followed only by blanks and a closing bracket, outside
 * strings: cJSON reports those at the end of the text. */
static long
trailing_comma(const char *text)
{
	int in_string = 0;
	for (const char *p = text; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = 0;
		} else if (*p == '"') {
			in_string = 1;
		} else if (*p == ',') {
			const char *q = p + 1 + strspn(p + 1, " \t\r\n");
			if (*q == '}' || *q == ']')
				return (long)(p - text);
		}
	}
	return -1;
}

static const char *
syntax_hint(const char *text, size_t len, size_t *off_io)
{
	size_t first = strspn(text, " \t\r\n"), off = *off_io;
	const char *at = text + off;
	long comma = trailing_comma(text);
	if (comma >= 0 && (size_t)comma < off + 2) {
		*off_io = (size_t)comma;
		return "a trailing comma before the closing bracket: remove it";
	}
	if (off >= len)
		return "unexpected end of file: a '}', ']' or '\"' is missing";
	if (at[0] == '\'' || (off > 0 && at[-1] == '\''))
		return "a single quote: JSON strings and keys take double quotes";
	if (at[0] == '/' && (at[1] == '/' || at[1] == '*'))
		return "a comment: JSON has none (remove it, or keep notes in a \"_comment\" key)";
	if (off == first && (isalpha((unsigned char)text[first]) || text[first] == '-' || text[first] == '#') &&
	    memchr(text, ':', len))
		return "this looks like YAML or another format: paperwire reads a JSON config";
	if (isalpha((unsigned char)at[0]) || at[0] == '_')
		return "a bare word: keys and strings take double quotes (true, false and null are the only words)";
	if (at[0] == '"' && off > 0) {
		size_t k = off;
		while (k > 0 && strchr(" \t\r\n", text[k - 1]))
			k--;
		if (k > 0 && strchr("\"}]0123456789el", text[k - 1]))
			return "a missing comma before this value";
	}
	return "unexpected character";
}

static void
report_syntax_error(const char *file, const char *text, size_t len, cfg_diag *diag)
{
	const char *at = cJSON_GetErrorPtr();
	size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : len;
	int line, col;
	const char *hint = syntax_hint(text, len, &off);
	jloc_line_col(text, off, &line, &col);
	cfg_diag_add(diag, "%s:%d:%d: malformed JSON: %s", file, line, col, hint);
}

pw_config *
cfg_load(const char *file, cfg_diag *diag)
{
	size_t len = 0;
	int errors = 0;
	pw_config *cfg = calloc(1, sizeof *cfg);
	if (!cfg)
		return NULL;
	cfg->file = strdup(file);
	cfg->text = read_file(file, &len, diag);
	if (!cfg->text)
		goto fail;
	const char *end = NULL;
	/* The length counts the NUL: cJSON checks for it when asked to. */
	cfg->root = cJSON_ParseWithLengthOpts(cfg->text, len + 1, &end, 1);
	if (!cfg->root) {
		report_syntax_error(file, cfg->text, len, diag);
		goto fail;
	}
	if (!cJSON_IsObject(cfg->root)) {
		cfg_diag_add(diag, "%s:1:1: the config must be a JSON object", file);
		goto fail;
	}
	size_t before = diag->count;
	check_duplicate_keys(cfg, cfg->root, "", diag);
	expand_tree(cfg, cfg->root, "", diag);
	errors += (int)(diag->count - before);
	errors += check_keys(cfg, cfg->root, "", cfg_top_keys, diag);
	cfg->store = dup_string_option(cfg, cfg->root, "", "store", diag);
	if (!cfg->store && !cJSON_GetObjectItemCaseSensitive(cfg->root, "store"))
		cfg->store = strdup("paperwire.db");
	else if (!cfg->store)
		errors++;
	cfg->contact = dup_string_option(cfg, cfg->root, "", "contact", diag);
	errors += parse_plugin_path(cfg, diag);
	errors += parse_http(cfg, diag);
	errors += parse_instances(cfg, cfg->root, "", "sources", 0, &cfg->sources, &cfg->nsources, diag);
	errors += parse_digests(cfg, diag);
	if (errors == 0 && cfg->nsources == 0) {
		cfg_report(cfg, diag, "", NULL, "no \"sources\": nothing would be fetched");
		errors++;
	}
	if (errors == 0)
		return cfg;
fail:
	cfg_free(cfg);
	return NULL;
}

void
cfg_free(pw_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nsources; i++)
		free_instance(&cfg->sources[i]);
	free(cfg->sources);
	for (size_t i = 0; i < cfg->ndigests; i++) {
		cfg_digest *d = &cfg->digests[i];
		for (size_t j = 0; j < d->nscorers; j++)
			free_instance(&d->scorers[j]);
		for (size_t j = 0; j < d->nenrichers; j++)
			free_instance(&d->enrichers[j]);
		for (size_t j = 0; j < d->nsinks; j++)
			free_instance(&d->sinks[j]);
		free(d->scorers);
		free(d->enrichers);
		free(d->sinks);
		free(d->name);
		free(d->path);
	}
	free(cfg->digests);
	for (size_t i = 0; i < cfg->nplugin_path; i++)
		free(cfg->plugin_path[i]);
	free(cfg->plugin_path);
	cJSON_Delete(cfg->root);
	free(cfg->text);
	free(cfg->file);
	free(cfg->store);
	free(cfg->contact);
	free(cfg);
}

static const char *
type_expectation(pw_option_type type)
{
	switch (type) {
	case PW_OPT_STRING: return "expected a string";
	case PW_OPT_INT: return "expected an integer";
	case PW_OPT_NUMBER: return "expected a number";
	case PW_OPT_BOOL: return "expected true or false";
	case PW_OPT_STRING_LIST: return "expected an array of strings";
	case PW_OPT_NUMBER_MAP: return "expected an object of numbers";
	}
	return "unexpected value";
}

static int
value_has_type(const cJSON *v, pw_option_type type)
{
	const cJSON *e;
	switch (type) {
	case PW_OPT_STRING: return cJSON_IsString(v);
	case PW_OPT_INT:
		return cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
		       fabs(v->valuedouble) < 9007199254740992.0;
	case PW_OPT_NUMBER: return cJSON_IsNumber(v);
	case PW_OPT_BOOL: return cJSON_IsBool(v);
	case PW_OPT_STRING_LIST:
		if (!cJSON_IsArray(v))
			return 0;
		cJSON_ArrayForEach(e, v)
			if (!cJSON_IsString(e))
				return 0;
		return 1;
	case PW_OPT_NUMBER_MAP:
		if (!cJSON_IsObject(v))
			return 0;
		cJSON_ArrayForEach(e, v)
			if (!cJSON_IsNumber(e))
				return 0;
		return 1;
	}
	return 0;
}

/* A schema default is plain text for strings and JSON text otherwise. */
static cJSON *
default_value(const pw_option *opt)
{
	if (opt->type == PW_OPT_STRING)
		return cJSON_CreateString(opt->default_value);
	cJSON *v = cJSON_Parse(opt->default_value);
	if (v && !value_has_type(v, opt->type)) {
		cJSON_Delete(v);
		v = NULL;
	}
	return v;
}

int
cfg_schema_problem(const pw_option *schema, int is_scorer, char *why, size_t size)
{
	for (const pw_option *o = schema; o && o->key; o++) {
		if (strcmp(o->key, "plugin") == 0 || strcmp(o->key, "name") == 0 ||
		    (is_scorer && strcmp(o->key, "weight") == 0)) {
			snprintf(why, size, "option \"%s\" is a key the host keeps for itself", o->key);
			return 1;
		}
		if (o->type < PW_OPT_STRING || o->type > PW_OPT_NUMBER_MAP) {
			snprintf(why, size, "option \"%s\" has unknown type %u", o->key, (unsigned)o->type);
			return 1;
		}
		for (const pw_option *earlier = schema; earlier < o; earlier++)
			if (strcmp(earlier->key, o->key) == 0) {
				/* The getters would answer for one of them only. */
				snprintf(why, size, "option \"%s\" is declared twice", o->key);
				return 1;
			}
		if (opt_schema_problem(o, why, size))
			return 1;
		if (o->default_value) {
			cJSON *v = default_value(o);
			char value_why[200];
			if (!v) {
				snprintf(why, size, "option \"%s\": its default \"%.60s\" is not JSON of its type (%s)",
				         o->key, o->default_value, type_expectation(o->type) + strlen("expected "));
				return 1;
			}
			int refused = opt_value_problem(o, v, value_why, sizeof value_why);
			cJSON_Delete(v);
			if (refused) {
				snprintf(why, size, "option \"%s\": its default is refused by its own schema: %s",
				         o->key, value_why);
				return 1;
			}
		}
	}
	return 0;
}

/* An option whose value is a credential, by its name: api_key, password,
 * token, secret, webhook (a chat's incoming-webhook URL carries its token),
 * and any name ending in _key, _token or _secret. */
static int
names_a_secret(const char *key)
{
	static const char *const exact[] = { "api_key", "key", "password", "token", "secret", "webhook" };
	static const char *const endings[] = { "_key", "_token", "_secret", "_password" };
	size_t n = strlen(key);
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(key, exact[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
		size_t e = strlen(endings[i]);
		if (n > e && strcmp(key + n - e, endings[i]) == 0)
			return 1;
	}
	return 0;
}

int
cfg_check_options(const pw_config *cfg, cfg_instance *inst, const pw_option *schema, int is_scorer, cfg_diag *diag)
{
	int errors = 0;
	const cJSON *item;
	char why[300];

	cJSON_ArrayForEach(item, inst->node) {
		const char *key = item->string;
		if (strcmp(key, "plugin") == 0 || strcmp(key, "name") == 0 || (is_scorer && strcmp(key, "weight") == 0))
			continue;
		const pw_option *opt = NULL;
		for (const pw_option *o = schema; o && o->key; o++)
			if (strcmp(o->key, key) == 0)
				opt = o;
		if (!opt) {
			const char *known[80] = { "plugin", "name", "weight" };
			size_t n = is_scorer ? 3 : 2;
			for (const pw_option *o = schema; o && o->key && n < sizeof known / sizeof known[0]; o++)
				known[n++] = o->key;
			report_unknown_key(cfg, diag, inst->path, key, known, n);
			errors++;
		} else if (!value_has_type(item, opt->type)) {
			cfg_report(cfg, diag, inst->path, key, "%s", type_expectation(opt->type));
			errors++;
		} else if (opt_value_problem(opt, item, why, sizeof why)) {
			cfg_report(cfg, diag, inst->path, key, "%s", why);
			errors++;
		} else if (cJSON_IsString(item) && names_a_secret(key)) {
			/* Written into the config directly rather than through ${ENV}: a
			 * secret all the same, masked and kept to its host. */
			log_add_secret(item->valuestring);
		}
	}
	cJSON_Delete(inst->resolved);
	inst->resolved = cJSON_Duplicate(inst->node, 1);
	if (!inst->resolved)
		return errors + 1;
	for (const pw_option *o = schema; o && o->key; o++) {
		if (cJSON_GetObjectItemCaseSensitive(inst->node, o->key))
			continue;
		if (o->required) {
			cfg_report(cfg, diag, inst->path, NULL, "missing required option \"%s\" (%s)", o->key,
			           o->help ? o->help : type_expectation(o->type));
			errors++;
		} else if (o->default_value) {
			cJSON *v = default_value(o);
			if (v)
				cJSON_AddItemToObject(inst->resolved, o->key, v);
		}
	}
	return errors;
}

const cJSON *
cfg_option(const cfg_instance *inst, const char *key)
{
	return inst->resolved ? cJSON_GetObjectItemCaseSensitive(inst->resolved, key) : NULL;
}

/* The typed readers behind pw_host's config getters, shared by the host
 * and the mock host so that both read options the same way. */
const char *
cfg_get_string(const cfg_instance *inst, const char *key)
{
	const cJSON *v = cfg_option(inst, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
cfg_get_number(const cfg_instance *inst, const char *key, double *out)
{
	const cJSON *v = cfg_option(inst, key);
	if (!cJSON_IsNumber(v))
		return 0;
	*out = v->valuedouble;
	return 1;
}

int
cfg_get_int(const cfg_instance *inst, const char *key, int64_t *out)
{
	double d;
	if (!cfg_get_number(inst, key, &d))
		return 0;
	*out = (int64_t)d;
	return 1;
}

int
cfg_get_bool(const cfg_instance *inst, const char *key, int *out)
{
	const cJSON *v = cfg_option(inst, key);
	if (!cJSON_IsBool(v))
		return 0;
	*out = cJSON_IsTrue(v);
	return 1;
}

int
cfg_given(const cfg_instance *inst, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(inst->node, key) != NULL;
}

size_t
cfg_get_count(const cfg_instance *inst, const char *key, int map)
{
	const cJSON *v = cfg_option(inst, key);
	return (map ? cJSON_IsObject(v) : cJSON_IsArray(v)) ? (size_t)cJSON_GetArraySize(v) : 0;
}
