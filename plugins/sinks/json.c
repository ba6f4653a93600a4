/* json.c: JSON Lines, one paper per line with every field, its score and
 * each scorer's part with the reason: for scripts, and for diffing what
 * two configs deliver.  "-" writes to stdout, the one sink allowed to. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "paperwire/plugin.h"

static const pw_option json_options[] = {
	{ "path", PW_OPT_STRING, NULL, 1, "the .jsonl file to write, or \"-\" for standard output" },
	{ "append", PW_OPT_BOOL, "false", 0,
	  "add each run's papers to the end of the file (a history) instead of replacing it" },
	{ NULL, 0, NULL, 0, NULL }
};

struct json_sink {
	const char *path;
	int append;
};

static pw_status
json_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct json_sink *j = calloc(1, sizeof *j);
	if (!j)
		return PW_ERROR;
	if (!PW_HOST_HAS(h, record_field_is_list)) {
		h->log(inst, PW_LOG_ERROR, "this sink needs a paperwire with plugin ABI 1.1 or newer");
		free(j);
		return PW_CONFIG_ERROR;
	}
	j->path = h->config_string(inst, "path");
	h->config_bool(inst, "append", &j->append);
	*state = j;
	return PW_OK;
}

static void
json_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	free(state);
}

static int
is_time_field(const char *name)
{
	return strcmp(name, PW_T_PUBLISHED) == 0 || strcmp(name, PW_T_UPDATED) == 0;
}

static void
add_field(const pw_host *h, pw_instance *inst, cJSON *obj, const pw_record *rec, const char *name, int is_list)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, name))
		return;
	if (is_list) {
		cJSON *arr = cJSON_AddArrayToObject(obj, name);
		for (size_t i = 0; arr && i < h->record_count(inst, rec, name); i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(h->record_get_at(inst, rec, name, i)));
	} else if (strcmp(name, PW_F_VERSION) == 0) {
		cJSON_AddNumberToObject(obj, name, atoi(h->record_get(inst, rec, name)));
	} else if (is_time_field(name)) {
		cJSON_AddNumberToObject(obj, name, (double)h->record_get_time(inst, rec, name));
	} else {
		cJSON_AddStringToObject(obj, name, h->record_get(inst, rec, name));
	}
}

/* One line: the names DESIGN.md promises first, then every other field. */
static char *
paper_line(const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	cJSON *obj = cJSON_CreateObject();
	size_t nf = h->record_field_count(inst, rec);
	static const char *const first[] = { PW_F_ID, PW_F_VERSION, PW_F_TITLE, NULL };
	for (size_t k = 0; first[k]; k++)
		if (h->record_get(inst, rec, first[k]))
			add_field(h, inst, obj, rec, first[k], 0);
	cJSON_AddItemToObject(obj, PW_F_AUTHORS, cJSON_CreateArray());
	cJSON_AddItemToObject(obj, PW_F_CATEGORIES, cJSON_CreateArray());
	for (size_t k = 0; k < 2; k++) {
		const char *name = k ? PW_F_CATEGORIES : PW_F_AUTHORS;
		cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, name);
		for (size_t i = 0; i < h->record_count(inst, rec, name); i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(h->record_get_at(inst, rec, name, i)));
	}
	cJSON_AddNumberToObject(obj, "score", h->record_score(inst, rec));
	cJSON *scores = cJSON_AddObjectToObject(obj, "scores");
	for (size_t i = 0; i < h->record_score_count(inst, rec); i++) {
		double v = 0;
		const char *reason = NULL;
		const char *scorer = h->record_score_at(inst, rec, i, &v, &reason);
		cJSON *s = cJSON_CreateObject();
		cJSON_AddNumberToObject(s, "value", v);
		cJSON_AddStringToObject(s, "reason", reason ? reason : "");
		cJSON_AddItemToObject(scores, scorer, s);
	}
	for (size_t i = 0; i < nf; i++)
		add_field(h, inst, obj, rec, h->record_field_name(inst, rec, i), h->record_field_is_list(inst, rec, i));
	char *line = cJSON_PrintUnformatted(obj);
	cJSON_Delete(obj);
	return line;
}

static int
write_lines(const pw_host *h, pw_instance *inst, const pw_delivery *d, int fd)
{
	for (size_t i = 0; i < h->delivery_count(inst, d); i++) {
		char *line = paper_line(h, inst, h->delivery_record(inst, d, i));
		if (!line)
			return -1;
		size_t len = strlen(line);
		line[len] = '\n';
		const char *p = line;
		size_t left = len + 1;
		while (left > 0) {
			ssize_t n = write(fd, p, left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				free(line);
				return -1;
			}
			p += n;
			left -= (size_t)n;
		}
		free(line);
	}
	return 0;
}

static pw_status
json_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct json_sink *j = state;
	if (strcmp(j->path, "-") == 0) {
		fflush(stdout);
		return write_lines(h, inst, d, STDOUT_FILENO) == 0 ? PW_OK : PW_ERROR;
	}
	if (j->append) {
		int fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (fd < 0 || write_lines(h, inst, d, fd) < 0 || fsync(fd) < 0) {
			h->log(inst, PW_LOG_ERROR, "cannot append to %s: %s", j->path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return PW_ERROR;
		}
		return close(fd) == 0 ? PW_OK : PW_ERROR;
	}
	/* Replace: a temporary file renamed into place, never half a file. */
	size_t plen = strlen(j->path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return PW_ERROR;
	snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", j->path);
	int fd = mkstemp(tmp);
	int failed = fd < 0;
	if (!failed) {
		mode_t mask = umask(0);
		umask(mask);
		failed = fchmod(fd, 0666 & ~mask) < 0 || write_lines(h, inst, d, fd) < 0 || fsync(fd) < 0;
		failed |= close(fd) != 0;
		failed = failed || rename(tmp, j->path) != 0;
	}
	if (failed) {
		h->log(inst, PW_LOG_ERROR, "cannot write %s: %s", j->path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return failed ? PW_ERROR : PW_OK;
}

static const pw_plugin json_plugin = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "json",
	.kind = PW_KIND_SINK,
	.version = "0.1.0",
	.description = "JSON Lines: one paper per line with every field and the scores with reasons",
	.options = json_options,
	.create = json_create,
	.destroy = json_destroy,
	.write = json_write,
};

PW_PLUGIN_DEFINE(json_plugin)
