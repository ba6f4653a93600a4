/* markdown.c: the digest as a Markdown page, in the manner of the arXiv
 * Papers Bot's README: statistics, then numbered papers with their score
 * and the reason for it.  The page is written to a temporary file and
 * renamed into place, so a reader never sees half a page.  A day with
 * nothing new (a weekend, a 304, a failed fetch) keeps the last digest's
 * papers under a fresh status line, so the page is never blanked: the
 * papers sit between two HTML comments the next write looks for. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/canonical.h"
#include "../common/field_view.h"
#include "../common/md_text.h"
#include "../common/sink_util.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option markdown_options[] = {
	{ PW_OPTION("path", PW_OPT_STRING, NULL, 1, "the Markdown file to write, e.g. \"README.md\"") },
	{ PW_OPTION("title", PW_OPT_STRING, NULL, 0, "the page's heading (default: \"paperwire: <digest>\")") },
	{ PW_OPTION("abstract_chars", PW_OPT_INT, "600", 0,
	            "abstracts are cut at a sentence boundary before this length"),
	  .range = "40.." },
	{ PW_OPTION("group_by", PW_OPT_STRING, "none", 0,
	            "none; category: a section per primary category; label: a section per label an enricher gave"),
	  .choices = "none|category|label" },
	PW_OPTIONS_END
};

enum { GROUP_NONE, GROUP_CATEGORY, GROUP_LABEL };

struct markdown {
	const char *path, *title;
	long abstract_chars;
	int group; /* GROUP_* */
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
	if (!m->path || !*m->path) {
		h->log(inst, PW_LOG_ERROR, "path: give the Markdown file to write");
		free(m);
		return PW_CONFIG_ERROR;
	}
	m->abstract_chars = (long)chars;
	const char *group_by = h->config_string(inst, "group_by");
	m->group = strcmp(group_by, "category") == 0 ? GROUP_CATEGORY
	           : strcmp(group_by, "label") == 0  ? GROUP_LABEL
	                                             : GROUP_NONE;
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
	/* Cut either way: the reader should know there is more. */
	fputs(ellipsis ? "…" : " […]", f);
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

/* A field nobody declared: a short one-line value inline, anything longer
 * or a list folded into <details> under the field's own name. */
static void
put_undeclared(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec, const fv_field *x)
{
	const char *first = h->record_get_at(inst, rec, x->name, 0);
	int list = x->list;
	if (!first)
		return;
	if (!list && strlen(first) <= 120 && !strchr(first, '\n')) {
		fputs("**", f);
		put_name(f, x->name, 1);
		fputs("**: ", f);
		md_put_markdown(f, first);
		fputs("  \n\n", f);
		return;
	}
	fputs("<details>\n<summary><strong>", f);
	put_name(f, x->name, 0);
	fputs("</strong></summary>\n\n", f);
	for (size_t k = 0; k < x->values; k++) {
		if (list)
			fputs("- ", f);
		md_put_markdown(f, h->record_get_at(inst, rec, x->name, k));
		fputs("\n", f);
	}
	fputs("\n</details>\n\n", f);
}

static void
put_related(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec, const fv_field *x)
{
	for (size_t k = 0; k < x->values; k++) {
		const char *item = h->record_get_at(inst, rec, x->name, k);
		fv_related r;
		char link_buf[160];
		fputs("- ", f);
		if (fv_related_parse(item, &r) < 0) {
			md_put_text(f, item);
			fputs("\n", f);
			continue;
		}
		const char *link = fv_related_link(h, inst, &r, link_buf, sizeof link_buf);
		fputs(link ? "[" : "", f);
		md_put_text(f, r.title);
		if (link) {
			fputs("](", f);
			md_put_url(f, link);
			fputs(")", f);
		}
		char facts[96];
		fv_related_facts(&r, facts, sizeof facts);
		if (facts[0]) {
			fputs(" (", f);
			md_put_text(f, facts);
			fputs(")", f);
		}
		if (r.line) {
			fputs("  \n  ", f);
			md_put_text(f, r.line);
		}
		fputs("\n", f);
		fv_related_free(&r);
	}
	fputs("\n", f);
}

/* "**Title (Japanese)**: ..." on a line of its own: a field shown inline
 * (a text under the title, a label with its reason). */
