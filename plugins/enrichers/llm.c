/* llm.c: summaries, translations and labels from any OpenAI-compatible
 * /v1/chat/completions endpoint (Ollama, vLLM, llama.cpp server, DeepSeek,
 * DashScope, OpenAI), for the papers a digest selected only.
 *
 * Answers are cached in the store by paper id, version, model and a hash of
 * the prompt, in the plugin's cache shared by every digest: a re-run, a
 * retry or a second digest over the same papers makes no new call.  Caps
 * bound the calls and tokens of a run.  Any failure (timeout, 429 after the
 * host's retries, malformed JSON, a label not in the list) leaves the paper
 * as it was, with a warning: a paper is never dropped for its summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "../common/api_json.h"
#include "../common/mbuf.h"
#include "../common/plugin_util.h"
#include "../common/url_check.h"
#include "../common/bundled.h"
#include "llm_fulltext.h"
#include "paperwire/plugin.h"

static const pw_option llm_options[] = {
	{ PW_OPTION("task", PW_OPT_STRING, NULL, 1, "what to ask for each paper"),
	  .choices = "summary|translate|classify" },
	{ PW_OPTION("endpoint", PW_OPT_STRING, NULL, 1, "the base URL ending in /v1, e.g. http://localhost:11434/v1") },
	{ PW_OPTION("model", PW_OPT_STRING, NULL, 1, "the chat model, e.g. qwen2.5:7b or gpt-4o-mini") },
	{ PW_OPTION("api_key", PW_OPT_STRING, NULL, 0, "sent as a bearer token; write \"${OPENAI_API_KEY}\"") },
	{ PW_OPTION("style", PW_OPT_STRING, "tldr", 0,
	            "summary: tldr (one line) or structured (problem / method / results)"),
	  .choices = "tldr|structured" },
	{ PW_OPTION("language", PW_OPT_STRING, NULL, 0,
	            "translate: the language to translate title and abstract into") },
	{ PW_OPTION("labels", PW_OPT_STRING_LIST, NULL, 0, "classify: the labels to choose from") },
	{ PW_OPTION(
	        "prompt", PW_OPT_STRING, NULL, 0,
	        "your own prompt template; {title}, {abstract}, {authors}, {language} and {labels} are filled in") },
	{ PW_OPTION("field", PW_OPT_STRING, NULL, 0,
	            "the record field written: summary (default \"summary\"), translate (FIELD_title and "
	            "FIELD_abstract, default \"translation\"), classify (FIELD and FIELD_reason, default \"label\")") },
	{ PW_OPTION("display", PW_OPT_STRING, NULL, 0,
	            "what readers see before the field, with {model}, {language} and {what} (Title or Abstract) "
	            "filled in; default \"AI Summary (by {model})\", \"{what} ({language})\" or \"Label\"") },
	{ PW_OPTION("max_calls", PW_OPT_INT, "100", 0, "most calls in one run"), .range = "0.." },
	{ PW_OPTION("max_tokens", PW_OPT_INT, "512", 0, "most tokens in one answer"), .range = "1.." },
	{ PW_OPTION("max_total_tokens", PW_OPT_INT, "200000", 0, "most tokens (prompt and answer) in one run"),
	  .range = "0.." },
	{ PW_OPTION("temperature", PW_OPT_NUMBER, "0.2", 0, "sampling temperature"), .range = "0..2" },
	{ PW_OPTION("input", PW_OPT_STRING, "abstract", 0,
	            "what the model reads: the abstract, or the paper's full text (arXiv's HTML rendering, else its "
	            "PDF; the abstract when neither can be read)"),
	  .choices = "abstract|fulltext" },
	{ PW_OPTION("max_input_tokens", PW_OPT_INT, "6000", 0,
	            "input fulltext: the most of the paper's text sent, in tokens (about 4 bytes each)"),
	  .range = "100.." },
	{ PW_OPTION("fulltext_base", PW_OPT_STRING, "https://arxiv.org", 0,
	            "input fulltext: where arXiv's /html/ID and /pdf/ID pages are") },
	PW_OPTIONS_END
};

enum task { TASK_SUMMARY, TASK_TRANSLATE, TASK_CLASSIFY };

static const char *const default_prompts[] = {
	/* summary, tldr */
	"Summarise this research paper in one sentence of at most 30 words, for a researcher deciding "
	"whether to read it. Answer with the sentence only.\n\nTitle: {title}\n\nAbstract: {abstract}",
	/* summary, structured */
	"Summarise this research paper in three short lines, exactly in this form:\nProblem: ...\nMethod: ...\n"
	"Results: ...\n\nTitle: {title}\n\nAbstract: {abstract}",
	/* translate */
	"Translate the title and the abstract of this research paper into {language}. Keep LaTeX and "
	"technical terms as they are. Answer with the translated title on the first line, an empty line, "
	"then the translated abstract, and nothing else.\n\nTitle: {title}\n\nAbstract: {abstract}",
	/* classify */
	"Choose the one label that fits this research paper best. Labels: {labels}\nAnswer with the label "
	"on the first line and a one-line reason on the second, nothing else.\n\nTitle: {title}\n\n"
	"Abstract: {abstract}",
};

