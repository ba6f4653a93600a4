/* field_view.h: a record's extension fields as every sink shows them
 * (plugin ABI 2.1): each with its declaration's display name, place and
 * form, so a sink renders any plugin's fields, bundled or third-party,
 * without knowing their names.  A field nobody declared is shown as plain
 * text under its own name after the paper, as before 2.1. */
#ifndef PW_FIELD_VIEW_H
#define PW_FIELD_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "mbuf.h"
#include "paperwire/plugin.h"

typedef struct fv_field {
	const char *name;    /* the record field */
	const char *display; /* the declared display name, else name */
	uint32_t attach;     /* PW_ATTACH_* */
	uint32_t form;       /* PW_FORM_* */
	const char *reason;  /* PW_FORM_LABEL: the reason's text, or NULL */
	size_t values;       /* how many values it has (a list may have several) */
	int list;            /* a list field, even of one value */
	int declared;
} fv_field;

/* The declaration of a field, or NULL (none, or a host before 2.1). */
const pw_field *fv_declaration(const pw_host *h, pw_instance *inst, const char *name);

/* The fields of rec to show at attach, in the record's order, into
 * out[0..max); returns how many there are (which may exceed max).  Core
 * fields are left out, and so is a label's detail field (shown on the
 * label's line).  At PW_ATTACH_PAPER, labels = 1 gives only the labels
 * (shown with a paper's details) and labels = 0 the rest (after the
 * abstract); elsewhere labels is ignored. */
size_t fv_fields(const pw_host *h, pw_instance *inst, const pw_record *rec, uint32_t attach, int labels, fv_field *out,
                 size_t max);

/* The first value of a label field among rec's fields (to group by), or
 * NULL when rec has none. */
const char *fv_label(const pw_host *h, pw_instance *inst, const pw_record *rec);

/* One PW_FORM_RELATED item, parsed; strings point into the object, which
 * fv_related_free releases. */
typedef struct fv_related {
	const char *id, *title, *url, *date, *line;
	double similarity; /* < 0 when not given */
	void *json;
} fv_related;

/* 0, or -1 when item is not a JSON object with an id and a title. */
int fv_related_parse(const char *item, fv_related *out);
void fv_related_free(fv_related *r);
/* "2023-02-02, similarity 0.42", or as much of it as the item has. */
void fv_related_facts(const fv_related *r, char *out, size_t size);
/* The item's link, into buf: its url when http(s) (percent-encoded where
 * a URL may not hold a character, see su_href), else arXiv's abstract page
 * for an arXiv id, else NULL. */
const char *fv_related_link(const pw_host *h, pw_instance *inst, const fv_related *r, char *buf, size_t size);

/* A field rendered for a sink's text or HTML: the HTML escapes with esc
 * (each sink's own), Markdown keeps its headings, bold and list items
 * and escapes the rest. */
typedef void (*fv_escape_fn)(mbuf *out, const char *text);
void fv_put_html(const pw_host *h, pw_instance *inst, const pw_record *rec, const fv_field *f, mbuf *out,
                 fv_escape_fn esc);
void fv_put_text(const pw_host *h, pw_instance *inst, const pw_record *rec, const fv_field *f, mbuf *out,
                 const char *indent);

/* Every field fv_fields gives, rendered as above. */
void fv_html_at(const pw_host *h, pw_instance *inst, const pw_record *rec, uint32_t attach, int labels, mbuf *out,
                fv_escape_fn esc);
void fv_text_at(const pw_host *h, pw_instance *inst, const pw_record *rec, uint32_t attach, int labels, mbuf *out,
                const char *indent);

#endif
