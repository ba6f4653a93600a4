/* chat.c: the digest in a chat: Slack, Discord, Telegram, Feishu/Lark,
 * DingTalk, WeCom or any webhook, one plugin with a `service` option: the
 * services differ in dialect, limits and answers (chat_services.c), not in
 * what has to hold for all of them, which lives here once: papers packed
 * into as few messages as the service's limits allow (a message per paper
 * on request), never cut inside a character or an escape (a paper's text
 * is shortened before it is escaped); the service's rate kept between
 * messages and its Retry-After honoured; success read from the answer's
 * body; and each message under the ledger: before message k the host
 * records "message k of n", so a run that dies resumes at message k (the
 * ones before it were confirmed; message k may have gone out, and is sent
 * again: no service here can drop a repeat, and the README says so). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "../common/base64.h"
#include "../common/bundled.h"
#include "../common/field_view.h"
#include "../common/sha256.h"
#include "../common/sink_util.h"
#include "../common/url_encode.h"
#include "chat_services.h"
#include "paperwire/plugin.h"

static const pw_option chat_options[] = {
	{ PW_OPTION("service", PW_OPT_STRING, NULL, 1, "where the digest goes"),
	  .choices = "slack|discord|telegram|feishu|lark|dingtalk|wecom|webhook" },
	{ PW_OPTION("webhook", PW_OPT_STRING, NULL, 0,
	            "the incoming-webhook URL (all but telegram); it is a secret: write \"${SLACK_WEBHOOK_URL}\"") },
	{ PW_OPTION("token", PW_OPT_STRING, NULL, 0, "telegram: the bot token; write \"${TELEGRAM_BOT_TOKEN}\"") },
	{ PW_OPTION("chat_id", PW_OPT_STRING, NULL, 0, "telegram: the chat, channel (@name) or group id") },
	{ PW_OPTION("api", PW_OPT_STRING, NULL, 0, "telegram: the Bot API base (default https://api.telegram.org)") },
	{ PW_OPTION("secret", PW_OPT_STRING, NULL, 0,
	            "feishu, lark, dingtalk: the signing secret of the bot, when it has one") },
	{ PW_OPTION("mode", PW_OPT_STRING, "digest", 0,
	            "digest (as few messages as the service's limits allow) or paper (a message per paper)"),
	  .choices = "digest|paper" },
	{ PW_OPTION("abstract_chars", PW_OPT_INT, "280", 0, "how much of each abstract to show (0: none)"),
	  .range = "0..1000" },
	{ PW_OPTION("interval", PW_OPT_NUMBER, NULL, 0,
	            "seconds between two messages (default: the service's limit: telegram 1 per chat, "
	            "dingtalk and wecom 20 a minute, feishu 100 a minute, slack 1 a second, discord 30 a minute)"),
	  .range = "0..3600" },
	{ PW_OPTION("send_empty", PW_OPT_BOOL, "false", 0, "say so when a day has no papers") },
	{ PW_OPTION("template", PW_OPT_STRING, NULL, 0,
	            "webhook: the JSON body to send, with {{digest}}, {{count}}, {{text}} and, in mode paper, "
	            "{{id}}, {{title}}, {{url}}, {{authors}}, {{score}}, {{abstract}} in its strings; a string that is "
	            "exactly \"{{papers}}\" becomes the papers (default: {\"text\": \"{{text}}\", \"papers\": "
	            "\"{{papers}}\"})") },
	{ PW_OPTION("max_bytes", PW_OPT_INT, "1000000", 0, "webhook: the most one message may carry"),
	  .range = "1000.." },
	{ PW_OPTION(
	        "buttons", PW_OPT_BOOL, "false", 0,
	        "telegram: a message per paper with thumbs-up and thumbs-down buttons; the next run reads the presses "
	        "(getUpdates) and records them as ratings of this digest") },
	PW_OPTIONS_END
};

/* Every request a chat service gets carries a JSON body. */
static const char *const json_headers[] = { "Content-Type: application/json; charset=utf-8", NULL };

/* How long a paper's parts may be, before escaping. */
#define TITLE_CHARS  200
#define LINE_CHARS   300
#define FIELDS_CHARS 800
/* The most a message waits when a service asks it to, and how often. */
#define MAX_RETRY_AFTER 60.0
#define MAX_RETRIES     2