struct llm {
	enum task task;
	const char *endpoint, *model, *language, *prompt;
	/* The fields written: summary or label; translated title or label's
	 * reason; translated abstract. */
	char field[3][128];
	char auth[1024];
	char labels[2048];
	int64_t max_calls, max_tokens, max_total_tokens, max_input_tokens;
	const char *fulltext_base; /* NULL: the abstract is the input */
	double temperature;
	/* this run */
	int64_t calls, tokens, cached, failed;
	int capped_warned;
	int failing;     /* failed calls in a row: at FAILING_MAX the endpoint is given up for the run */
	int64_t skipped; /* papers not sent after that, or in a dry run */
	int dry_run;
};

/* A dead endpoint costs the host's retries (about 30 s) per call; after
 * this many failed calls in a row the rest of the run goes without. */
#define FAILING_MAX 3

/* A template's {name}s replaced by their values (an absent value by
 * nothing): the prompts and the display names. */
struct template_var {
	const char *name, *value;
};

static void
fill_template(mbuf *out, const char *template, const struct template_var *vars, size_t n)
{
	for (const char *p = template; *p;) {
		size_t k;
		for (k = 0; k < n; k++)
			if (strncmp(p, vars[k].name, strlen(vars[k].name)) == 0)
				break;
		if (k < n) {
			mbuf_puts(out, vars[k].value ? vars[k].value : "");
			p += strlen(vars[k].name);
		} else {
			mbuf_put(out, p, 1);
			p++;
		}
	}
}

/* The display template with {model}, {language} and {what} filled in:
 * "{what}(参考訳)" gives "Title(参考訳)" and "Abstract(参考訳)". */
static void
fill_display(const char *template, const struct llm *l, const char *what, char *out, size_t size)
{
	const struct template_var vars[] = { { "{model}", l->model },
		                             { "{language}", l->language },
		                             { "{what}", what } };
	mbuf b = { 0 };
	fill_template(&b, template, vars, sizeof vars / sizeof vars[0]);
	char *text = mbuf_take(&b);
	snprintf(out, size, "%s", text ? text : "");
	free(text);
}

/* Says how the fields of the task are shown (ABI 2.1): a summary headed
 * with the model that wrote it, a translated title under the title and a
 * translated abstract after the abstract, a label with its reason. */