static void
put_inline(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec, const fv_field *x)
{
	fputs("**", f);
	md_put_text(f, x->display);
	fputs("**: ", f);
	for (size_t k = 0; k < x->values; k++) {
		if (k)
			fputs("; ", f);
		if (x->form == PW_FORM_MARKDOWN)
			md_put_markdown(f, h->record_get_at(inst, rec, x->name, k));
		else
			md_put_text(f, h->record_get_at(inst, rec, x->name, k));
	}
	if (x->form == PW_FORM_LABEL && x->reason) {
		fputs(" \xe2\x80\x94 ", f);
		md_put_text(f, x->reason);
	}
}

/* The fields at one place of a paper: under the title and among the
 * details they are lines; after the abstract and at the end, blocks with
 * a heading (a summary keeps the model's Markdown, related papers are
 * links). */
static void
put_fields(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec, uint32_t attach, int labels_only)
{
	fv_field v[64];
	size_t n = fv_fields(h, inst, rec, attach, labels_only, v, sizeof v / sizeof v[0]);
	for (size_t i = 0; i < n && i < sizeof v / sizeof v[0]; i++) {
		const fv_field *x = &v[i];
		if (!x->declared) {
			put_undeclared(h, inst, f, rec, x);
		} else if (labels_only) {
			fputs("  \n", f);
			put_inline(h, inst, f, rec, x);
		} else if (attach == PW_ATTACH_TITLE || x->form == PW_FORM_LABEL ||
		           (x->form == PW_FORM_TEXT && attach == PW_ATTACH_PAPER)) {
			put_inline(h, inst, f, rec, x);
			fputs("  \n\n", f);
		} else {
			fputs("#### ", f);
			md_put_text(f, x->display);
			fputs("\n", f);
			if (x->form == PW_FORM_RELATED)
				put_related(h, inst, f, rec, x);
			else if (x->form == PW_FORM_MARKDOWN)
				md_put_markdown(f, h->record_get_at(inst, rec, x->name, 0));
			else
				md_put_text(f, h->record_get_at(inst, rec, x->name, 0));
			fputs(x->form == PW_FORM_RELATED ? "" : "\n\n", f);
		}
	}
}

/* The id under its true name (an arXiv id, a DOI, or an id), and the PDF:
 * the record's own link, else arXiv's for an arXiv id. */
static void
put_identity(const pw_host *h, pw_instance *inst, FILE *f, const pw_record *rec, const char *id, const char *version)
{
	const char *doi = h->record_get(inst, rec, PW_F_DOI);
	const char *pdf = h->record_get(inst, rec, PW_F_PDF_URL);
	char canon[256];
	int arxiv = id && cn_id(h, inst, id, canon, sizeof canon, NULL) == 1;
	if (arxiv) {
		fputs("  \n**ArXiv ID**: ", f);
		md_put_text(f, id);
		if (version) {
			fputs("v", f);
			md_put_text(f, version);
		}
	} else if (id && strncmp(id, "10.", 3) == 0) {
		fputs("  \n**DOI**: ", f);
		md_put_text(f, id);
	} else if (id) {
		fputs("  \n**ID**: ", f);
		md_put_text(f, id);
	}
	if (doi && *doi && !(id && strcmp(doi, id) == 0)) {
		fputs("  \n**DOI**: ", f);
		md_put_text(f, doi);
	}
	char made[96];
	if (!su_is_web_url(pdf) && arxiv) {
		snprintf(made, sizeof made, "https://arxiv.org/pdf/%s%s%s", id, version ? "v" : "",
		         version ? version : "");
		pdf = made;
	}
	if (su_is_web_url(pdf)) {
		fputs("  \n**PDF**: [", f);
		md_put_text(f, pdf);
		fputs("](", f);
		md_put_url(f, pdf);
		fputs(")", f);
	}
}

