/* field_view.c: see field_view.h. */
#include "field_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "canonical.h"
#include "sink_util.h"

const pw_field *
fv_declaration(const pw_host *h, pw_instance *inst, const char *name)
{
	return PW_HOST_HAS(h, field_declaration) ? h->field_declaration(inst, name) : NULL;
}

/* 1 when name is the detail (a label's reason) of another field of rec. */
static int
is_detail(const pw_host *h, pw_instance *inst, const pw_record *rec, const char *name)
{
	for (size_t i = 0; i < h->record_field_count(inst, rec); i++) {
		const pw_field *d = fv_declaration(h, inst, h->record_field_name(inst, rec, i));
		if (d && d->form == PW_FORM_LABEL && d->detail && strcmp(d->detail, name) == 0)
			return 1;
	}
	return 0;
}

size_t
fv_fields(const pw_host *h, pw_instance *inst, const pw_record *rec, uint32_t attach, int labels, fv_field *out,
          size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < h->record_field_count(inst, rec); i++) {
		const char *name = h->record_field_name(inst, rec, i);
		size_t values = h->record_count(inst, rec, name);
		if (su_is_core_field(name) || values == 0 || is_detail(h, inst, rec, name))
			continue;
		const pw_field *d = fv_declaration(h, inst, name);
		fv_field f = { name,
			       name,
			       PW_ATTACH_PAPER,
			       PW_FORM_TEXT,
			       NULL,
			       values,
			       h->record_field_is_list(inst, rec, i),
			       d != NULL };
		if (d) {
			f.display = d->display;
			f.attach = d->attach;
			f.form = d->form;
			f.reason = d->detail ? h->record_get(inst, rec, d->detail) : NULL;
		}
		if (f.attach != attach || (attach == PW_ATTACH_PAPER && labels != (f.form == PW_FORM_LABEL)))
			continue;
		if (n < max)
			out[n] = f;
		n++;
	}
	return n;
}

const char *
fv_label(const pw_host *h, pw_instance *inst, const pw_record *rec)
{
	for (size_t i = 0; i < h->record_field_count(inst, rec); i++) {
		const char *name = h->record_field_name(inst, rec, i);
		const pw_field *d = fv_declaration(h, inst, name);
		if (d && d->form == PW_FORM_LABEL)
			return h->record_get(inst, rec, name);
	}
	return NULL;
}

static const char *
member_text(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

int
fv_related_parse(const char *item, fv_related *out)
{
	memset(out, 0, sizeof *out);
	out->similarity = -1;
	cJSON *o = item ? cJSON_Parse(item) : NULL;
	if (!cJSON_IsObject(o) || !member_text(o, "id") || !member_text(o, "title")) {
		cJSON_Delete(o);
		return -1;
	}
	out->json = o;
	out->id = member_text(o, "id");
	out->title = member_text(o, "title");
	out->url = member_text(o, "url");
	out->date = member_text(o, "date");
	out->line = member_text(o, "line");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "similarity");
	if (cJSON_IsNumber(s))
		out->similarity = s->valuedouble;
	return 0;
}

void
fv_related_free(fv_related *r)
{
	cJSON_Delete(r->json);
	memset(r, 0, sizeof *r);
}

const char *
fv_related_link(const pw_host *h, pw_instance *inst, const fv_related *r, char *buf, size_t size)
{
	char canon[128];
	if (su_is_web_url(r->url))
		return su_href(r->url, buf, size);
	if (cn_id(h, inst, r->id, canon, sizeof canon, NULL) == 1) {
		snprintf(buf, size, "https://arxiv.org/abs/%s", canon);
		return buf;
	}
	return NULL;
}

void
fv_related_facts(const fv_related *r, char *out, size_t size)
{
	out[0] = '\0';
	if (r->date)
		snprintf(out, size, "%s", r->date);
	if (r->similarity >= 0)
		snprintf(out + strlen(out), size - strlen(out), "%ssimilarity %.2f", r->date ? ", " : "",
		         r->similarity);
}

/* ---- HTML ---- */

/* **bold** kept, everything else escaped. */
static void
inline_html(mbuf *out, const char *s, size_t len, fv_escape_fn esc)
{
	char *text = strndup(s, len);
	if (!text)
		return;
	char *p = text;
	for (;;) {
		char *open = strstr(p, "**"), *close = open ? strstr(open + 2, "**") : NULL;
		if (!close || close == open + 2)
			break;
		*open = *close = '\0';
		esc(out, p);
		mbuf_puts(out, "<b>");
		esc(out, open + 2);
		mbuf_puts(out, "</b>");
		p = close + 2;
	}
	esc(out, p);
	free(text);
}

/* A model's Markdown, line by line: a heading becomes bold, a list item a
 * bullet, **bold** stays bold; the rest is text. */
static void
markdown_html(mbuf *out, const char *md, fv_escape_fn esc)
{
	for (const char *line = md; line && *line;) {
		size_t len = strcspn(line, "\n");
		const char *s = line;
		size_t n = len;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		size_t hashes = strspn(s, "#");
		if (hashes >= 1 && hashes <= 6 && hashes < n && s[hashes] == ' ') {
			mbuf_puts(out, "<b>");
			inline_html(out, s + hashes + 1, n - hashes - 1, esc);
			mbuf_puts(out, "</b>");
		} else if (n >= 2 && strchr("-*+", s[0]) && s[1] == ' ') {
			mbuf_puts(out, "&#8226; ");
			inline_html(out, s + 2, n - 2, esc);
		} else {
			inline_html(out, s, n, esc);
		}
		line += len;
		if (*line == '\n') {
			line++;
			if (*line)
				esc(out, "\n");
		}
	}
}

