/* arxiv_oai.c: OAI-PMH ListRecords, page by page.  Each page is spooled
 * and read between emit_begin and emit_end, so a truncated page keeps
 * nothing; the resumptionToken is sent alone (with the verb), as the
 * protocol requires, and the list ends when the token is absent or empty.
 * Errors come as HTTP 200 with <error code="...">: noRecordsMatch is the
 * normal "nothing new", every other code is a failure.  A 503 with
 * Retry-After is waited out by the host's HTTP service. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/feed_date.h"
#include "../common/spooled.h"
#include "../common/url_encode.h"
#include "../common/xml_items.h"
#include "arxiv_listing.h"
#include "arxiv_oai.h"

#define OAI_MAX_PAGES 10000

struct page_ctx {
	const pw_host *h;
	pw_instance *inst;
	const oai_request *rq;
	oai_totals *t;
	char token[2048];
	char error_code[64];
	char error[512];
	int stop;           /* max_records reached */
	long complete_size; /* the resumptionToken's completeListSize, when given */
};

static const char *
skip_space(const char *p)
{
	while (p && *p && isspace((unsigned char)*p))
		p++;
	return p;
}

static int
has_text(const char *s)
{
	return s && *skip_space(s);
}

/* "cs" covers "cs.LG"; "hep-th" covers only itself. */
static int
followed(const char *const *categories, const char *cat)
{
	for (size_t i = 0; categories[i]; i++) {
		size_t n = strlen(categories[i]);
		if (strncmp(categories[i], cat, n) == 0 && (cat[n] == '\0' || cat[n] == '.'))
			return 1;
	}
	return 0;
}

static int
any_followed(const char *const *categories, const char *cats)
{
	char buf[2048], *save = NULL;
	snprintf(buf, sizeof buf, "%s", cats ? cats : "");
	for (char *c = strtok_r(buf, " \t\r\n", &save); c; c = strtok_r(NULL, " \t\r\n", &save))
		if (followed(categories, c))
			return 1;
	return 0;
}

/* OAI gives only dates and the latest version, so the announce type is
 * derived: created inside the window is new, updated inside it is a
 * replacement, neither means only the metadata changed (a DOI or journal
 * reference added).  A paper whose primary category is not followed is a
 * cross-list. */
static void
derive_type(const oai_request *rq, const char *created, const char *updated, const char *cats, char *out, size_t size)
{
	char primary[64] = "";
	sscanf(cats ? cats : "", "%63s", primary);
	int cross = rq->categories && primary[0] && !followed(rq->categories, primary);
	const char *from = rq->new_since ? rq->new_since : rq->from;
	const char *base;
	if (from)
		base = created && strcmp(skip_space(created), from) >= 0             ? "new"
		       : has_text(updated) && strcmp(skip_space(updated), from) >= 0 ? "replace"
		                                                                     : "metadata";
	else
		base = has_text(updated) ? "replace" : "new";
	snprintf(out, size, "%s%s", base, cross && strcmp(base, "metadata") != 0 ? "-cross" : "");
	if (cross && strcmp(base, "new") == 0)
		snprintf(out, size, "cross");
}

static void
count_day(oai_totals *t, const char *datestamp)
{
	char day[11];
	snprintf(day, sizeof day, "%s", skip_space(datestamp));
	for (size_t i = 0; i < t->ndays; i++)
		if (strcmp(t->days[i].day, day) == 0) {
			t->days[i].records++;
			return;
		}
	if (t->ndays < OAI_MAX_DAYS) {
		snprintf(t->days[t->ndays].day, sizeof t->days[0].day, "%s", day);
		t->days[t->ndays++].records = 1;
	}
}

static void
set_text(const pw_host *h, pw_instance *inst, pw_record *rec, const char *field, const char *text)
{
	if (has_text(text))
		h->record_set(inst, rec, field, skip_space(text));
}