/* ---- a paper's text, shortened at a character and made one line ---- */

static char *
one_line(const char *s, size_t max_chars)
{
	size_t len = s ? strlen(s) : 0, o = 0, chars = 0;
	char *out = malloc(len + 4);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		int space = ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t';
		if (space && (o == 0 || out[o - 1] == ' '))
			continue;
		if ((ch & 0xC0) != 0x80 && chars++ == max_chars) {
			while (o > 0 && out[o - 1] == ' ')
				o--;
			memcpy(out + o, "…", 3);
			o += 3;
			break;
		}
		out[o++] = space ? ' ' : (char)ch;
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

struct chat {
	const chat_service *svc;
	const char *webhook, *token, *chat_id, *api, *secret;
	int per_paper, send_empty, buttons;
	cJSON *template; /* webhook: the body's shape, or NULL */
	size_t limit;    /* the service's, or max_bytes for a webhook */
	int64_t abstract_chars;
	double interval, last_sent;
	char url[2048];
};

static pw_status
chat_create(const pw_host *h, pw_instance *inst, void **state)
{
	struct chat *c = calloc(1, sizeof *c);
	if (!c)
		return PW_ERROR;
	c->svc = chat_service_named(h->config_string(inst, "service"));
	c->webhook = h->config_string(inst, "webhook");
	c->token = h->config_string(inst, "token");
	c->chat_id = h->config_string(inst, "chat_id");
	c->secret = h->config_string(inst, "secret");
	c->api = h->config_string(inst, "api");
	c->per_paper = strcmp(h->config_string(inst, "mode"), "paper") == 0;
	c->abstract_chars = 280;
	h->config_int(inst, "abstract_chars", &c->abstract_chars);
	h->config_bool(inst, "send_empty", &c->send_empty);
	c->interval = c->svc ? c->svc->interval : 1;
	h->config_number(inst, "interval", &c->interval);
	c->last_sent = -1e9;
	int telegram = c->svc && c->svc->default_api;
	h->config_bool(inst, "buttons", &c->buttons);
	if (!c->svc)
		goto config_error; /* the schema's choices say which */
	if (c->buttons && !telegram) {
		h->log(inst, PW_LOG_ERROR, "\"buttons\" are Telegram's; %s has none", c->svc->name);
		goto config_error;
	}
	if (c->buttons)
		c->per_paper = 1; /* the buttons rate the message's one paper */
	c->limit = c->svc->limit;
	int webhook = strcmp(c->svc->name, "webhook") == 0;
	const char *template = h->config_string(inst, "template");
	if (!webhook && (template || h->config_given(inst, "max_bytes"))) {
		h->log(inst, PW_LOG_ERROR, "\"template\" and \"max_bytes\" are the webhook's; %s has its own",
		       c->svc->name);
		goto config_error;
	}
	if (webhook) {
		int64_t max = 1000000;
		h->config_int(inst, "max_bytes", &max);
		c->limit = (size_t)max;
		if (template && !cJSON_IsObject(c->template = cJSON_Parse(template)) && !cJSON_IsArray(c->template)) {
			h->log(inst, PW_LOG_ERROR, "template: not a JSON object or array: %.80s", template);
			goto config_error;
		}
	}
	if (telegram && (!c->token || !*c->token || !c->chat_id || !*c->chat_id)) {
		h->log(inst, PW_LOG_ERROR, "service telegram needs \"token\" (the bot's) and \"chat_id\"");
		goto config_error;
	}
	if (!telegram && (!c->webhook || !su_is_web_url(c->webhook))) {
		h->log(inst, PW_LOG_ERROR, "service %s needs \"webhook\": the http(s) URL the service gave the bot",
		       c->svc->name);
		goto config_error;
	}
	if (c->secret && *c->secret && strcmp(c->svc->name, "feishu") && strcmp(c->svc->name, "lark") &&
	    strcmp(c->svc->name, "dingtalk")) {
		h->log(inst, PW_LOG_ERROR, "\"secret\" signs feishu, lark and dingtalk messages; %s has none",
		       c->svc->name);
		goto config_error;
	}
	if (telegram)
		snprintf(c->url, sizeof c->url, "%s/bot%s/sendMessage", c->api ? c->api : c->svc->default_api,
		         c->token);
	else if (strcmp(c->svc->name, "discord") == 0)
		snprintf(c->url, sizeof c->url, "%s%cwait=true", c->webhook, strchr(c->webhook, '?') ? '&' : '?');
	else
		snprintf(c->url, sizeof c->url, "%s", c->webhook);
	*state = c;
	return PW_OK;
config_error:
	/* A create() that fails frees what it made: destroy() is not called. */
	cJSON_Delete(c->template);
	free(c);
	return PW_CONFIG_ERROR;
}

struct paper_text {
	char *title, *authors, *score, *abstract, *fields;
	const char *url, *id;
};

static void
paper_text_free(struct paper_text *t)
{
	free(t->title);
	free(t->authors);
	free(t->score);
	free(t->abstract);
	free(t->fields);
}

static int
paper_text(const pw_host *h, pw_instance *inst, const pw_record *rec, size_t abstract_chars, struct paper_text *t)
{
	mbuf authors = { 0 }, score = { 0 };
	size_t na = h->record_count(inst, rec, PW_F_AUTHORS);
	for (size_t i = 0; i < na && i < 5; i++)
		mbuf_printf(&authors, "%s%s", i ? ", " : "", h->record_get_at(inst, rec, PW_F_AUTHORS, i));
	if (na > 5)
		mbuf_puts(&authors, " et al.");
	su_scores_text(h, inst, rec, &score);
	/* What enrichers added (a summary, a translation, a label with its
	 * reason, related papers), each under its display name, as one line. */
	mbuf fields = { 0 };
	fv_text_at(h, inst, rec, PW_ATTACH_TITLE, 0, &fields, "");
	fv_text_at(h, inst, rec, PW_ATTACH_PAPER, 1, &fields, "");
	fv_text_at(h, inst, rec, PW_ATTACH_PAPER, 0, &fields, "");
	fv_text_at(h, inst, rec, PW_ATTACH_ABSTRACT, 0, &fields, "");
	char *f = mbuf_take(&fields);
	mbuf joined = { 0 };
	for (char *line = f ? strtok(f, "\n") : NULL; line; line = strtok(NULL, "\n"))
		if (line[strspn(line, " ")]) /* "Name:" heads the lines after it */
			mbuf_printf(&joined, "%s%s",
			            !joined.len                       ? ""
			            : joined.s[joined.len - 1] == ':' ? " "
			                                              : " · ",
			            line + strspn(line, " "));
	char *j = mbuf_take(&joined);
	t->fields = one_line(j, FIELDS_CHARS);
	free(j);
	free(f);
	char *a = mbuf_take(&authors), *s = mbuf_take(&score);
	const char *url = h->record_get(inst, rec, PW_F_URL);
	t->url = url && su_is_web_url(url) ? url : NULL;
	t->id = h->record_get(inst, rec, PW_F_ID);
	t->title = one_line(h->record_get(inst, rec, PW_F_TITLE), TITLE_CHARS);
	t->authors = one_line(a, LINE_CHARS);
	t->score = one_line(s, LINE_CHARS);
	t->abstract = one_line(h->record_get(inst, rec, PW_F_ABSTRACT), abstract_chars);
	free(a);
	free(s);
	return t->title && t->authors && t->score && t->abstract && t->fields ? 0 : -1;
}

/* A paper's block within the service's limit: a long abstract is halved
 * until it fits (then dropped), never cut after escaping. */
static int
paper_block(const struct chat *c, const struct paper_text *t, size_t room, chat_block *out)
{
	size_t keep = strlen(t->abstract);
	for (;;) {
		char *abstract = one_line(t->abstract, keep);
		chat_paper p = { t->title, t->url, t->authors, t->score, abstract ? abstract : "", t->id, t->fields };
		int rc = c->svc->paper(&p, out);
		free(abstract);
		if (rc < 0 || out->cost <= room || keep == 0)
			return rc;
		cJSON_Delete(out->item);
		out->item = NULL;
		keep = keep > 40 ? keep / 2 : 0;
	}
}

/* ---- sending one message ---- */

static double
now_seconds(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + now.tv_nsec / 1e9;
}

static void
wait_until(double t)
{
	double d = t - now_seconds();
	if (d <= 0)
		return;
	struct timespec ts = { (time_t)d, (long)((d - floor(d)) * 1e9) };
	nanosleep(&ts, NULL);
}

/* Feishu and DingTalk sign with HMAC-SHA256 keyed differently: Feishu
 * keys with "timestamp\nsecret" over nothing, DingTalk keys with the
 * secret over "timestamp\nsecret".  The base64 of the digest. */
static char *
signature(const char *secret, const char *timestamp, int feishu)
{
	char joined[1024];
	uint8_t mac[32];
	snprintf(joined, sizeof joined, "%s\n%s", timestamp, secret);
	if (feishu)
		hmac_sha256(joined, strlen(joined), "", 0, mac);
	else
		hmac_sha256(secret, strlen(secret), joined, strlen(joined), mac);
	mbuf out = { 0 };
	b64_encode(&out, mac, sizeof mac);
	return mbuf_take(&out);
}

/* The URL and body of a message, signed where the service signs. */
static int
finish_request(const struct chat *c, cJSON *body, char *url, size_t url_size, char **text)
{
	char timestamp[32];
	time_t now = time(NULL);
	int feishu = strcmp(c->svc->name, "feishu") == 0 || strcmp(c->svc->name, "lark") == 0;
	snprintf(url, url_size, "%s", c->url);
	if (c->svc->default_api)
		cJSON_AddStringToObject(body, "chat_id", c->chat_id);
	if (c->secret && *c->secret && feishu) {
		snprintf(timestamp, sizeof timestamp, "%lld", (long long)now);
		char *sign = signature(c->secret, timestamp, 1);
		cJSON_AddStringToObject(body, "timestamp", timestamp);
		cJSON_AddStringToObject(body, "sign", sign ? sign : "");
		free(sign);
	} else if (c->secret && *c->secret) {
		snprintf(timestamp, sizeof timestamp, "%lld000", (long long)now); /* DingTalk: milliseconds */
		char *sign = signature(c->secret, timestamp, 0);
		size_t o = strlen(url);
		snprintf(url + o, url_size - o, "%ctimestamp=%s&sign=", strchr(url, '?') ? '&' : '?', timestamp);
		ue_append(url, url_size, sign ? sign : "", "", 0);
		free(sign);
	}
	*text = cJSON_PrintUnformatted(body);
	return *text ? 0 : -1;
}

/* One message, under the ledger: 0 delivered, -1 not (said why). */
static int
send_message(const pw_host *h, pw_instance *inst, struct chat *c, cJSON *body, size_t k, size_t n)
{
	char url[4096], why[512], note[64];
	char *text = NULL;
	int rc = -1;
	snprintf(note, sizeof note, "message %zu of %zu", k + 1, n);
	if (finish_request(c, body, url, sizeof url, &text) < 0 || h->effect_begin(inst, note) != PW_OK) {
		free(text);
		return -1;
	}
	for (int attempt = 0; attempt <= MAX_RETRIES && rc < 0; attempt++) {
		wait_until(c->last_sent + c->interval);
		pw_response *resp = NULL;
		pw_status st = h->http_request(inst, "POST", url, json_headers, text, strlen(text), 0, &resp);
		c->last_sent = now_seconds();
		if (st != PW_OK) {
			h->log(inst, PW_LOG_ERROR, "message %zu of %zu: no answer from %s (the log above says why)",
			       k + 1, n, c->svc->name);
			break;
		}
		size_t len = 0;
		const char *answer = h->response_body(inst, resp, &len);
		double retry_after = -1;
		if (c->svc->delivered(h->response_code(inst, resp), answer ? answer : "", answer ? len : 0, why,
		                      sizeof why, &retry_after)) {
			rc = 0;
		} else if (retry_after >= 0 && retry_after <= MAX_RETRY_AFTER && attempt < MAX_RETRIES) {
			h->log(inst, PW_LOG_WARNING, "message %zu of %zu: %s asks to wait %.1f s: %s", k + 1, n,
			       c->svc->name, retry_after, why);
			c->last_sent = now_seconds() + retry_after - c->interval;
		} else {
			h->log(inst, PW_LOG_ERROR, "message %zu of %zu: %s did not take it: %s", k + 1, n, c->svc->name,
			       why);
			h->response_free(inst, resp);
			break;
		}
		h->response_free(inst, resp);
	}
	free(text);
	return rc;
}

/* ---- Telegram's buttons: a rating a press ---- */

/* "pw +1 2401.01234": what a button sends back (at most 64 bytes). */
#define CALLBACK_PREFIX "pw "
#define CALLBACK_MAX    64

static void
add_buttons(const pw_host *h, pw_instance *inst, cJSON *body, const char *id)
{
	char like[128], dislike[128];
	snprintf(like, sizeof like, CALLBACK_PREFIX "+1 %s", id ? id : "");
	snprintf(dislike, sizeof dislike, CALLBACK_PREFIX "-1 %s", id ? id : "");
	if (!id || strlen(dislike) > CALLBACK_MAX) {
		h->log(inst, PW_LOG_WARNING, "%s: an id too long for Telegram's 64-byte buttons: sent without them",
		       id ? id : "a paper without an id");
		return;
	}
	cJSON *row = cJSON_CreateArray(), *b;
	cJSON_AddItemToArray(row, b = cJSON_CreateObject());
	cJSON_AddStringToObject(b, "text", "👍");
	cJSON_AddStringToObject(b, "callback_data", like);
	cJSON_AddItemToArray(row, b = cJSON_CreateObject());
	cJSON_AddStringToObject(b, "text", "👎");
	cJSON_AddStringToObject(b, "callback_data", dislike);
	cJSON *keyboard = cJSON_AddArrayToObject(cJSON_AddObjectToObject(body, "reply_markup"), "inline_keyboard");
	cJSON_AddItemToArray(keyboard, row);
}

/* POSTs a Bot API method; the answer's JSON when it says ok, else NULL. */
static cJSON *
bot_call(const pw_host *h, pw_instance *inst, const struct chat *c, const char *method, cJSON *args)
{
	char url[2048];
	snprintf(url, sizeof url, "%s/bot%s/%s", c->api ? c->api : c->svc->default_api, c->token, method);
	char *text = cJSON_PrintUnformatted(args);
	pw_response *resp = NULL;
	cJSON *answer = NULL;
	if (text && h->http_request(inst, "POST", url, json_headers, text, strlen(text), 0, &resp) == PW_OK) {
		size_t len = 0;
		const char *body = h->response_body(inst, resp, &len);
		answer = body ? cJSON_ParseWithLength(body, len) : NULL;
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "ok"))) {
			h->log(inst, PW_LOG_WARNING, "telegram %s: HTTP %ld, %.200s", method,
			       h->response_code(inst, resp), body ? body : "");
			cJSON_Delete(answer);
			answer = NULL;
		}
	}
	h->response_free(inst, resp);
	free(text);
	return answer;
}

