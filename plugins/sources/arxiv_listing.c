/* arxiv_listing.c: one item of the listing becomes one record.  The
 * version-bearing id and the announce type come from the description
 * ("arXiv:2411.17700v1 Announce Type: new Abstract: ..."), which every
 * listing format since 2024 carries; the element arxiv:announce_type wins
 * when present. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/canonical.h"
#include "../common/feed_date.h"
#include "../common/html_text.h"
#include "../common/plugin_util.h"
#include "../common/xml_items.h"
#include "arxiv_listing.h"

struct listing_ctx {
	const pw_host *h;
	pw_instance *inst;
	const char *const *announce;
	listing_result *res;
	int feed_error;
	listing_emit_fn emit;
	void *emit_ud;
	/* The last date read and its time: a listing's items share one date,
	 * and parsing it (sscanf, timegm) cost 5,000 instructions an item. */
	char last_date[64];
	int64_t last_time;
};

static const char *
skip_space(const char *p)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	return p;
}

/* Copies the next whitespace-delimited word of p into out. */
static const char *
word(const char *p, char *out, size_t size)
{
	size_t n = 0;
	p = skip_space(p);
	while (*p && !isspace((unsigned char)*p)) {
		if (n + 1 < size)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

/* "arXiv:2411.17700v1 Announce Type: new \nAbstract: text" */
static void
parse_description(const char *d, char *id, size_t id_size, char *type, size_t type_size, const char **abstract)
{
	id[0] = type[0] = '\0';
	*abstract = d;
	const char *p = skip_space(d);
	if (strncmp(p, "arXiv:", 6) != 0)
		return;
	p = word(p + 6, id, id_size);
	const char *at = strstr(p, "Announce Type:");
	if (at)
		p = word(at + 14, type, type_size);
	const char *ab = strstr(p, "Abstract:");
	*abstract = ab ? ab + 9 : p;
}

static void
trim_copy(char *out, size_t size, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* Commas and " and " separate authors only outside parentheses. */
void
listing_split_authors(const char *creators, void (*add)(void *ud, const char *name, const char *affil), void *ud)
{
	char name[512], affil[1024];
	const char *start = creators, *p = creators, *open = NULL, *close = NULL;
	int depth = 0;
	for (;; p++) {
		size_t sep = 0;
		if (*p == '(') {
			if (depth++ == 0 && !open)
				open = p;
		} else if (*p == ')' && depth > 0) {
			if (--depth == 0)
				close = p;
		} else if (depth == 0 && *p == ',') {
			sep = 1;
		} else if (depth == 0 && *p == ' ' && memcmp(p + 1, "and ", 4) == 0) {
			sep = 5;
		}
		if (*p && !sep)
			continue;
		const char *end = open ? open : p;
		trim_copy(name, sizeof name, start, (size_t)(end - start));
		affil[0] = '\0';
		if (open && close && close > open)
			trim_copy(affil, sizeof affil, open + 1, (size_t)(close - open - 1));
		/* "and" after a comma: "A, B, and C". */
		if (strncmp(name, "and ", 4) == 0)
			memmove(name, name + 4, strlen(name + 4) + 1);
		if (name[0])
			add(ud, name, affil[0] ? affil : NULL);
		if (!*p)
			break;
		p += sep - 1;
		start = p + 1;
		open = close = NULL;
	}
}

struct author_ctx {
	const pw_host *h;
	pw_instance *inst;
	pw_record *rec;
};

static void
add_author(void *ud, const char *name, const char *affil)
{
	struct author_ctx *a = ud;
	a->h->record_add(a->inst, a->rec, PW_F_AUTHORS, name);
	if (affil) {
		char buf[1600];
		snprintf(buf, sizeof buf, "%s (%s)", name, affil);
		a->h->record_add(a->inst, a->rec, PW_X_AFFILIATIONS, buf);
	}
}

int
listing_wants(const char *const *announce, const char *type)
{
	for (size_t i = 0; announce && announce[i]; i++)
		if (strcmp(announce[i], "all") == 0 || strcmp(announce[i], type) == 0)
			return 1;
	return 0;
}

/* The pre-2024 RDF listing: "Title. (arXiv:1805.08875v1 [hep-ex] UPDATED)". */
static void
legacy_title(char *title, char *id, size_t id_size, char *type, size_t type_size)
{
	char *m = strstr(title, "(arXiv:");
	if (!m)
		return;
	char *end = strrchr(m, ')');
	word(m + 7, id, id_size);
	snprintf(type, type_size, "%s",
	         end && strstr(m, "CROSS LISTED") ? "cross"
	         : end && strstr(m, "UPDATED")    ? "replace"
	                                          : "new");
	while (m > title && (m[-1] == ' ' || m[-1] == '.'))
		m--;
	*m = '\0';
}

static int64_t
item_time(struct listing_ctx *c, const char *date)
{
	size_t n = date ? strlen(date) : 0;
	if (!date || n >= sizeof c->last_date)
		return fdate_parse(date);
	if (c->last_date[0] && strcmp(date, c->last_date) == 0)
		return c->last_time;
	memcpy(c->last_date, date, n + 1);
	return c->last_time = fdate_parse(date);
}

/* A positive number in decimal (a version: a few digits). */
static void
decimal(char *out, size_t size, int v)
{
	char digits[16];
	size_t n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) > 0 && n < sizeof digits);
	size_t o = 0;
	while (n > 0 && o + 1 < size)
		out[o++] = digits[--n];
	out[o] = '\0';
}

static int
on_item(void *ud, const xi_item *it)
{
	struct listing_ctx *c = ud;
	const pw_host *h = c->h;
	char rawid[128] = "", id[128], version[16], type[64] = "", url[256];
	const char *abstract = NULL;
	const char *desc = xi_text(it, "description");
	const char *title = xi_text(it, "title");
	char *title_copy = strdup(title ? title : "");
	char *abstract_text = NULL;
	if (!title_copy)
		return -1;
	c->res->items++;
	if (desc)
		parse_description(desc, rawid, sizeof rawid, type, sizeof type, &abstract);
	if (!rawid[0]) {
		legacy_title(title_copy, rawid, sizeof rawid, type, sizeof type);
		abstract_text = desc ? html_to_text(desc) : NULL;
		abstract = abstract_text;
	}
	const char *typed = xi_text(it, "arxiv:announce_type");
	if (typed && *skip_space(typed))
		word(typed, type, sizeof type);
	if (!type[0])
		snprintf(type, sizeof type, "new");
	if (!rawid[0] || !listing_wants(c->announce, type)) {
		if (rawid[0])
			c->res->skipped++;
		free(title_copy);
		free(abstract_text);
		return 0;
	}
	int v = 0;
	if (cn_id(h, c->inst, rawid, id, sizeof id, &v) < 0)
		snprintf(id, sizeof id, "%s", rawid);
	version[0] = '\0';
	if (v > 0)
		decimal(version, sizeof version, v);
	pw_record *rec = h->record_new(c->inst);
	h->record_set(c->inst, rec, PW_F_ID, id);
	if (version[0])
		h->record_set(c->inst, rec, PW_F_VERSION, version);
	h->record_set(c->inst, rec, PW_F_TITLE, title_copy);
	if (abstract)
		h->record_set(c->inst, rec, PW_F_ABSTRACT, abstract);
	h->record_set(c->inst, rec, PW_F_ANNOUNCE, type);
	pu_append(url, sizeof url, 0, (const char *const[]){ "https://arxiv.org/abs/", id }, 2);
	h->record_set(c->inst, rec, PW_F_URL, url);
	pu_append(url, sizeof url, 0,
	          (const char *const[]){ "https://arxiv.org/pdf/", id, version[0] ? "v" : "", version }, 4);
	h->record_set(c->inst, rec, PW_F_PDF_URL, url);
	for (size_t i = 0; i < it->count; i++) {
		const xi_node *n = &it->nodes[i];
		if (strcmp(n->path, "category") == 0 && *skip_space(n->text)) {
			char cat[64];
			word(n->text, cat, sizeof cat);
			h->record_add(c->inst, rec, PW_F_CATEGORIES, cat);
		}
	}
	const char *pub = xi_text(it, "pubDate");
	int64_t t = item_time(c, pub ? pub : xi_text(it, "dc:date"));
	if (t >= 0)
		h->record_set_time(c->inst, rec, PW_T_PUBLISHED, t);
	const char *doi = xi_text(it, "arxiv:DOI");
	if (doi && *skip_space(doi))
		h->record_set(c->inst, rec, PW_F_DOI, doi);
	const char *jref = xi_text(it, "arxiv:journal_reference");
	if (jref && *skip_space(jref))
		h->record_set(c->inst, rec, PW_F_JOURNAL_REF, jref);
	const char *rights = xi_text(it, "dc:rights");
	if (rights && *skip_space(rights))
		h->record_set(c->inst, rec, PW_X_LICENSE, rights);
	const char *creators = xi_text(it, "dc:creator");
	if (creators) {
		struct author_ctx a = { h, c->inst, rec };
		char *plain = strchr(creators, '<') ? html_to_text(creators) : NULL;
		listing_split_authors(plain ? plain : creators, add_author, &a);
		free(plain);
	}
	free(title_copy);
	free(abstract_text);
	pw_status es = c->emit ? (c->emit(c->emit_ud, rec) < 0 ? PW_ERROR : PW_OK) : h->emit(c->inst, rec);
	if (es == PW_ERROR) {
		snprintf(c->res->error, sizeof c->res->error, "the host could not store a paper (%s)", id);
		return -1;
	}
	if (es == PW_REJECTED)
		return 0; /* the host has said why; the next item */
	c->res->emitted++;
	h->report_count(c->inst, type, 1);
	return 0;
}

static void
on_meta(void *ud, const xi_node *node)
{
	struct listing_ctx *c = ud;
	const char *path = node->path, *text = node->text;
	if (strcmp(path, "channel/title") == 0 && strstr(text, "Feed error"))
		c->feed_error = 1;
	else if (strcmp(path, "channel/description") == 0 && c->feed_error)
		snprintf(c->res->error, sizeof c->res->error, "arXiv: %s", skip_space(text));
	else if (strcmp(path, "channel/pubDate") == 0 || strcmp(path, "channel/dc:date") == 0) {
		word(text, c->res->weekday, sizeof c->res->weekday);
		c->res->date = fdate_parse(text);
	}
}

int
listing_read(const pw_host *h, pw_instance *inst, int fd, const char *body, size_t len, const char *const *announce,
             listing_result *res)
{
	return listing_read_to(h, inst, fd, body, len, announce, NULL, NULL, res);
}

int
listing_read_to(const pw_host *h, pw_instance *inst, int fd, const char *body, size_t len, const char *const *announce,
                listing_emit_fn emit, void *emit_ud, listing_result *res)
{
	static const char *const items[] = { "item", NULL };
	struct listing_ctx c = { h, inst, announce, res, 0, emit, emit_ud, "", 0 };
	xi_handler xh = { items, on_item, on_meta, &c };
	xi_result xr;
	memset(res, 0, sizeof *res);
	res->date = -1;
	int rc = fd >= 0 ? xi_parse_fd(fd, &xh, &xr) : xi_parse_mem(body, len, &xh, &xr);
	if (rc < 0) {
		if (!res->error[0])
			snprintf(res->error, sizeof res->error, "%s", xr.error);
		return -1;
	}
	if (strcmp(xr.root, "rss") != 0 && strcmp(xr.root, "RDF") != 0) {
		snprintf(res->error, sizeof res->error, "not an RSS listing: the root element is <%s>", xr.root);
		return -1;
	}
	if (c.feed_error) {
		if (!res->error[0])
			snprintf(res->error, sizeof res->error, "arXiv answered with a feed error");
		return -1;
	}
	/* "Thu," -> "Thu" */
	res->weekday[3] = '\0';
	return 0;
}