static void
set_date(const pw_host *h, pw_instance *inst, pw_record *rec, const char *field, const char *text)
{
	int64_t t = has_text(text) ? fdate_parse(skip_space(text)) : -1;
	if (t >= 0)
		h->record_set_time(inst, rec, field, t);
}

/* The arXiv format: authors as keyname/forenames/suffix/affiliation,
 * reported child by child before the author element itself ends. */
static void
add_arxiv_authors(const pw_host *h, pw_instance *inst, pw_record *rec, const xi_item *it)
{
	static const char base[] = "metadata/arXiv/authors/author";
	const char *key = NULL, *fore = NULL, *suffix = NULL, *affil = NULL;
	size_t blen = sizeof base - 1;
	for (size_t i = 0; i < it->count; i++) {
		const char *p = it->nodes[i].path, *text = skip_space(it->nodes[i].text);
		if (strncmp(p, base, blen) != 0)
			continue;
		if (strcmp(p + blen, "/keyname") == 0)
			key = text;
		else if (strcmp(p + blen, "/forenames") == 0)
			fore = text;
		else if (strcmp(p + blen, "/suffix") == 0)
			suffix = text;
		else if (strcmp(p + blen, "/affiliation") == 0 && !affil)
			affil = text;
		else if (p[blen] == '\0') {
			char name[1024];
			snprintf(name, sizeof name, "%s%s%s%s%s", fore && *fore ? fore : "", fore && *fore ? " " : "",
			         key ? key : "", suffix && *suffix ? " " : "", suffix && *suffix ? suffix : "");
			if (*skip_space(name)) {
				h->record_add(inst, rec, PW_F_AUTHORS, name);
				if (affil && *affil) {
					char both[1600];
					snprintf(both, sizeof both, "%s (%s)", name, affil);
					h->record_add(inst, rec, PW_X_AFFILIATIONS, both);
				}
			}
			key = fore = suffix = affil = NULL;
		}
	}
}

static void
fill_arxiv(const pw_host *h, pw_instance *inst, pw_record *rec, const xi_item *it, const char *type)
{
	const char *cats = xi_text(it, "metadata/arXiv/categories");
	set_text(h, inst, rec, PW_F_TITLE, xi_text(it, "metadata/arXiv/title"));
	set_text(h, inst, rec, PW_F_ABSTRACT, xi_text(it, "metadata/arXiv/abstract"));
	add_arxiv_authors(h, inst, rec, it);
	char buf[2048], *save = NULL;
	snprintf(buf, sizeof buf, "%s", cats ? cats : "");
	int first = 1;
	for (char *c = strtok_r(buf, " \t\r\n", &save); c; c = strtok_r(NULL, " \t\r\n", &save)) {
		if (first)
			h->record_set(inst, rec, PW_F_PRIMARY, c);
		first = 0;
		h->record_add(inst, rec, PW_F_CATEGORIES, c);
	}
	set_text(h, inst, rec, PW_F_COMMENT, xi_text(it, "metadata/arXiv/comments"));
	set_text(h, inst, rec, PW_F_JOURNAL_REF, xi_text(it, "metadata/arXiv/journal-ref"));
	set_text(h, inst, rec, PW_F_DOI, xi_text(it, "metadata/arXiv/doi"));
	set_text(h, inst, rec, "license", xi_text(it, "metadata/arXiv/license"));
	set_date(h, inst, rec, PW_T_PUBLISHED, xi_text(it, "metadata/arXiv/created"));
	set_date(h, inst, rec, PW_T_UPDATED, xi_text(it, "metadata/arXiv/updated"));
	h->record_set(inst, rec, PW_F_ANNOUNCE, type);
}

/* oai_dc: "Last, First" creators, the abstract and a "Comment: ..."
 * description, one dc:date per version, DOIs as "doi:..." identifiers. */