static void
put_paper(const pw_host *h, pw_instance *inst, const struct markdown *m, FILE *f, size_t no, const pw_record *rec,
          const char *heading)
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
	fprintf(f, "%s %zu. %s", heading, no, linked ? "[" : "");
	md_put_text(f, h->record_get(inst, rec, PW_F_TITLE));
	if (linked) {
		fputs("](", f);
		md_put_url(f, url);
		fputs(")", f);
	}
	fputs("\n\n", f);
	put_fields(h, inst, f, rec, PW_ATTACH_TITLE, 0);
	fputs("**Authors**: ", f);
	put_list(h, inst, f, rec, PW_F_AUTHORS);
	if (primary) {
		fputs("  \n**Category**: ", f);
		md_put_text(f, primary);
	} else if (h->record_count(inst, rec, PW_F_CATEGORIES) > 0) {
		fputs("  \n**Category**: ", f);
		put_list(h, inst, f, rec, PW_F_CATEGORIES);
	}
	if (published > 0) {
		char date[16];
		time_t t = (time_t)published;
		strftime(date, sizeof date, "%Y-%m-%d", gmtime(&t));
		fprintf(f, "  \n**Published**: %s", date);
	}
	mbuf scores = { 0 };
	su_scores_text(h, inst, rec, &scores);
	char *scores_line = mbuf_take(&scores);
	fputs("  \n**Score**: ", f);
	md_put_text(f, scores_line);
	free(scores_line);
	if (announce) {
		fputs("  \n**Type**: ", f);
		md_put_text(f, announce);
	}
	put_identity(h, inst, f, rec, id, version);
	put_fields(h, inst, f, rec, PW_ATTACH_PAPER, 1);
	fputs("  \n\n", f);
	if (abstract && *abstract) {
		fputs("#### Abstract\n", f);
		put_abstract(f, abstract, m->abstract_chars);
		fputs("\n\n", f);
	}
	put_fields(h, inst, f, rec, PW_ATTACH_ABSTRACT, 0);
	put_fields(h, inst, f, rec, PW_ATTACH_PAPER, 0);
	fputs("---\n\n", f);
}

/* The section a paper goes in: its primary category, or the label an
 * enricher declared and gave it. */
static const char *
group_of(const pw_host *h, pw_instance *inst, const pw_record *rec, int group)
{
	if (group == GROUP_LABEL) {
		const char *label = fv_label(h, inst, rec);
		return label && *label ? label : "unlabelled";
	}
	const char *p = h->record_get(inst, rec, PW_F_PRIMARY);
	if (!p)
		p = h->record_get_at(inst, rec, PW_F_CATEGORIES, 0);
	return p ? p : "uncategorised";
}

struct grouped {
	const char *category;
	size_t index; /* in the delivery, which is best first */
};

static int
by_category_then_rank(const void *a, const void *b)
{
	const struct grouped *x = a, *y = b;
	int c = strcmp(x->category, y->category);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* A section per primary category (or label), in alphabetical order so a
 * reader finds it where they expect it; best paper first within a
 * section; numbering runs across sections. */
static void
put_grouped(const pw_host *h, pw_instance *inst, const struct markdown *m, FILE *f, const pw_delivery *d)
{
	size_t n = h->delivery_count(inst, d);
	struct grouped *g = calloc(n + 1, sizeof *g);
	if (!g)
		return;
	for (size_t i = 0; i < n; i++)
		g[i] = (struct grouped){ group_of(h, inst, h->delivery_record(inst, d, i), m->group), i };
	if (n > 1)
		qsort(g, n, sizeof *g, by_category_then_rank);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(g[i].category, g[i - 1].category) != 0) {
			size_t count = 1;
			while (i + count < n && strcmp(g[i + count].category, g[i].category) == 0)
				count++;
			fputs("### ", f);
			md_put_text(f, g[i].category);
			fprintf(f, " (%zu)\n\n", count);
		}
		put_paper(h, inst, m, f, i + 1, h->delivery_record(inst, d, g[i].index), "####");
	}
	free(g);
}

/* The papers' block is marked so that an empty day can keep it:
 * "<!-- paperwire:papers 2026-11-27T06:00:00Z 5 -->" ... "<!-- paperwire:end -->".
 * Text inside never contains "<!--": md_text escapes every '<'. */
#define KEEP_BEGIN "<!-- paperwire:papers "
#define KEEP_END   "<!-- paperwire:end -->\n"

struct kept {
	char *page;        /* the previous page, owning the pointers below */
	const char *block; /* from KEEP_BEGIN's line end to KEEP_END */
	size_t block_len;
	char when[32]; /* that digest's run time */
	long count;
};

/* The previous page's papers, when it has them (a page from an older
 * paperwire, or one edited by hand, has none to keep). */
static int
find_kept(const char *path, struct kept *k)
{
	size_t len = 0;
	memset(k, 0, sizeof *k);
	k->page = su_read_file(path, (size_t)64 << 20, &len);
	if (!k->page)
		return 0;
	const char *b = strstr(k->page, KEEP_BEGIN), *e = b ? strstr(b, KEEP_END) : NULL;
	const char *eol = b ? strchr(b, '\n') : NULL;
	if (!b || !e || !eol || eol > e || sscanf(b + strlen(KEEP_BEGIN), "%31s %ld", k->when, &k->count) != 2 ||
	    k->count <= 0) {
		free(k->page);
		k->page = NULL;
		return 0;
	}
	k->block = eol + 1;
	k->block_len = (size_t)(e - k->block);
	return 1;
}

