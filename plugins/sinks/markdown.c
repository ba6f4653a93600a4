/* markdown.c: the digest as a Markdown page, in the manner of the arXiv
 * Papers Bot's README: statistics, then numbered papers with their score
 * and the reason for it.  The page is written to a temporary file and
 * renamed into place, so a reader never sees half a page, and it is
 * rewritten on an empty day too, saying why, so it is never stale. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/md_text.h"
#include "../common/sink_util.h"
#include "paperwire/plugin.h"

static const pw_option markdown_options[] = {
	{ "path", PW_OPT_STRING, NULL, 1, "the Markdown file to write, e.g. \"README.md\"" },
	{ "title", PW_OPT_STRING, NULL, 0, "the page's heading (default: \"paperwire: <digest>\")" },
	{ "abstract_chars", PW_OPT_INT, "600", 0, "abstracts are cut at a sentence boundary before this length" },
	{ "group_by", PW_OPT_STRING, "none", 0, "none, or category: a section per primary category" },
	{ NULL, 0, NULL, 0, NULL }
};

struct markdown {
	const char *path, *title;
	long abstract_chars;
	int by_category;
};

static pw_status
markdown_create(const pw_host *h, pw_instance *inst, void **state)
{
	int64_t chars = 600;
	struct markdown *m = calloc(1, sizeof *m);
	if (!m)
		return PW_ERROR;
	m->path = h->config_string(inst, "path");
	m->title = h->config_string(inst, "title");
	h->config_int(inst, "abstract_chars", &chars);
	if (!m->path || !*m->path || chars < 40) {
		h->log(inst, PW_LOG_ERROR, "\"path\" must be a file name and abstract_chars at least 40");
		free(m);
		return PW_CONFIG_ERROR;
	}
	m->abstract_chars = (long)chars;
	const char *group = h->config_string(inst, "group_by");
	if (strcmp(group, "none") != 0 && strcmp(group, "category") != 0) {
		h->log(inst, PW_LOG_ERROR, "group_by \"%s\" is not none or category", group);
		free(m);
		return PW_CONFIG_ERROR;
	}
	m->by_category = strcmp(group, "category") == 0;
	*state = m;
	return PW_OK;
}

static void
markdown_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	free(state);
}

/* Writes at most max bytes of text, ending at the last sentence end that
 * fits; else at a word boundary with an ellipsis.  Never splits UTF-8. */
static void
put_abstract(FILE *f, const char *text, long max)
{
	size_t len = strlen(text), cut = 0;
	if (len <= (size_t)max) {
		md_put_text(f, text);
		return;
	}
	for (size_t i = 0; i < (size_t)max; i++)
		if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i + 1] == ' ')
			cut = i + 1;
	int ellipsis = cut <= (size_t)max / 3;
	if (ellipsis) {
		cut = (size_t)max;
		while (cut > 0 && text[cut] != ' ')
			cut--;
		while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--;
	}
	char *part = strndup(text, cut);
	md_put_text(f, part ? part : "");
	free(part);
	if (ellipsis)
		fputs("…", f);
}

/* An extension field's name (capitalised inline), shown inline and inside HTML
 * (<summary>): only letters, digits, spaces, '-' and '_' pass. */
static void
put_name(FILE *f, const char *name, int capitalise)
{
	for (size_t i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];
		if (i == 0 && capitalise && c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 32);
		if (isalnum(c) || c == ' ' || c == '-' || c == '_')
			fputc(c, f);
	}
}

static void
put_list(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec, const char *field)
{
	size_t n = h->record_count(inst, rec, field);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		md_put_text(f, h->record_get_at(inst, rec, field, i));
	}
}

/* Extension fields (summary, translation, related...): a short one-line
 * value inline, anything longer or a list folded into <details>. */