/* One press: a rating of the digest, and an answer so the reader's button
 * stops spinning.  1 when it was ours and recorded. */
static int
take_press(const pw_host *h, pw_instance *inst, const struct chat *c, const cJSON *query, size_t *likes)
{
	const char *data = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(query, "data"));
	const char *qid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(query, "id"));
	int rating = 0, ours = data && strncmp(data, CALLBACK_PREFIX, 3) == 0;
	if (ours && (strncmp(data + 3, "+1 ", 3) == 0 || strncmp(data + 3, "-1 ", 3) == 0))
		rating = data[3] == '+' ? 1 : -1;
	int recorded = rating && h->rating_put(inst, data + 6, rating) == PW_OK;
	if (qid) {
		cJSON *args = cJSON_CreateObject();
		cJSON_AddStringToObject(args, "callback_query_id", qid);
		cJSON_AddStringToObject(args, "text",
		                        !recorded    ? "Not recorded"
		                        : rating > 0 ? "Noted: more like this"
		                                     : "Noted: less like this");
		cJSON_Delete(bot_call(h, inst, c, "answerCallbackQuery", args));
		cJSON_Delete(args);
	}
	*likes += recorded && rating > 0;
	return recorded;
}

/* Before the digest weighs: the presses since the last run become ratings
 * (getUpdates from the offset kept in the store; updates Telegram keeps
 * for a day). */
