/* chat_services.c: see chat_services.h.  Each dialect escapes what its
 * service would read as markup: Slack's & < >, Telegram's HTML, Discord's
 * Markdown (and no mention pings: the payload sets allowed_mentions
 * empty), the Markdown subset of DingTalk and WeCom, which also render
 * some HTML tags.  Feishu's rich text takes plain strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/mbuf.h"
#include "../common/utf8.h"
#include "chat_services.h"

size_t
chat_cost(const char *s, int bytes)
{
	if (bytes)
		return strlen(s);
	/* Characters as the services count them, in UTF-16 units (a
	 * JavaScript string's length, Telegram's count): one beyond U+FFFF,
	 * an emoji, counts two. */
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80 ? 1 + ((unsigned char)*s >= 0xF0) : 0;
	return n;
}

/* Appends s with each character in `special` replaced by its entry in
 * `with` (a table of strings, one per special character). */
static void
escape_into(mbuf *out, const char *s, const char *special, const char *const *with)
{
	for (; s && *s; s++) {
		const char *hit = strchr(special, *s);
		if (hit)
			mbuf_puts(out, with[hit - special]);
		else
			mbuf_put(out, s, 1);
	}
}

static int
block_text(mbuf *m, int bytes, chat_block *out)
{
	char *text = mbuf_take(m);
	out->item = text ? cJSON_CreateString(text) : NULL;
	out->cost = text ? chat_cost(text, bytes) : 0;
	free(text);
	return out->item ? 0 : -1;
}

/* ---- Slack: mrkdwn sections; & < > escaped, links as <url|text> ---- */

static const char *const slack_with[] = { "&amp;", "&lt;", "&gt;" };

static int
slack_section(mbuf *m, chat_block *out)
{
	char *text = mbuf_take(m);
	cJSON *section = cJSON_CreateObject(), *t = cJSON_AddObjectToObject(section, "text");
	cJSON_AddStringToObject(section, "type", "section");
	cJSON_AddStringToObject(t, "type", "mrkdwn");
	cJSON_AddStringToObject(t, "text", text ? text : "");
	out->cost = text ? chat_cost(text, 0) : 0;
	free(text);
	out->item = section;
	return text && section ? 0 : -1;
}

static int
slack_header(const char *text, chat_block *out)
{
	mbuf m = { 0 };
	mbuf_puts(&m, "*");
	escape_into(&m, text, "&<>", slack_with);
	mbuf_puts(&m, "*");
	return slack_section(&m, out);
}

static int
slack_paper(const chat_paper *p, chat_block *out)
{
	mbuf m = { 0 };
	if (p->url) {
		/* In <url|text> the URL may hold neither '|' nor '>'. */
		static const char *const url_with[] = { "&amp;", "%3C", "%3E", "%7C" };
		mbuf_puts(&m, "*<");
		escape_into(&m, p->url, "&<>|", url_with);
		mbuf_puts(&m, "|");
		escape_into(&m, p->title, "&<>", slack_with);
		mbuf_puts(&m, ">*");
	} else {
		mbuf_puts(&m, "*");
		escape_into(&m, p->title, "&<>", slack_with);
		mbuf_puts(&m, "*");
	}
	mbuf_puts(&m, "\n");
	escape_into(&m, p->authors, "&<>", slack_with);
	mbuf_puts(&m, "\n_");
	escape_into(&m, p->score, "&<>", slack_with);
	mbuf_puts(&m, "_");
	if (p->fields && *p->fields) {
		mbuf_puts(&m, "\n");
		escape_into(&m, p->fields, "&<>", slack_with);
	}
	if (p->abstract && *p->abstract) {
		mbuf_puts(&m, "\n");
		escape_into(&m, p->abstract, "&<>", slack_with);
	}
	return slack_section(&m, out);
}

static cJSON *
slack_payload(const char *fallback, chat_block *blocks, size_t n)
{
	cJSON *body = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(body, "blocks");
	cJSON_AddStringToObject(body, "text", fallback);
	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, blocks[i].item);
		blocks[i].item = NULL;
	}
	return body;
}

static int
slack_delivered(long code, const char *body, size_t len, char *why, size_t size, double *retry_after)
{
	(void)retry_after;
	if (code == 200 && len == 2 && memcmp(body, "ok", 2) == 0)
		return 1;
	snprintf(why, size, "HTTP %ld, %.200s", code, len ? body : "(no body)");
	return 0;
}

