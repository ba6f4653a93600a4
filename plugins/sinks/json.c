/* json.c: JSON Lines, one paper per line with every field, its score and
 * each scorer's part with the reason: for scripts, and for diffing what
 * two configs deliver.  "-" writes to stdout, the one sink allowed to. */
#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../common/field_view.h"
#include "../common/sink_util.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option json_options[] = {
	{ PW_OPTION("path", PW_OPT_STRING, NULL, 1, "the .jsonl file to write, or \"-\" for standard output") },
	{ PW_OPTION("append", PW_OPT_BOOL, "false", 0,
	            "add each run's papers to the end of the file (a history) instead of replacing it") },
	PW_OPTIONS_END
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
		/* Related papers (declared PW_FORM_RELATED) as objects, not as
		 * JSON text inside strings; an item that is not an object stays
		 * a string. */
		const pw_field *d = fv_declaration(h, inst, name);
		int related = d && d->form == PW_FORM_RELATED;
		cJSON *arr = cJSON_AddArrayToObject(obj, name);
		for (size_t i = 0; arr && i < h->record_count(inst, rec, name); i++) {
			const char *item = h->record_get_at(inst, rec, name, i);
			cJSON *parsed = related ? cJSON_Parse(item) : NULL;
			if (parsed && !cJSON_IsObject(parsed)) {
				cJSON_Delete(parsed);
				parsed = NULL;
			}
			cJSON_AddItemToArray(arr, parsed ? parsed : cJSON_CreateString(item));
		}
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

/* Every line of the delivery, in one buffer. */
static char *
all_lines(const pw_host *h, pw_instance *inst, const pw_delivery *d, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	int failed = 0;
	for (size_t i = 0; i < h->delivery_count(inst, d) && !failed; i++) {
		char *line = paper_line(h, inst, h->delivery_record(inst, d, i));
		failed = !line || fputs(line, f) < 0 || fputc('\n', f) < 0;
		free(line);
	}
	failed |= fclose(f) != 0;
	if (failed) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The file's length before this delivery's lines: on a redo, the one the
 * dead run recorded, since what it appended (all, part or none) goes. */
static int
append_offset(const pw_host *h, pw_instance *inst, const pw_delivery *d, int fd, off_t *offset)
{
	struct stat sb;
	const char *note = h->delivery_info(inst, d, PW_D_RECOVERY);
	long long recorded;
	if (fstat(fd, &sb) < 0)
		return -1;
	*offset = sb.st_size;
	if (!note || sscanf(note, "offset %lld", &recorded) != 1)
		return 0;
	if (recorded > (long long)sb.st_size) {
		/* Shorter than before: rotated or edited by hand; cut nothing. */
		h->log(inst, PW_LOG_WARNING,
		       "the file is shorter than when an earlier run appended to it (rotated?); "
		       "appending the papers it may have missed");
		return 0;
	}
	if (recorded < (long long)sb.st_size)
		h->log(inst, PW_LOG_INFO, "removing the %lld bytes an interrupted run appended, to append them once",
		       (long long)sb.st_size - recorded);
	*offset = (off_t)recorded;
	return ftruncate(fd, *offset);
}

/* Appends under the ledger: the offset is recorded before the first byte
 * is written, and a failed write (a full disk) is cut back at once, so the
 * file never keeps half a line or a paper twice. */
static int
append_lines(const pw_host *h, pw_instance *inst, const pw_delivery *d, const char *path, const char *lines, size_t len)
{
	char note[64];
	off_t offset = 0;
	int fd = su_make_parents(path) < 0 ? -1 : open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	int rc = append_offset(h, inst, d, fd, &offset);
	snprintf(note, sizeof note, "offset %lld", (long long)offset);
	if (rc == 0 && h->effect_begin(inst, note) != PW_OK) {
		close(fd);
		errno = EAGAIN;
		return -1;
	}
	if (rc == 0 && (lseek(fd, offset, SEEK_SET) < 0 || write_all(fd, lines, len) < 0 || fsync(fd) < 0)) {
		int saved = errno;
		if (ftruncate(fd, offset) == 0)
			fsync(fd);
		errno = saved;
		rc = -1;
	}
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static pw_status
json_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct json_sink *j = state;
	size_t len = 0;
	int rc;
	char *lines = all_lines(h, inst, d, &len);
	if (!lines) {
		h->log(inst, PW_LOG_ERROR, "out of memory");
		return PW_ERROR;
	}
	if (h->delivery_count(inst, d) == 0 && strcmp(j->path, "-") != 0 && access(j->path, F_OK) == 0) {
		/* Nothing new: the last digest's lines stay for whoever reads the
		 * file (the run report says why nothing is new). */
		free(lines);
		return PW_OK;
	}
	if (strcmp(j->path, "-") == 0) {
		fflush(stdout);
		rc = write_all(STDOUT_FILENO, lines, len);
	} else if (j->append) {
		rc = append_lines(h, inst, d, j->path, lines, len);
	} else {
		/* Replace: never half a file. */
		rc = su_replace_file(j->path, lines, len);
	}
	free(lines);
	if (rc < 0) {
		h->log(inst, PW_LOG_ERROR, "cannot write %s: %s", j->path, strerror(errno));
		return PW_ERROR;
	}
	return PW_OK;
}

static const pw_plugin json_plugin = {
	PW_BUNDLED_PLUGIN("json", PW_KIND_SINK, PW_NO_FLAGS, "0.1.0"),
	.description = "JSON Lines: one paper per line with every field and the scores with reasons",
	PW_OPTIONS(json_options),
	PW_BUNDLED_CALLBACKS(json, write),
};

PW_PLUGIN_DEFINE(json_plugin)