static pw_status
chat_prepare(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *papers)
{
	struct chat *c = state;
	(void)papers;
	if (!c->buttons || !PW_HOST_HAS(h, rating_put))
		return PW_OK;
	const char *kept = h->state_get(inst, "telegram_offset");
	long long offset = kept ? atoll(kept) : 0;
	cJSON *args = cJSON_CreateObject(), *allowed = cJSON_AddArrayToObject(args, "allowed_updates");
	cJSON_AddNumberToObject(args, "offset", (double)offset);
	cJSON_AddNumberToObject(args, "timeout", 0);
	cJSON_AddItemToArray(allowed, cJSON_CreateString("callback_query"));
	cJSON *answer = bot_call(h, inst, c, "getUpdates", args);
	cJSON_Delete(args);
	if (!answer)
		return PW_RETRY;
	size_t taken = 0, likes = 0;
	const cJSON *u;
	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(answer, "result")) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(u, "update_id");
		if (cJSON_IsNumber(id) && (long long)id->valuedouble >= offset)
			offset = (long long)id->valuedouble + 1;
		const cJSON *query = cJSON_GetObjectItemCaseSensitive(u, "callback_query");
		if (query)
			taken += take_press(h, inst, c, query, &likes);
	}
	cJSON_Delete(answer);
	char next[32];
	snprintf(next, sizeof next, "%lld", offset);
	if (h->state_set(inst, "telegram_offset", next) != PW_OK)
		return PW_ERROR;
	if (taken)
		h->log(inst, PW_LOG_INFO, "%zu rating%s from Telegram's buttons (%zu like%s, %zu dislike%s)", taken,
		       taken == 1 ? "" : "s", likes, likes == 1 ? "" : "s", taken - likes,
		       taken - likes == 1 ? "" : "s");
	return PW_OK;
}