/* ---- Discord: an embed a paper; Markdown escaped ---- */

static void
discord_escape(mbuf *m, const char *s)
{
	static const char *const with[] = {
		"\\\\", "\\*", "\\_", "\\~", "\\`", "\\|", "\\>", "\\[", "\\]", "\\#", "\\@"
	};
	escape_into(m, s, "\\*_~`|>[]#@", with);
}

/* The first n characters of s, malloc'd. */
static char *
prefix_chars(const char *s, size_t n)
{
	size_t i = 0, chars = 0;
	while (s[i] && !(((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == n))
		i++;
	return strndup(s, i);
}

static int
discord_header(const char *text, chat_block *out)
{
	mbuf m = { 0 };
	discord_escape(&m, text);
	return block_text(&m, 0, out);
}

static int
discord_paper(const chat_paper *p, chat_block *out)
{
	mbuf title = { 0 }, desc = { 0 };
	discord_escape(&title, p->title);
	/* Escapes can make a title longer than the 256 characters an embed's
	 * may have: then fewer characters of it are escaped, never half an
	 * escape kept. */
	for (size_t keep = 200; title.s && chat_cost(title.s, 0) > 256 && keep > 0; keep -= 20) {
		char *cut = prefix_chars(p->title, keep);
		mbuf_free(&title);
		discord_escape(&title, cut);
		mbuf_puts(&title, "…");
		free(cut);
	}
	discord_escape(&desc, p->authors);
	if (p->fields && *p->fields) {
		mbuf_puts(&desc, "\n\n");
		discord_escape(&desc, p->fields);
	}
	if (p->abstract && *p->abstract) {
		mbuf_puts(&desc, "\n\n");
		discord_escape(&desc, p->abstract);
	}
	char *t = mbuf_take(&title), *d = mbuf_take(&desc);
	cJSON *embed = cJSON_CreateObject();
	cJSON_AddStringToObject(embed, "title", t ? t : "");
	if (p->url)
		cJSON_AddStringToObject(embed, "url", p->url);
	cJSON_AddStringToObject(embed, "description", d ? d : "");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(embed, "footer"), "text", p->score);
	/* Discord counts title, description and footer towards 6,000. */
	out->cost = (t ? chat_cost(t, 0) : 0) + (d ? chat_cost(d, 0) : 0) + chat_cost(p->score, 0);
	out->item = embed;
	int rc = t && d && embed ? 0 : -1;
	free(t);
	free(d);
	return rc;
}

static cJSON *
discord_payload(const char *fallback, chat_block *blocks, size_t n)
{
	cJSON *body = cJSON_CreateObject(), *embeds = cJSON_AddArrayToObject(body, "embeds");
	(void)fallback;
	/* Nobody is pinged, whatever a title says (@everyone, <@id>). */
	cJSON_AddArrayToObject(cJSON_AddObjectToObject(body, "allowed_mentions"), "parse");
	for (size_t i = 0; i < n; i++) {
		if (cJSON_IsString(blocks[i].item))
			cJSON_AddItemToObject(body, "content", blocks[i].item);
		else
			cJSON_AddItemToArray(embeds, blocks[i].item);
		blocks[i].item = NULL;
	}
	return body;
}

/* A number of a JSON answer: j[key] or j.parameters[key]; -1 without. */
static double
number_in(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	if (!cJSON_IsNumber(v))
		v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "parameters"), key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static int
discord_delivered(long code, const char *body, size_t len, char *why, size_t size, double *retry_after)
{
	if (code == 200 || code == 204)
		return 1;
	if (code == 429) {
		cJSON *j = cJSON_ParseWithLength(body, len);
		*retry_after = number_in(j, "retry_after");
		cJSON_Delete(j);
	}
	snprintf(why, size, "HTTP %ld, %.200s", code, len ? body : "(no body)");
	return 0;
}

/* ---- Telegram: sendMessage with parse_mode HTML ---- */

static const char *const html_with[] = { "&amp;", "&lt;", "&gt;", "&quot;" };

static int
telegram_header(const char *text, chat_block *out)
{
	mbuf m = { 0 };
	mbuf_puts(&m, "<b>");
	escape_into(&m, text, "&<>\"", html_with);
	mbuf_puts(&m, "</b>");
	return block_text(&m, 0, out);
}

static int
telegram_paper(const chat_paper *p, chat_block *out)
{
	mbuf m = { 0 };
	mbuf_puts(&m, "<b>");
	if (p->url) {
		mbuf_puts(&m, "<a href=\"");
		escape_into(&m, p->url, "&<>\"", html_with);
		mbuf_puts(&m, "\">");
	}
	escape_into(&m, p->title, "&<>\"", html_with);
	mbuf_puts(&m, p->url ? "</a></b>\n" : "</b>\n");
	escape_into(&m, p->authors, "&<>\"", html_with);
	mbuf_puts(&m, "\n<i>");
	escape_into(&m, p->score, "&<>\"", html_with);
	mbuf_puts(&m, "</i>");
	if (p->fields && *p->fields) {
		mbuf_puts(&m, "\n");
		escape_into(&m, p->fields, "&<>\"", html_with);
	}
	if (p->abstract && *p->abstract) {
		mbuf_puts(&m, "\n");
		escape_into(&m, p->abstract, "&<>\"", html_with);
	}
	return block_text(&m, 0, out);
}

/* Blocks joined by blank lines into one text field. */
static char *
joined(chat_block *blocks, size_t n, const char *sep)
{
	mbuf m = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (i)
			mbuf_puts(&m, sep);
		mbuf_puts(&m, cJSON_GetStringValue(blocks[i].item));
	}
	return mbuf_take(&m);
}