static void
fill_dc(const pw_host *h, pw_instance *inst, pw_record *rec, const xi_item *it)
{
	static const char base[] = "metadata/oai_dc:dc/";
	const char *first_date = NULL, *last_date = NULL;
	size_t blen = sizeof base - 1;
	for (size_t i = 0; i < it->count; i++) {
		const char *p = it->nodes[i].path, *text = skip_space(it->nodes[i].text);
		if (strncmp(p, base, blen) != 0 || !*text)
			continue;
		p += blen;
		if (strcmp(p, "dc:title") == 0) {
			h->record_set(inst, rec, PW_F_TITLE, text);
		} else if (strcmp(p, "dc:creator") == 0) {
			char name[1024];
			const char *comma = strchr(text, ',');
			if (comma)
				snprintf(name, sizeof name, "%s %.*s", skip_space(comma + 1), (int)(comma - text),
				         text);
			else
				snprintf(name, sizeof name, "%s", text);
			h->record_add(inst, rec, PW_F_AUTHORS, name);
		} else if (strcmp(p, "dc:description") == 0) {
			if (strncmp(text, "Comment:", 8) == 0)
				h->record_set(inst, rec, PW_F_COMMENT, skip_space(text + 8));
			else if (!h->record_get(inst, rec, PW_F_ABSTRACT))
				h->record_set(inst, rec, PW_F_ABSTRACT, text);
		} else if (strcmp(p, "dc:date") == 0) {
			if (!first_date)
				first_date = text;
			last_date = text;
		} else if (strcmp(p, "dc:identifier") == 0 && strncmp(text, "doi:", 4) == 0) {
			h->record_set(inst, rec, PW_F_DOI, text + 4);
		}
	}
	set_date(h, inst, rec, PW_T_PUBLISHED, first_date);
	if (last_date != first_date)
		set_date(h, inst, rec, PW_T_UPDATED, last_date);
	h->record_set(inst, rec, PW_F_ANNOUNCE, last_date != first_date ? "replace" : "new");
}

static int
is_deleted(const xi_item *it)
{
	for (size_t i = 0; i < it->count; i++)
		if (strcmp(it->nodes[i].path, "header") == 0) {
			const char *status = xi_attr_value(&it->nodes[i], "status");
			return status && strcmp(status, "deleted") == 0;
		}
	return 0;
}

static int
on_record(void *ud, const xi_item *it)
{
	struct page_ctx *c = ud;
	const pw_host *h = c->h;
	const oai_request *rq = c->rq;
	oai_totals *t = c->t;
	t->records++;
	const char *stamp = xi_text(it, "header/datestamp");
	if (has_text(stamp))
		count_day(t, stamp);
	if (c->stop)
		return 0;
	if (is_deleted(it)) {
		t->deleted++;
		return 0;
	}
	const char *ident = skip_space(xi_text(it, "header/identifier"));
	const char *id = ident && strncmp(ident, "oai:arXiv.org:", 14) == 0 ? ident + 14 : NULL;
	if (!id || !*id) {
		h->log(c->inst, PW_LOG_WARNING, "a record without an arXiv identifier (\"%s\") is skipped",
		       ident ? ident : "");
		t->skipped++;
		return 0;
	}
	int dc = strcmp(rq->prefix, "oai_dc") == 0;
	char type[32] = "new";
	if (!dc) {
		const char *cats = xi_text(it, "metadata/arXiv/categories");
		derive_type(rq, xi_text(it, "metadata/arXiv/created"), xi_text(it, "metadata/arXiv/updated"), cats,
		            type, sizeof type);
		if (rq->categories && (!any_followed(rq->categories, cats) || !listing_wants(rq->announce, type))) {
			t->skipped++;
			return 0;
		}
	}
	char clean_id[128], url[256];
	snprintf(clean_id, sizeof clean_id, "%s", id);
	clean_id[strcspn(clean_id, " \t\r\n")] = '\0';
	pw_record *rec = h->record_new(c->inst);
	h->record_set(c->inst, rec, PW_F_ID, clean_id);
	snprintf(url, sizeof url, "https://arxiv.org/abs/%s", clean_id);
	h->record_set(c->inst, rec, PW_F_URL, url);
	snprintf(url, sizeof url, "https://arxiv.org/pdf/%s", clean_id);
	h->record_set(c->inst, rec, PW_F_PDF_URL, url);
	if (dc)
		fill_dc(h, c->inst, rec, it);
	else
		fill_arxiv(h, c->inst, rec, it, type);
	if (!h->record_get(c->inst, rec, PW_F_TITLE)) {
		h->log(c->inst, PW_LOG_WARNING, "record %s has no title; skipped", clean_id);
		h->record_free(c->inst, rec);
		t->skipped++;
		return 0;
	}
	const char *announced = h->record_get(c->inst, rec, PW_F_ANNOUNCE);
	if (announced)
		h->report_count(c->inst, announced, 1);
	pw_status es = h->emit(c->inst, rec);
	if (es == PW_ERROR) {
		snprintf(c->error, sizeof c->error, "the host could not store a paper (%s)", clean_id);
		return -1;
	}
	if (es == PW_REJECTED)
		return 0; /* the host has said why; the next record */
	t->emitted++;
	if (rq->max_records > 0 && t->emitted >= rq->max_records)
		c->stop = 1;
	return 0;
}