/* The status line: said on every page that is not simply today's papers. */
static void
put_status(const pw_host *h, pw_instance *inst, FILE *f, const pw_delivery *d, size_t n, const struct kept *k)
{
	const char *run_time = h->delivery_info(inst, d, PW_D_RUN_TIME);
	const char *reason = h->delivery_info(inst, d, PW_D_EMPTY_REASON);
	const char *failed = h->delivery_info(inst, d, PW_D_FAILED_SOURCES);
	if (failed && *failed) {
		fputs("> ⚠️ **The run of ", f);
		md_put_text(f, run_time ? run_time : "");
		fputs(" did not complete**: source ", f);
		md_put_text(f, failed);
		fputs(n ? " failed, so papers may be missing below; the next run fetches again.\n\n"
		        : " failed; the next run fetches again.\n\n",
		      f);
	}
	if (n > 0)
		return;
	fputs("> **Checked ", f);
	md_put_text(f, run_time ? run_time : "");
	fputs("**: nothing new (", f);
	md_put_text(f, reason && *reason ? reason : "nothing was selected");
	fputs(").", f);
	if (k->page)
		fprintf(f, " The %ld paper%s below %s from the digest of %s.", k->count, k->count == 1 ? "" : "s",
		        k->count == 1 ? "is" : "are", k->when);
	fputs("\n\n", f);
}

static void
put_page(const pw_host *h, pw_instance *inst, const struct markdown *m, FILE *f, const pw_delivery *d,
         const struct kept *k)
{
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	const char *run_time = h->delivery_info(inst, d, PW_D_RUN_TIME);
	const char *cats = h->delivery_info(inst, d, PW_D_CATEGORIES);
	size_t n = h->delivery_count(inst, d);

	fputs("# ", f);
	if (m->title) {
		md_put_text(f, m->title);
	} else {
		fputs("paperwire: ", f);
		md_put_text(f, digest ? digest : "digest");
	}
	fputs("\n\n", f);
	put_status(h, inst, f, d, n, k);
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
	if (n == 0 && k->page) {
		fprintf(f, "%s%s %ld -->\n", KEEP_BEGIN, k->when, k->count);
		fwrite(k->block, 1, k->block_len, f);
		fputs(KEEP_END "\n", f);
	} else if (n == 0) {
		fputs("No papers yet.\n\n", f);
	} else {
		fprintf(f, "%s%s %zu -->\n", KEEP_BEGIN, run_time ? run_time : "-", n);
		if (m->group == GROUP_NONE)
			for (size_t i = 0; i < n; i++)
				put_paper(h, inst, m, f, i + 1, h->delivery_record(inst, d, i), "###");
		else
			put_grouped(h, inst, m, f, d);
		fputs(KEEP_END "\n", f);
	}
	fputs("*Generated by paperwire. Thank you to arXiv for use of its open access interoperability.*\n", f);
}

static pw_status
markdown_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct markdown *m = state;
	struct kept k = { 0 };
	size_t n = h->delivery_count(inst, d);
	if (n == 0)
		find_kept(m->path, &k);
	char *page = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&page, &len);
	if (!f) {
		free(k.page);
		return PW_ERROR;
	}
	put_page(h, inst, m, f, d, &k);
	free(k.page);
	int failed = ferror(f);
	failed |= fclose(f) != 0;
	if (failed || su_replace_file(m->path, page, len) < 0) {
		h->log(inst, PW_LOG_ERROR, "cannot write %s: %s", m->path, failed ? "out of memory" : strerror(errno));
		free(page);
		return PW_ERROR;
	}
	free(page);
	if (n > 0)
		h->log(inst, PW_LOG_INFO, "wrote %zu paper%s to %s", n, n == 1 ? "" : "s", m->path);
	else
		h->log(inst, PW_LOG_INFO, "nothing new: %s keeps the last digest's papers under a new status line",
		       m->path);
	return PW_OK;
}

static const pw_plugin markdown_plugin = {
	PW_BUNDLED_PLUGIN("markdown", PW_KIND_SINK, PW_NO_FLAGS, "0.1.0"),
	.description = "a Markdown digest page (statistics, numbered papers, scores with reasons)",
	PW_OPTIONS(markdown_options),
	PW_BUNDLED_CALLBACKS(markdown, write),
};

PW_PLUGIN_DEFINE(markdown_plugin)