static cJSON *
telegram_payload(const char *fallback, chat_block *blocks, size_t n)
{
	char *text = joined(blocks, n, "\n\n");
	cJSON *body = cJSON_CreateObject();
	(void)fallback;
	cJSON_AddStringToObject(body, "text", text ? text : "");
	cJSON_AddStringToObject(body, "parse_mode", "HTML");
	cJSON_AddTrueToObject(cJSON_AddObjectToObject(body, "link_preview_options"), "is_disabled");
	free(text);
	return body;
}

static int
telegram_delivered(long code, const char *body, size_t len, char *why, size_t size, double *retry_after)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	int ok = code == 200 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok"));
	const char *desc = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "description"));
	if (!ok)
		snprintf(why, size, "HTTP %ld, %.200s", code, desc ? desc : len ? body : "(no body)");
	if (code == 429)
		*retry_after = number_in(j, "retry_after");
	cJSON_Delete(j);
	return ok;
}

/* ---- Feishu / Lark: a post of rich text, plain strings ---- */

static int
feishu_line(cJSON *line, const char *tag, const char *text, const char *href)
{
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "tag", tag);
	cJSON_AddStringToObject(e, "text", text);
	if (href)
		cJSON_AddStringToObject(e, "href", href);
	return cJSON_AddItemToArray(line, e) ? 0 : -1;
}

static int
feishu_header(const char *text, chat_block *out)
{
	out->item = cJSON_CreateString(text);
	out->cost = strlen(text) + 2;
	return out->item ? 0 : -1;
}

/* A paper: its lines (paragraphs) of the post; cost in bytes of JSON. */
static int
feishu_paper(const chat_paper *p, chat_block *out)
{
	cJSON *lines = cJSON_CreateArray(), *l;
	cJSON_AddItemToArray(lines, l = cJSON_CreateArray());
	feishu_line(l, p->url ? "a" : "text", p->title, p->url);
	cJSON_AddItemToArray(lines, l = cJSON_CreateArray());
	feishu_line(l, "text", p->authors, NULL);
	cJSON_AddItemToArray(lines, l = cJSON_CreateArray());
	feishu_line(l, "text", p->score, NULL);
	if (p->fields && *p->fields) {
		cJSON_AddItemToArray(lines, l = cJSON_CreateArray());
		feishu_line(l, "text", p->fields, NULL);
	}
	if (p->abstract && *p->abstract) {
		cJSON_AddItemToArray(lines, l = cJSON_CreateArray());
		feishu_line(l, "text", p->abstract, NULL);
	}
	char *printed = cJSON_PrintUnformatted(lines);
	out->cost = printed ? strlen(printed) + 1 : 0;
	free(printed);
	out->item = lines;
	return printed ? 0 : -1;
}