static void
on_meta(void *ud, const xi_node *node)
{
	struct page_ctx *c = ud;
	const char *path = node->path, *text = node->text;
	if (strcmp(path, "ListRecords/resumptionToken") == 0) {
		const char *size = xi_attr_value(node, "completeListSize");
		if (size)
			c->complete_size = strtol(size, NULL, 10);
		snprintf(c->token, sizeof c->token, "%s", skip_space(text));
		size_t n = strlen(c->token);
		while (n && isspace((unsigned char)c->token[n - 1]))
			c->token[--n] = '\0';
	} else if (strcmp(path, "error") == 0) {
		const char *code = xi_attr_value(node, "code");
		if (code)
			snprintf(c->error_code, sizeof c->error_code, "%s", code);
		snprintf(c->error, sizeof c->error, "%s", skip_space(text));
	}
}

static int
read_page(void *ud, int fd, const char *body, size_t len, char *err, size_t err_size)
{
	static const char *const items[] = { "record", NULL };
	struct page_ctx *c = ud;
	xi_handler xh = { items, on_record, on_meta, c };
	xi_result xr;
	int rc = fd >= 0 ? xi_parse_fd(fd, &xh, &xr) : xi_parse_mem(body, len, &xh, &xr);
	if (rc < 0) {
		snprintf(err, err_size, "%s", c->error[0] && !c->error_code[0] ? c->error : xr.error);
		return -1;
	}
	if (strcmp(xr.root, "OAI-PMH") != 0) {
		snprintf(err, err_size, "not an OAI-PMH answer: the root element is <%s>", xr.root);
		return -1;
	}
	if (c->error_code[0] && strcmp(c->error_code, "noRecordsMatch") != 0) {
		snprintf(err, err_size, "OAI-PMH error %s: %s", c->error_code, c->error);
		return -1;
	}
	return 0;
}

/* Percent-encodes everything but RFC 3986's unreserved characters: a
 * token is itself URL-encoded text ("verb=...&skip=N" or "6960524|1001"). */
static void
put_encoded(char *out, size_t size, const char *s)
{
	ue_append(out, size, s, "", 0);
}

static void
first_url(const oai_request *rq, const char *set, char *url, size_t size)
{
	snprintf(url, size, "%s%sverb=ListRecords&metadataPrefix=", rq->base_url,
	         strchr(rq->base_url, '?') ? "&" : "?");
	put_encoded(url, size, rq->prefix);
	if (set) {
		strncat(url, "&set=", size - strlen(url) - 1);
		put_encoded(url, size, set);
	}
	if (rq->from)
		snprintf(url + strlen(url), size - strlen(url), "&from=%s", rq->from);
	if (rq->until)
		snprintf(url + strlen(url), size - strlen(url), "&until=%s", rq->until);
}