static void
related_html(const pw_host *h, pw_instance *inst, const char *item, mbuf *out, fv_escape_fn esc)
{
	fv_related r;
	char link_buf[1024], facts[96];
	mbuf_puts(out, "<li>");
	if (fv_related_parse(item, &r) < 0) {
		esc(out, item);
		mbuf_puts(out, "</li>\n");
		return;
	}
	const char *link = fv_related_link(h, inst, &r, link_buf, sizeof link_buf);
	if (link) {
		mbuf_puts(out, "<a href=\"");
		esc(out, link);
		mbuf_puts(out, "\">");
	}
	esc(out, r.title);
	if (link)
		mbuf_puts(out, "</a>");
	fv_related_facts(&r, facts, sizeof facts);
	if (facts[0]) {
		mbuf_puts(out, " (");
		esc(out, facts);
		mbuf_puts(out, ")");
	}
	if (r.line) {
		mbuf_puts(out, "<br>");
		esc(out, r.line);
	}
	mbuf_puts(out, "</li>\n");
	fv_related_free(&r);
}

void
fv_put_html(const pw_host *h, pw_instance *inst, const pw_record *rec, const fv_field *f, mbuf *out, fv_escape_fn esc)
{
	mbuf_puts(out, "<p><b>");
	esc(out, f->display);
	if (f->form == PW_FORM_RELATED) {
		mbuf_puts(out, "</b></p>\n<ul>\n");
		for (size_t i = 0; i < f->values; i++)
			related_html(h, inst, h->record_get_at(inst, rec, f->name, i), out, esc);
		mbuf_puts(out, "</ul>\n");
		return;
	}
	if (f->form == PW_FORM_MARKDOWN) {
		mbuf_puts(out, "</b><br>");
		markdown_html(out, h->record_get_at(inst, rec, f->name, 0), esc);
		mbuf_puts(out, "</p>\n");
		return;
	}
	mbuf_puts(out, ":</b> ");
	for (size_t i = 0; i < f->values; i++) {
		if (i)
			mbuf_puts(out, "; ");
		esc(out, h->record_get_at(inst, rec, f->name, i));
	}
	if (f->form == PW_FORM_LABEL && f->reason) {
		mbuf_puts(out, " &#8212; ");
		esc(out, f->reason);
	}
	mbuf_puts(out, "</p>\n");
}

/* ---- plain text ---- */

static void
indented_lines(mbuf *out, const char *text, const char *indent)
{
	for (const char *line = text; line && *line;) {
		size_t len = strcspn(line, "\n");
		mbuf_printf(out, "%s%.*s\n", indent, (int)len, line);
		line += len + (line[len] == '\n');
	}
}

void
fv_put_text(const pw_host *h, pw_instance *inst, const pw_record *rec, const fv_field *f, mbuf *out, const char *indent)
{
	if (f->form == PW_FORM_MARKDOWN || f->form == PW_FORM_RELATED) {
		mbuf_printf(out, "%s%s:\n", indent, f->display);
		if (f->form == PW_FORM_MARKDOWN) {
			indented_lines(out, h->record_get_at(inst, rec, f->name, 0), indent);
			return;
		}
		for (size_t i = 0; i < f->values; i++) {
			const char *item = h->record_get_at(inst, rec, f->name, i);
			fv_related r;
			char link_buf[1024], facts[96];
			if (fv_related_parse(item, &r) < 0) {
				mbuf_printf(out, "%s- %s\n", indent, item);
				continue;
			}
			const char *link = fv_related_link(h, inst, &r, link_buf, sizeof link_buf);
			fv_related_facts(&r, facts, sizeof facts);
			mbuf_printf(out, "%s- %s%s%s%s%s%s\n", indent, r.title, facts[0] ? " (" : "", facts,
			            facts[0] ? ")" : "", link ? " " : "", link ? link : "");
			if (r.line)
				mbuf_printf(out, "%s  %s\n", indent, r.line);
			fv_related_free(&r);
		}
		return;
	}
	mbuf_printf(out, "%s%s: ", indent, f->display);
	for (size_t i = 0; i < f->values; i++)
		mbuf_printf(out, "%s%s", i ? "; " : "", h->record_get_at(inst, rec, f->name, i));
	if (f->form == PW_FORM_LABEL && f->reason)
		mbuf_printf(out, " \xe2\x80\x94 %s", f->reason);
	mbuf_puts(out, "\n");
}

/* ---- every field of a place ---- */

void
fv_html_at(const pw_host *h, pw_instance *inst, const pw_record *rec, uint32_t attach, int labels, mbuf *out,
           fv_escape_fn esc)
{
	fv_field v[64];
	size_t n = fv_fields(h, inst, rec, attach, labels, v, sizeof v / sizeof v[0]);
	for (size_t i = 0; i < n && i < sizeof v / sizeof v[0]; i++)
		fv_put_html(h, inst, rec, &v[i], out, esc);
}

void
fv_text_at(const pw_host *h, pw_instance *inst, const pw_record *rec, uint32_t attach, int labels, mbuf *out,
           const char *indent)
{
	fv_field v[64];
	size_t n = fv_fields(h, inst, rec, attach, labels, v, sizeof v / sizeof v[0]);
	for (size_t i = 0; i < n && i < sizeof v / sizeof v[0]; i++)
		fv_put_text(h, inst, rec, &v[i], out, indent);
}