static cJSON *
feishu_payload(const char *fallback, chat_block *blocks, size_t n)
{
	cJSON *body = cJSON_CreateObject(), *content = cJSON_CreateArray();
	cJSON *post = cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "content"), "post");
	cJSON *zh = cJSON_AddObjectToObject(post, "zh_cn");
	cJSON_AddStringToObject(body, "msg_type", "post");
	cJSON_AddStringToObject(zh, "title", fallback);
	for (size_t i = 0; i < n; i++) {
		cJSON *line;
		if (cJSON_IsString(blocks[i].item)) {
			cJSON_Delete(blocks[i].item);
		} else {
			while ((line = cJSON_DetachItemFromArray(blocks[i].item, 0)) != NULL)
				cJSON_AddItemToArray(content, line);
			cJSON_AddItemToArray(content, cJSON_CreateArray()); /* a blank line between papers */
			cJSON_Delete(blocks[i].item);
		}
		blocks[i].item = NULL;
	}
	cJSON_AddItemToObject(zh, "content", content);
	return body;
}

/* The answer's code field (Feishu "code" or "StatusCode", DingTalk and
 * WeCom "errcode"): 0 is delivered. */
static int
code_delivered(long code, const char *body, size_t len, char *why, size_t size, const char *const *keys)
{
	cJSON *j = cJSON_ParseWithLength(body, len);
	const cJSON *c = NULL;
	for (size_t i = 0; keys[i] && !cJSON_IsNumber(c); i++)
		c = cJSON_GetObjectItemCaseSensitive(j, keys[i]);
	int ok = code == 200 && cJSON_IsNumber(c) && c->valuedouble == 0;
	if (!ok) {
		const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "msg"));
		if (!msg)
			msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "errmsg"));
		snprintf(why, size, "HTTP %ld, code %ld: %.200s", code, cJSON_IsNumber(c) ? (long)c->valuedouble : -1L,
		         msg   ? msg
		         : len ? body
		               : "(no body)");
	}
	cJSON_Delete(j);
	return ok;
}

static int
feishu_delivered(long code, const char *body, size_t len, char *why, size_t size, double *retry_after)
{
	static const char *const keys[] = { "code", "StatusCode", NULL };
	(void)retry_after;
	return code_delivered(code, body, len, why, size, keys);
}

/* ---- DingTalk and WeCom: Markdown ---- */

/* Their Markdown renders some HTML (<font>) and links: brackets and angle
 * brackets become their full-width forms, emphasis marks are escaped. */
static void
md_escape(mbuf *m, const char *s)
{
	static const char *const with[] = { "＜", "＞", "［", "］", "\\*", "\\_", "\\`", "\\#" };
	escape_into(m, s, "<>[]*_`#", with);
}

static void
md_paper(const chat_paper *p, mbuf *m)
{
	mbuf_puts(m, "**");
	if (p->url) {
		mbuf_puts(m, "[");
		md_escape(m, p->title);
		mbuf_puts(m, "](");
		static const char *const url_with[] = { "%28", "%29", "%20" };
		escape_into(m, p->url, "() ", url_with);
		mbuf_puts(m, ")");
	} else {
		md_escape(m, p->title);
	}
	mbuf_puts(m, "**\n\n");
	md_escape(m, p->authors);
	mbuf_puts(m, "\n\n");
	md_escape(m, p->score);
	if (p->fields && *p->fields) {
		mbuf_puts(m, "\n\n");
		md_escape(m, p->fields);
	}
	if (p->abstract && *p->abstract) {
		mbuf_puts(m, "\n\n");
		md_escape(m, p->abstract);
	}
}

static int
md_header_bytes(const char *text, chat_block *out)
{
	mbuf m = { 0 };
	mbuf_puts(&m, "### ");
	md_escape(&m, text);
	return block_text(&m, 1, out);
}

static int
md_paper_bytes(const chat_paper *p, chat_block *out)
{
	mbuf m = { 0 };
	md_paper(p, &m);
	return block_text(&m, 1, out);
}