static pw_status
harvest_set(const pw_host *h, pw_instance *inst, const oai_request *rq, const char *set, oai_totals *t)
{
	char url[4096], last_token[2048] = "";
	first_url(rq, set, url, sizeof url);
	for (int page = 0; page < OAI_MAX_PAGES; page++) {
		struct page_ctx c = { h, inst, rq, t, "", "", "", 0, 0 };
		pw_status st = spooled_fetch(h, inst, url, "OAI-PMH page", "record", read_page, &c);
		if (st != PW_OK) {
			if (page)
				h->log(inst, PW_LOG_ERROR,
				       "the harvest stopped on page %d; the records of the %d pages before "
				       "it are kept",
				       page + 1, page);
			return st;
		}
		t->pages++;
		h->report_count(inst, "pages", 1);
		/* The size of the whole harvest, said once: the host's progress
		 * line turns it into the time left. */
		if (page == 0 && c.complete_size > 0)
			h->report_count(inst, "expected", c.complete_size);
		if (strcmp(c.error_code, "noRecordsMatch") == 0) {
			if (page == 0)
				t->nothing_new++;
			return PW_OK;
		}
		if (!c.token[0] || c.stop)
			return PW_OK;
		if (strcmp(c.token, last_token) == 0) {
			h->log(inst, PW_LOG_ERROR, "the server sent the same resumptionToken twice (\"%s\"); stopping",
			       c.token);
			return PW_ERROR;
		}
		snprintf(last_token, sizeof last_token, "%s", c.token);
		snprintf(url, sizeof url, "%s%sverb=ListRecords&resumptionToken=", rq->base_url,
		         strchr(rq->base_url, '?') ? "&" : "?");
		put_encoded(url, sizeof url, c.token);
	}
	h->log(inst, PW_LOG_ERROR, "more than %d pages; stopping (narrow the set or the dates)", OAI_MAX_PAGES);
	return PW_ERROR;
}

pw_status
oai_harvest(const pw_host *h, pw_instance *inst, const oai_request *rq, oai_totals *t)
{
	memset(t, 0, sizeof *t);
	if (!rq->sets || !rq->sets[0])
		return harvest_set(h, inst, rq, NULL, t);
	for (size_t i = 0; rq->sets[i]; i++) {
		pw_status st = harvest_set(h, inst, rq, rq->sets[i], t);
		if (st != PW_OK)
			return st;
		if (rq->max_records > 0 && t->emitted >= rq->max_records)
			break;
	}
	return PW_OK;
}

/* arXiv's physics group holds these archives; every other archive is its
 * own group. */
static int
physics_archive(const char *archive)
{
	static const char *const names[] = { "astro-ph", "cond-mat", "gr-qc",    "hep-ex", "hep-lat",
		                             "hep-ph",   "hep-th",   "math-ph",  "nlin",   "nucl-ex",
		                             "nucl-th",  "physics",  "quant-ph", NULL };
	for (size_t i = 0; names[i]; i++)
		if (strcmp(archive, names[i]) == 0)
			return 1;
	return 0;
}

void
oai_category_set(const char *category, char *out, size_t size)
{
	const char *dot = strchr(category, '.');
	int n = (int)(dot ? (size_t)(dot - category) : strlen(category));
	char archive[64];
	snprintf(archive, sizeof archive, "%.*s", n, category);
	const char *group = physics_archive(archive) ? "physics" : archive;
	if (dot)
		snprintf(out, size, "%s:%s:%s", group, archive, dot + 1);
	else if (strcmp(group, archive) != 0 || strcmp(archive, "physics") == 0)
		snprintf(out, size, "%s:%s", group, archive);
	else
		snprintf(out, size, "%s", archive);
}
