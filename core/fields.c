/* fields.c: the table of field declarations.  Entries own copies of their
 * strings, so a declaration outlives the plugin's create() and its
 * option strings. */
#include "fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

struct declared {
	pw_field field; /* first: a pw_field * found in the table is its entry */
	char *declarer;
	char *scope; /* a digest's name; NULL for a source's declaration */
};

static struct declared *table;
static size_t count;

static int
same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int
same_declaration(const pw_field *a, const pw_field *b)
{
	return same_text(a->display, b->display) && a->attach == b->attach && a->form == b->form &&
	       same_text(a->detail, b->detail);
}

/* What is wrong with f, or NULL. */
static const char *
invalid(const pw_field *f)
{
	if (!f->name || !*f->name)
		return "a field needs a name";
	if (rec_is_core_field(f->name))
		return "is a core field: a plugin declares only the fields it adds";
	if (!f->display || !*f->display)
		return "needs a display name";
	if (f->attach > PW_ATTACH_ABSTRACT)
		return "attach is not one of PW_ATTACH_PAPER, PW_ATTACH_TITLE, PW_ATTACH_ABSTRACT";
	if (f->form > PW_FORM_RELATED)
		return "form is not one of PW_FORM_TEXT, PW_FORM_MARKDOWN, PW_FORM_LABEL, PW_FORM_RELATED";
	if (f->detail && f->form != PW_FORM_LABEL)
		return "only a PW_FORM_LABEL field has a detail field";
	if (f->detail && (!*f->detail || strcmp(f->detail, f->name) == 0 || rec_is_core_field(f->detail)))
		return "its detail must name another extension field";
	return NULL;
}

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The entry of name that a declaration in scope would clash with: one in
 * the same scope, or one of a source (which holds everywhere), or any
 * when scope is a source's. */
static const struct declared *
clashing(const char *scope, const char *name)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(table[i].field.name, name) == 0 &&
		    (!scope || !table[i].scope || strcmp(table[i].scope, scope) == 0))
			return &table[i];
	return NULL;
}

int
fields_declare(const char *scope, const char *declarer, const pw_field *field, size_t field_size, char *err,
               size_t err_size)
{
	/* A plugin built against a later minor passes a longer struct; one
	 * built against this one, exactly ours. */
	pw_field f = { 0 };
	if (!field || field_size < offsetof(pw_field, detail)) {
		snprintf(err, err_size, "field_declare: field_size %zu is too small (sizeof(pw_field) is %zu)",
		         field_size, sizeof(pw_field));
		return -1;
	}
	memcpy(&f, field, field_size < sizeof f ? field_size : sizeof f);
	const char *why = invalid(&f);
	if (why) {
		snprintf(err, err_size, "field \"%s\": %s", f.name ? f.name : "", why);
		return -1;
	}
	const struct declared *earlier = clashing(scope, f.name);
	if (earlier) {
		if (same_declaration(&earlier->field, &f))
			return 0;
		snprintf(err, err_size,
		         "field \"%s\" is declared by %s as \"%s\" and by %s as \"%s\": give one of them another field "
		         "name",
		         f.name, earlier->declarer, earlier->field.display, declarer, f.display);
		return -1;
	}
	struct declared *grown = realloc(table, (count + 1) * sizeof *grown);
	if (!grown) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	table = grown;
	struct declared *d = &table[count];
	d->field = (pw_field){ strdup(f.name), strdup(f.display), f.attach, f.form, dup_or_null(f.detail) };
	d->declarer = strdup(declarer ? declarer : "?");
	d->scope = dup_or_null(scope);
	if (!d->field.name || !d->field.display || (f.detail && !d->field.detail) || !d->declarer ||
	    (scope && !d->scope)) {
		free((char *)d->field.name);
		free((char *)d->field.display);
		free((char *)d->field.detail);
		free(d->declarer);
		free(d->scope);
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	count++;
	return 0;
}

const pw_field *
fields_lookup(const char *scope, const char *name)
{
	const pw_field *from_source = NULL;
	for (size_t i = 0; name && i < count; i++) {
		if (strcmp(table[i].field.name, name) != 0)
			continue;
		if (!table[i].scope)
			from_source = &table[i].field;
		else if (scope && strcmp(table[i].scope, scope) == 0)
			return &table[i].field;
	}
	return from_source;
}

void
fields_reset(void)
{
	for (size_t i = 0; i < count; i++) {
		free((char *)table[i].field.name);
		free((char *)table[i].field.display);
		free((char *)table[i].field.detail);
		free(table[i].declarer);
		free(table[i].scope);
	}
	free(table);
	table = NULL;
	count = 0;
}