static void
put_extensions(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec)
{
	if (!PW_HOST_HAS(h, record_field_is_list))
		return;
	for (size_t i = 0; i < h->record_field_count(inst, rec); i++) {
		const char *name = h->record_field_name(inst, rec, i);
		if (su_is_core_field(name))
			continue;
		size_t n = h->record_count(inst, rec, name);
		const char *first = h->record_get_at(inst, rec, name, 0);
		if (n == 0 || !first)
			continue;
		if (!h->record_field_is_list(inst, rec, i) && strlen(first) <= 120 && !strchr(first, '\n')) {
			fputs("**", f);
			put_name(f, name, 1);
			fputs("**: ", f);
			md_put_markdown(f, first);
			fputs("  \n\n", f);
			continue;
		}
		fputs("<details>\n<summary><strong>", f);
		put_name(f, name, 0);
		fputs("</strong></summary>\n\n", f);
		for (size_t k = 0; k < n; k++) {
			if (h->record_field_is_list(inst, rec, i))
				fputs("- ", f);
			md_put_markdown(f, h->record_get_at(inst, rec, name, k));
			fputs("\n", f);
		}
		fputs("\n</details>\n\n", f);
	}
}

static void
put_paper(const pw_host *h, pw_instance *inst, const struct markdown *m, FILE *f, size_t no, const pw_record *rec)
{
	const char *id = h->record_get(inst, rec, PW_F_ID);
	const char *url = h->record_get(inst, rec, PW_F_URL);
	const char *version = h->record_get(inst, rec, PW_F_VERSION);
	const char *primary = h->record_get(inst, rec, PW_F_PRIMARY);
	const char *announce = h->record_get(inst, rec, PW_F_ANNOUNCE);
	const char *abstract = h->record_get(inst, rec, PW_F_ABSTRACT);
	int64_t published = h->record_get_time(inst, rec, PW_T_PUBLISHED);

	/* Only an http(s) URL becomes a link; the title stays either way. */
	int linked = su_is_web_url(url);
	if (url && !linked)
		h->log(inst, PW_LOG_WARNING, "paper %s: its link is not http(s); shown without it", id ? id : "?");
	fprintf(f, "### %zu. %s", no, linked ? "[" : "");
	md_put_text(f, h->record_get(inst, rec, PW_F_TITLE));
	if (linked) {
		fputs("](", f);
		md_put_url(f, url);
		fputs(")", f);
	}
	fputs("\n\n", f);
	fputs("**Authors**: ", f);
	put_list(h, inst, f, rec, PW_F_AUTHORS);
	fputs("  \n**Category**: ", f);
	if (primary)
		md_put_text(f, primary);
	else
		put_list(h, inst, f, rec, PW_F_CATEGORIES);
	if (published > 0) {
		char date[16];
		time_t t = (time_t)published;
		strftime(date, sizeof date, "%Y-%m-%d", gmtime(&t));
		fprintf(f, "  \n**Published**: %s", date);
	}
	fprintf(f, "  \n**Score**: %.2f", h->record_score(inst, rec));
	size_t ns = h->record_score_count(inst, rec);
	for (size_t i = 0; i < ns; i++) {
		double v;
		const char *reason = NULL;
		const char *scorer = h->record_score_at(inst, rec, i, &v, &reason);
		fputs(i ? "; " : " (", f);
		md_put_text(f, scorer);
		fputs(": ", f);
		md_put_text(f, reason);
		if (i + 1 == ns)
			fputs(")", f);
	}
	if (announce) {
		fputs("  \n**Type**: ", f);
		md_put_text(f, announce);
	}
	fputs("  \n**ArXiv ID**: ", f);
	md_put_text(f, id ? id : "");
	if (version) {
		fputs("v", f);
		md_put_text(f, version);
	}
	fputs("  \n\n", f);
	if (abstract && *abstract) {
		fputs("#### Abstract\n", f);
		put_abstract(f, abstract, m->abstract_chars);
		fputs("\n\n", f);
	}
	put_extensions(h, inst, f, rec);
	fputs("---\n\n", f);
}

static const char *
primary_of(const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	const char *p = h->record_get(inst, rec, PW_F_PRIMARY);
	if (!p)
		p = h->record_get_at(inst, rec, PW_F_CATEGORIES, 0);
	return p ? p : "uncategorised";
}

/* A section per primary category, in order of first appearance (so the
 * best paper's section comes first); numbering runs across sections. */