/* ---- a webhook's own shape ---- */

/* s with each {{name}} of the generic body's values put in: the digest's
 * (digest, count, text) and the first paper's (mode paper's one paper). */
static char *
fill(const char *s, const cJSON *generic, const char *digest, size_t count)
{
	const cJSON *paper = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(generic, "papers"), 0);
	mbuf out = { 0 };
	while (*s) {
		const char *open = strstr(s, "{{"), *close = open ? strstr(open, "}}") : NULL;
		if (!close) {
			mbuf_puts(&out, s);
			break;
		}
		mbuf_put(&out, s, (size_t)(open - s));
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(close - open - 2), open + 2);
		const char *v = NULL;
		if (strcmp(name, "digest") == 0)
			v = digest ? digest : "";
		else if (strcmp(name, "text") == 0)
			v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(generic, "text"));
		else if (strcmp(name, "count") == 0)
			mbuf_printf(&out, "%zu", count);
		else
			v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(paper, name));
		if (v)
			mbuf_puts(&out, v);
		s = close + 2;
	}
	return mbuf_take(&out);
}

static void
fill_tree(cJSON *node, const cJSON *generic, const char *digest, size_t count)
{
	for (cJSON *child = node->child; child; child = child->next) {
		if (cJSON_IsString(child) && strcmp(child->valuestring, "{{papers}}") == 0) {
			cJSON *papers = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(generic, "papers"), 1);
			if (!papers)
				continue;
			/* The copy carries the generic body's key: it takes the
			 * template's (none inside an array). */
			free(papers->string);
			papers->string = child->string ? strdup(child->string) : NULL;
			cJSON_ReplaceItemViaPointer(node, child, papers);
			child = papers;
		} else if (cJSON_IsString(child)) {
			char *v = fill(child->valuestring, generic, digest, count);
			if (v)
				cJSON_SetValuestring(child, v);
			free(v);
		} else if (cJSON_IsObject(child) || cJSON_IsArray(child)) {
			fill_tree(child, generic, digest, count);
		}
	}
}