static cJSON *
dingtalk_payload(const char *fallback, chat_block *blocks, size_t n)
{
	char *text = joined(blocks, n, "\n\n---\n\n");
	cJSON *body = cJSON_CreateObject(), *md = cJSON_AddObjectToObject(body, "markdown");
	cJSON_AddStringToObject(body, "msgtype", "markdown");
	cJSON_AddStringToObject(md, "title", fallback);
	cJSON_AddStringToObject(md, "text", text ? text : "");
	free(text);
	return body;
}

static cJSON *
wecom_payload(const char *fallback, chat_block *blocks, size_t n)
{
	char *text = joined(blocks, n, "\n\n");
	cJSON *body = cJSON_CreateObject();
	(void)fallback;
	cJSON_AddStringToObject(body, "msgtype", "markdown");
	cJSON_AddStringToObject(cJSON_AddObjectToObject(body, "markdown"), "content", text ? text : "");
	free(text);
	return body;
}

static int
errcode_delivered(long code, const char *body, size_t len, char *why, size_t size, double *retry_after)
{
	static const char *const keys[] = { "errcode", NULL };
	(void)retry_after;
	return code_delivered(code, body, len, why, size, keys);
}

/* ---- any webhook: the papers as JSON ---- */

static int
webhook_header(const char *text, chat_block *out)
{
	out->item = cJSON_CreateString(text);
	out->cost = strlen(text) + 2;
	return out->item ? 0 : -1;
}

static int
webhook_paper(const chat_paper *p, chat_block *out)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", p->id ? p->id : "");
	cJSON_AddStringToObject(o, "title", p->title);
	if (p->url)
		cJSON_AddStringToObject(o, "url", p->url);
	cJSON_AddStringToObject(o, "authors", p->authors);
	cJSON_AddStringToObject(o, "score", p->score);
	cJSON_AddStringToObject(o, "fields", p->fields ? p->fields : "");
	cJSON_AddStringToObject(o, "abstract", p->abstract ? p->abstract : "");
	char *printed = cJSON_PrintUnformatted(o);
	out->cost = printed ? strlen(printed) + 1 : 0;
	free(printed);
	out->item = o;
	return printed ? 0 : -1;
}

static cJSON *
webhook_payload(const char *fallback, chat_block *blocks, size_t n)
{
	cJSON *body = cJSON_CreateObject(), *papers = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		if (cJSON_IsString(blocks[i].item))
			cJSON_AddItemToObject(body, "text", blocks[i].item);
		else
			cJSON_AddItemToArray(papers, blocks[i].item);
		blocks[i].item = NULL;
	}
	if (!cJSON_GetObjectItemCaseSensitive(body, "text"))
		cJSON_AddStringToObject(body, "text", fallback);
	cJSON_AddItemToObject(body, "papers", papers);
	return body;
}

static int
webhook_delivered(long code, const char *body, size_t len, char *why, size_t size, double *retry_after)
{
	(void)retry_after;
	if (code >= 200 && code < 300)
		return 1;
	snprintf(why, size, "HTTP %ld, %.200s", code, len ? body : "(no body)");
	return 0;
}

static const chat_service services[] = {
	{ "slack", NULL, 40000, 50, 3000, 1.0, 0, slack_header, slack_paper, slack_payload, slack_delivered },
	{ "discord", NULL, 6000, 11, 4096, 2.0, 0, discord_header, discord_paper, discord_payload, discord_delivered },
	{ "telegram", "https://api.telegram.org", 4096, 0, 0, 1.0, 0, telegram_header, telegram_paper, telegram_payload,
	  telegram_delivered },
	{ "feishu", NULL, 18000, 0, 0, 0.6, 1, feishu_header, feishu_paper, feishu_payload, feishu_delivered },
	{ "lark", NULL, 18000, 0, 0, 0.6, 1, feishu_header, feishu_paper, feishu_payload, feishu_delivered },
	{ "dingtalk", NULL, 18000, 0, 0, 3.0, 1, md_header_bytes, md_paper_bytes, dingtalk_payload, errcode_delivered },
	{ "wecom", NULL, 4000, 0, 0, 3.0, 1, md_header_bytes, md_paper_bytes, wecom_payload, errcode_delivered },
	{ "webhook", NULL, 1000000, 0, 0, 0, 1, webhook_header, webhook_paper, webhook_payload, webhook_delivered },
};

const chat_service *
chat_service_named(const char *name)
{
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		if (strcmp(services[i].name, name) == 0)
			return &services[i];
	return NULL;
}