static void
put_by_category(const pw_host *h, pw_instance *inst, const struct markdown *m, FILE *f, const pw_delivery *d)
{
	size_t n = h->delivery_count(inst, d), no = 0;
	char *done = calloc(n + 1, 1);
	if (!done)
		return;
	for (size_t i = 0; i < n; i++) {
		if (done[i])
			continue;
		const char *cat = primary_of(h, inst, h->delivery_record(inst, d, i));
		fputs("## ", f);
		md_put_text(f, cat);
		fputs("\n\n", f);
		for (size_t j = i; j < n; j++) {
			const pw_record *rec = h->delivery_record(inst, d, j);
			if (!done[j] && strcmp(primary_of(h, inst, rec), cat) == 0) {
				done[j] = 1;
				put_paper(h, inst, m, f, ++no, rec);
			}
		}
	}
	free(done);
}

static void
put_page(const pw_host *h, pw_instance *inst, const struct markdown *m, FILE *f, const pw_delivery *d)
{
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	const char *run_time = h->delivery_info(inst, d, PW_D_RUN_TIME);
	const char *cats = h->delivery_info(inst, d, PW_D_CATEGORIES);
	const char *reason = h->delivery_info(inst, d, PW_D_EMPTY_REASON);
	size_t n = h->delivery_count(inst, d);

	if (m->title) {
		fputs("# ", f);
		md_put_text(f, m->title);
		fputs("\n\n", f);
	} else {
		fputs("# paperwire: ", f);
		md_put_text(f, digest ? digest : "digest");
		fputs("\n\n", f);
	}
	fputs("## 📊 Statistics\n\n", f);
	fprintf(f, "- **Last Updated**: %s\n", run_time ? run_time : "");
	fprintf(f, "- **Papers Fetched**: %s\n", h->delivery_info(inst, d, PW_D_FETCHED));
	fprintf(f, "- **New Papers**: %s\n", h->delivery_info(inst, d, PW_D_NEW));
	fprintf(f, "- **Papers in this Digest**: %zu\n", n);
	if (cats && *cats) {
		fputs("- **Categories Monitored**: ", f);
		md_put_text(f, cats);
		fputs("\n", f);
	}
	fputs("- **Sources**: ", f);
	md_put_text(f, h->delivery_info(inst, d, PW_D_SOURCES));
	fputs("\n\n", f);
	fputs("## 📚 Papers\n\n", f);
	if (n == 0) {
		fputs("No new papers in this digest: ", f);
		md_put_text(f, reason && *reason ? reason : "nothing was selected");
		fputs(".\n\n", f);
	}
	if (!m->by_category) {
		for (size_t i = 0; i < n; i++)
			put_paper(h, inst, m, f, i + 1, h->delivery_record(inst, d, i));
	} else {
		put_by_category(h, inst, m, f, d);
	}
	fputs("*Generated by paperwire. Thank you to arXiv for use of its open access interoperability.*\n", f);
}

static pw_status
markdown_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct markdown *m = state;
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);
	if (!f)
		return PW_ERROR;
	put_page(h, inst, m, f, d);
	int failed = ferror(f);
	failed |= fclose(f) != 0;
	if (failed || su_replace_file(m->path, page, len) < 0) {
		h->log(inst, PW_LOG_ERROR, "cannot write %s: %s", m->path, failed ? "out of memory" : strerror(errno));
		free(page);
		return PW_ERROR;
	}
	free(page);
	h->log(inst, PW_LOG_INFO, "wrote %zu papers to %s", h->delivery_count(inst, d), m->path);
	return PW_OK;
}

static const pw_plugin markdown_plugin = {
	.abi = PW_ABI_HEADER_FOR(pw_plugin),
	.name = "markdown",
	.kind = PW_KIND_SINK,
	.version = "0.1.0",
	.description = "a Markdown digest page (statistics, numbered papers, scores with reasons)",
	.options = markdown_options,
	.create = markdown_create,
	.destroy = markdown_destroy,
	.write = markdown_write,
};

PW_PLUGIN_DEFINE(markdown_plugin)