/* The template filled from the generic body, which it frees. */
static cJSON *
from_template(const cJSON *template, cJSON *generic, const char *digest, size_t count)
{
	cJSON *body = cJSON_Duplicate(template, 1);
	if (body)
		fill_tree(body, generic, digest, count);
	cJSON_Delete(generic);
	return body;
}

/* ---- the digest as messages ---- */

struct message {
	size_t first, count; /* papers [first, first + count) */
};

static pw_status
chat_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	struct chat *c = state;
	size_t n = h->delivery_count(inst, d), nmsg = 0, start = 0;
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	const char *recovery = h->delivery_info(inst, d, PW_D_RECOVERY);
	char header[320], fallback[256];
	pw_status st = PW_ERROR;
	if (n == 0 && !c->send_empty) {
		h->log(inst, PW_LOG_INFO, "nothing new: no message (send_empty is false)");
		return PW_OK;
	}
	chat_block *blocks = calloc(n + 1, sizeof *blocks);
	struct message *msgs = calloc(n + 1, sizeof *msgs);
	if (!blocks || !msgs)
		goto out;
	snprintf(fallback, sizeof fallback, "paperwire: %zu new paper%s for %s", n, n == 1 ? "" : "s",
	         digest ? digest : "your digest");
	chat_block head = { NULL, 0 };
	if (c->svc->header(fallback, &head) < 0)
		goto out;
	size_t room = c->limit - head.cost - 8; /* separators */
	size_t block_room = c->svc->block_limit && c->svc->block_limit < room ? c->svc->block_limit : room;
	cJSON_Delete(head.item);
	for (size_t i = 0; i < n; i++) {
		struct paper_text t = { 0 };
		int rc = paper_text(h, inst, h->delivery_record(inst, d, i), (size_t)c->abstract_chars, &t) < 0
		                 ? -1
		                 : paper_block(c, &t, block_room, &blocks[i]);
		paper_text_free(&t);
		if (rc < 0)
			goto out;
	}
	/* Packed in order, as many papers a message as the limits allow. */
	for (size_t i = 0; i < n;) {
		size_t cost = 0, count = 0;
		while (i + count < n && (count == 0 || (!c->per_paper && cost + blocks[i + count].cost + 8 <= room &&
		                                        (!c->svc->max_blocks || count + 2 <= c->svc->max_blocks)))) {
			cost += blocks[i + count].cost + 8;
			count++;
		}
		msgs[nmsg++] = (struct message){ i, count };
		i += count;
	}
	if (n == 0)
		msgs[nmsg++] = (struct message){ 0, 0 };
	unsigned long resume;
	if (recovery && sscanf(recovery, "message %lu of", &resume) == 1 && resume >= 1 && resume <= nmsg) {
		start = resume - 1;
		h->log(inst, PW_LOG_WARNING,
		       "resuming at message %zu of %zu: the run that stopped had %s; %s cannot tell a repeat, so it "
		       "may arrive twice",
		       start + 1, nmsg, start ? "sent the ones before it" : "begun sending it", c->svc->name);
	}
	for (size_t k = start; k < nmsg; k++) {
		chat_block *part = calloc(msgs[k].count + 2, sizeof *part);
		size_t np = 0;
		if (nmsg > 1)
			snprintf(header, sizeof header, "%s (%zu/%zu)", fallback, k + 1, nmsg);
		else
			snprintf(header, sizeof header, "%s", fallback);
		if (!part || c->svc->header(header, &part[np++]) < 0) {
			free(part);
			goto out;
		}
		for (size_t j = 0; j < msgs[k].count; j++) {
			part[np++] = blocks[msgs[k].first + j];
			blocks[msgs[k].first + j].item = NULL; /* moved */
		}
		cJSON *body = c->svc->payload(header, part, np);
		if (body && c->template)
			body = from_template(c->template, body, digest, n);
		if (body && c->buttons && msgs[k].count == 1)
			add_buttons(h, inst, body,
			            h->record_get(inst, h->delivery_record(inst, d, msgs[k].first), PW_F_ID));
		for (size_t j = 0; j < np; j++)
			cJSON_Delete(part[j].item);
		free(part);
		int rc = body ? send_message(h, inst, c, body, k, nmsg) : -1;
		cJSON_Delete(body);
		if (rc < 0) {
			st = PW_RETRY;
			goto out;
		}
	}
	h->log(inst, PW_LOG_INFO, "sent %zu paper%s in %zu message%s to %s", n, n == 1 ? "" : "s", nmsg - start,
	       nmsg - start == 1 ? "" : "s", c->svc->name);
	st = PW_OK;
out:
	for (size_t i = 0; blocks && i < n; i++)
		cJSON_Delete(blocks[i].item);
	free(blocks);
	free(msgs);
	return st;
}

static void
chat_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	struct chat *c = state;
	if (c)
		cJSON_Delete(c->template);
	free(c);
}

static const pw_plugin chat_plugin = {
	PW_BUNDLED_PLUGIN("chat", PW_KIND_SINK, PW_NO_FLAGS, "0.1.0"),
	.description = "the digest in a chat: Slack, Discord, Telegram, Feishu/Lark, DingTalk, WeCom or any webhook",
	PW_OPTIONS(chat_options),
	PW_BUNDLED_CALLBACKS_PREPARED(chat, write),
};

PW_PLUGIN_DEFINE(chat_plugin)