static pw_status
declare_fields(const pw_host *h, pw_instance *inst, struct llm *l)
{
	static const char *const default_field[] = { PW_X_SUMMARY, "translation", PW_X_LABEL };
	const char *base = h->config_string(inst, "field");
	if (!base || !*base)
		base = default_field[l->task];
	if (strlen(base) > 100 || strspn(base, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(base)) {
		h->log(inst, PW_LOG_ERROR,
		       "field: \"%s\" is not a field name (lower-case letters, digits and _, at most 100)", base);
		return PW_CONFIG_ERROR;
	}
	static const char *const default_display[] = { "AI Summary (by {model})", "{what} ({language})", "Label" };
	const char *display_template = h->config_string(inst, "display");
	if (!display_template || !*display_template)
		display_template = default_display[l->task];
	char display[2][256];
	pw_field f[2];
	size_t n = 1;
	fill_display(display_template, l, "Title", display[0], sizeof display[0]);
	if (l->task == TASK_SUMMARY) {
		snprintf(l->field[0], sizeof l->field[0], "%s", base);
		f[0] = (pw_field){ l->field[0], display[0], PW_ATTACH_PAPER, PW_FORM_MARKDOWN, NULL };
	} else if (l->task == TASK_TRANSLATE) {
		snprintf(l->field[1], sizeof l->field[1], "%s_title", base);
		snprintf(l->field[2], sizeof l->field[2], "%s_abstract", base);
		fill_display(display_template, l, "Abstract", display[1], sizeof display[1]);
		f[0] = (pw_field){ l->field[1], display[0], PW_ATTACH_TITLE, PW_FORM_TEXT, NULL };
		f[1] = (pw_field){ l->field[2], display[1], PW_ATTACH_ABSTRACT, PW_FORM_TEXT, NULL };
		n = 2;
	} else {
		snprintf(l->field[0], sizeof l->field[0], "%s", base);
		snprintf(l->field[1], sizeof l->field[1], "%s_reason", base);
		f[0] = (pw_field){ l->field[0], display[0], PW_ATTACH_PAPER, PW_FORM_LABEL, l->field[1] };
	}
	for (size_t i = 0; i < n; i++)
		if (h->field_declare(inst, &f[i], sizeof f[i]) != PW_OK)
			return PW_CONFIG_ERROR;
	return PW_OK;
}

static pw_status
llm_create(const pw_host *h, pw_instance *inst, void **state)
{
	const char *task = h->config_string(inst, "task"), *style = h->config_string(inst, "style");
	const char *key = h->config_string(inst, "api_key");
	struct llm *l = calloc(1, sizeof *l);
	if (!l)
		return PW_ERROR;
	l->endpoint = h->config_string(inst, "endpoint");
	if (uc_check_url(h, inst, "endpoint", l->endpoint, 0) < 0)
		goto config_error;
	l->model = h->config_string(inst, "model");
	l->language = h->config_string(inst, "language");
	l->prompt = h->config_string(inst, "prompt");
	/* Every option below has a default in llm_options: the getters always
	 * give a value. */
	h->config_int(inst, "max_calls", &l->max_calls);
	h->config_int(inst, "max_tokens", &l->max_tokens);
	h->config_int(inst, "max_total_tokens", &l->max_total_tokens);
	h->config_number(inst, "temperature", &l->temperature);
	h->config_int(inst, "max_input_tokens", &l->max_input_tokens);
	if (strcmp(h->config_string(inst, "input"), "fulltext") == 0) {
		l->fulltext_base = h->config_string(inst, "fulltext_base");
		if (uc_check_url(h, inst, "fulltext_base", l->fulltext_base, 1) < 0)
			goto config_error;
	}
	if (strcmp(task, "summary") == 0) {
		l->task = TASK_SUMMARY;
		if (!l->prompt)
			l->prompt = default_prompts[strcmp(style, "tldr") == 0 ? 0 : 1];
	} else if (strcmp(task, "translate") == 0) {
		l->task = TASK_TRANSLATE;
		if (!l->language || !*l->language) {
			h->log(inst, PW_LOG_ERROR, "task translate needs \"language\"");
			goto config_error;
		}
		if (!l->prompt)
			l->prompt = default_prompts[2];
	} else {
		l->task = TASK_CLASSIFY;
		size_t n = h->config_list_count(inst, "labels");
		if (n < 2) {
			h->log(inst, PW_LOG_ERROR, "task classify needs at least two \"labels\"");
			goto config_error;
		}
		for (size_t i = 0; i < n; i++)
			snprintf(l->labels + strlen(l->labels), sizeof l->labels - strlen(l->labels), "%s%s",
			         i ? ", " : "", h->config_list_at(inst, "labels", i));
		if (!l->prompt)
			l->prompt = default_prompts[3];
	}
	if (key && strpbrk(key, "\r\n")) {
		h->log(inst, PW_LOG_ERROR, "api_key contains a line break");
		goto config_error;
	}
	if (declare_fields(h, inst, l) != PW_OK)
		goto config_error;
	if (key && *key)
		snprintf(l->auth, sizeof l->auth, "Authorization: Bearer %s", key);
	*state = l;
	return PW_OK;
config_error:
	free(l);
	return PW_CONFIG_ERROR;
}

/* The part of a paper's text the budget allows: at most max bytes, cut
 * at a paragraph (or else a space) so no word or UTF-8 character is cut. */
static void
cut_to_budget(char *text, size_t max)
{
	if (strlen(text) <= max)
		return;
	size_t at = max;
	while (at > max / 2 && !(text[at - 1] == '\n' && text[at - 2] == '\n'))
		at--;
	if (at <= max / 2)
		for (at = max; at > 0 && text[at] != ' ' && text[at] != '\n'; at--)
			;
	while (at > 0 && ((unsigned char)text[at] & 0xC0) == 0x80)
		at--;
	text[at] = '\0';
}

/* input fulltext: the paper's own text, cut to max_input_tokens; NULL (with
 * a warning) when it cannot be had: the abstract is used. */
static char *
paper_text(const pw_host *h, pw_instance *inst, struct llm *l, const pw_record *rec)
{
	char why[1200];
	char *text = ft_fetch(h, inst, rec, l->fulltext_base, l->dry_run, why, sizeof why);
	const char *id = h->record_get(inst, rec, PW_F_ID);
	if (!text) {
		if (!l->dry_run)
			h->log(inst, PW_LOG_WARNING, "paper %s: no full text (%s); the abstract is used", id ? id : "?",
			       why);
		h->report_count(inst, "abstract instead of full text", 1);
		return NULL;
	}
	cut_to_budget(text, (size_t)l->max_input_tokens * 4);
	h->report_count(inst, "full texts", 1);
	return text;
}

static char *
fill_prompt(const pw_host *h, pw_instance *inst, const struct llm *l, const pw_record *rec, const char *fulltext)
{
	char authors[1024] = "";
	mbuf out = { 0 };
	for (size_t i = 0; i < h->record_count(inst, rec, PW_F_AUTHORS) && i < 20; i++)
		snprintf(authors + strlen(authors), sizeof authors - strlen(authors), "%s%s", i ? ", " : "",
		         h->record_get_at(inst, rec, PW_F_AUTHORS, i));

	const struct template_var vars[] = {
		{ "{title}", h->record_get(inst, rec, PW_F_TITLE) },
		{ "{abstract}", h->record_get(inst, rec, PW_F_ABSTRACT) },
		{ "{authors}", authors },
		{ "{language}", l->language },
		{ "{labels}", l->labels },
		{ "{fulltext}", fulltext },
	};
	fill_template(&out, l->prompt, vars, sizeof vars / sizeof vars[0]);
	/* A prompt that does not place the text itself gets it at its end. */
	if (fulltext && !strstr(l->prompt, "{fulltext}")) {
		mbuf_puts(&out, "\n\nThe paper's text (its first part, sections in order):\n\n");
		mbuf_puts(&out, fulltext);
	}
	return mbuf_take(&out);
}

/* The answer's text, or NULL with the reason logged. */
static char *
ask(const pw_host *h, pw_instance *inst, struct llm *l, const char *prompt)
{
	const aj_chat chat = { l->endpoint,    l->auth,
		               l->model,       "You help researchers triage new papers. Be exact and brief.",
		               l->temperature, (long)l->max_tokens };
	long in, out;
	l->calls++;
	h->report_count(inst, "calls", 1);
	char *answer = aj_chat_ask(h, inst, &chat, prompt, NULL, &in, &out);
	if (answer) {
		l->tokens += in + out;
		h->report_count(inst, "tokens", in + out);
	}
	return answer;
}

/* "translated title\n\ntranslated abstract" (as the prompt asks): the
 * first line is the title, the rest after it the abstract. */
static int
apply_translation(const pw_host *h, pw_instance *inst, const struct llm *l, pw_record *rec, const char *answer)
{
	size_t n = strcspn(answer, "\n");
	char *title = strndup(answer, n);
	const char *abstract = answer + n;
	while (*abstract == '\n' || *abstract == ' ' || *abstract == '\r')
		abstract++;
	int rc = title && h->record_set(inst, rec, l->field[1], title) == PW_OK &&
	                         (!*abstract || h->record_set(inst, rec, l->field[2], abstract) == PW_OK)
	                 ? 0
	                 : -1;
	free(title);
	return rc;
}

/* Puts the answer into the record's fields; -1 when it does not fit the task. */
static int
apply(const pw_host *h, pw_instance *inst, const struct llm *l, pw_record *rec, const char *answer)
{
	while (*answer == ' ' || *answer == '\n')
		answer++;
	if (!*answer)
		return -1;
	if (l->task == TASK_SUMMARY)
		return h->record_set(inst, rec, l->field[0], answer) == PW_OK ? 0 : -1;
	if (l->task == TASK_TRANSLATE)
		return apply_translation(h, inst, l, rec, answer);
	/* classify: "label\nreason" with a label from the list */
	size_t n = strcspn(answer, "\n");
	char label[256];
	snprintf(label, sizeof label, "%.*s", (int)(n < sizeof label ? n : sizeof label - 1), answer);
	for (size_t k = strlen(label); k > 0 && strchr(" .*\t\r", label[k - 1]); k--)
		label[k - 1] = '\0';
	for (size_t i = 0; i < h->config_list_count(inst, "labels"); i++) {
		const char *want = h->config_list_at(inst, "labels", i);
		if (strcasecmp(label, want) == 0) {
			const char *reason = answer[n] ? answer + n + 1 : "";
			h->record_set(inst, rec, l->field[0], want);
			if (*reason)
				h->record_set(inst, rec, l->field[1], reason);
			return 0;
		}
	}
	h->log(inst, PW_LOG_WARNING, "the model answered a label not in the list: \"%s\"", label);
	return -1;
}

/* A paper this task answered for in an earlier version (a replacement the
 * digest delivers again): the answer is marked as made for this version.
 * The first version answered is kept per model, field and paper. */
static char *
mark_update(const pw_host *h, pw_instance *inst, const struct llm *l, const pw_record *rec, const char *answer)
{
	const char *id = h->record_get(inst, rec, PW_F_ID), *version = h->record_get(inst, rec, PW_F_VERSION);
	char key[512];
	int now = version ? atoi(version) : 0;
	snprintf(key, sizeof key, "llm-first:%s:%s:%s", l->model, l->field[0], id ? id : "?");
	const char *first = h->cache_get(inst, key);
	if (!first) {
		char v[16];
		snprintf(v, sizeof v, "%d", now);
		h->cache_put(inst, key, v);
		return NULL;
	}
	if (l->task == TASK_CLASSIFY || atoi(first) >= now)
		return NULL;
	mbuf b = { 0 };
	if (l->task == TASK_SUMMARY) {
		mbuf_printf(&b, "*Updated for v%d.* %s", now, answer);
	} else { /* translate: the title line as it is, the abstract marked */
		size_t n = strcspn(answer, "\n");
		mbuf_put(&b, answer, n);
		mbuf_printf(&b, "\n\n(Updated for v%d.) ", now);
		const char *rest = answer + n;
		while (*rest == '\n' || *rest == '\r' || *rest == ' ')
			rest++;
		mbuf_puts(&b, rest);
	}
	h->report_count(inst, "updated for a new version", 1);
	return mbuf_take(&b);
}

/* Applies the answer, marked when it is for a new version. */
static int
apply_marked(const pw_host *h, pw_instance *inst, const struct llm *l, pw_record *rec, const char *answer)
{
	char *marked = mark_update(h, inst, l, rec, answer);
	int rc = apply(h, inst, l, rec, marked ? marked : answer);
	free(marked);
	return rc;
}

static pw_status
llm_enrich(const pw_host *h, pw_instance *inst, void *state, pw_record *rec)
{
	struct llm *l = state;
	char *fulltext = l->fulltext_base ? paper_text(h, inst, l, rec) : NULL;
	char *prompt = fill_prompt(h, inst, l, rec, fulltext);
	char key[512];
	free(fulltext);
	const char *version = h->record_get(inst, rec, PW_F_VERSION);
	pw_status st = PW_ERROR;
	if (!prompt)
		return PW_ERROR;
	snprintf(key, sizeof key, "llm:%s:%016llx:%s:v%s", l->model, (unsigned long long)pu_fnv64(prompt),
	         h->record_get(inst, rec, PW_F_ID), version ? version : "0");
	const char *cached = h->cache_get(inst, key);
	if (cached && apply_marked(h, inst, l, rec, cached) == 0) {
		l->cached++;
		h->report_count(inst, "cached", 1);
		st = PW_OK;
		goto out;
	}
	if (l->dry_run || l->failing >= FAILING_MAX) {
		/* Not a failure of this paper: it goes as it is. */
		l->skipped++;
		h->report_count(inst, l->dry_run ? "not asked (dry run)" : "not asked (endpoint down)", 1);
		st = PW_OK;
		goto out;
	}
	if (l->calls >= l->max_calls || l->tokens >= l->max_total_tokens) {
		if (!l->capped_warned++)
			h->log(inst, PW_LOG_WARNING, "cap reached (%lld calls, %lld tokens): the rest go without",
			       (long long)l->calls, (long long)l->tokens);
		l->failed++;
		h->report_count(inst, "capped", 1);
		goto out;
	}
	char *answer = ask(h, inst, l, prompt);
	l->failing = answer ? 0 : l->failing + 1;
	if (l->failing == FAILING_MAX)
		h->log(inst, PW_LOG_WARNING,
		       "%s failed %d times in a row: no more calls this run; the rest of the "
		       "papers go without (the next run asks again)",
		       l->endpoint, FAILING_MAX);
	if (answer && apply_marked(h, inst, l, rec, answer) == 0) {
		h->cache_put(inst, key, answer);
		st = PW_OK;
	} else {
		l->failed++;
	}
	free(answer);
out:
	free(prompt);
	return st;
}

/* Learns whether this is a dry run: then only cached answers are used,
 * and no model (perhaps a paid one) is called. */
static pw_status
llm_prepare(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *batch)
{
	struct llm *l = state;
	const char *dry = h->delivery_info(inst, batch, PW_D_DRY_RUN);
	l->dry_run = dry && strcmp(dry, "1") == 0;
	return PW_OK;
}

static void
llm_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	struct llm *l = state;
	if (l->calls || l->cached || l->failed)
		h->log(inst, PW_LOG_INFO, "%lld calls, %lld tokens, %lld answers from the cache, %lld failed",
		       (long long)l->calls, (long long)l->tokens, (long long)l->cached, (long long)l->failed);
	if (l->dry_run && l->skipped)
		h->log(inst, PW_LOG_INFO, "dry run: would have asked %s at %s about %lld papers (no call made)",
		       l->model, l->endpoint, (long long)l->skipped);
	free(l);
}

static const pw_plugin llm_plugin = {
	PW_BUNDLED_PLUGIN("llm", PW_KIND_ENRICHER, PW_PLUGIN_EXPENSIVE, "0.1.0"),
	.description = "summaries, translations and labels from an OpenAI-compatible chat endpoint, cached",
	PW_OPTIONS(llm_options),
	PW_BUNDLED_CALLBACKS_PREPARED(llm, enrich),
};

PW_PLUGIN_DEFINE(llm_plugin)
