/* store_paper_row.c: a paper as a row of papers.  Each core field has a
 * column of its own, in rec_core_index's order (the version and the times
 * as integers; a list as its items one to a line, since a core field's
 * text holds no line break); every other field, and a core field of an
 * unexpected shape, goes into one JSON object, extra.  A row is read back
 * into one allocation, with the ledger's scored fields over it. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "store_sql.h"

const char *const paper_column_names[PAPER_NCOLUMNS] = { PW_F_ID,      PW_F_VERSION,     PW_F_TITLE,     PW_F_ABSTRACT,
	                                                 PW_F_AUTHORS, PW_F_CATEGORIES,  PW_F_PRIMARY,   PW_F_URL,
	                                                 PW_F_PDF_URL, PW_F_DOI,         PW_F_SOURCE,    PW_F_ANNOUNCE,
	                                                 PW_F_COMMENT, PW_F_JOURNAL_REF, PW_T_PUBLISHED, PW_T_UPDATED,
	                                                 "extra" };

/* Whether the paper being put is a newer version than the stored one. */
#define PAPER_NEWER "coalesce(excluded.version, 0) > coalesce(papers.version, 0)"

enum { AUTHORS_COLUMN = 4, CATEGORIES_COLUMN = 5, EXTRA_COLUMN = PAPER_NCOLUMNS - 1 };

static int
is_list_column(int column)
{
	return column == AUTHORS_COLUMN || column == CATEGORIES_COLUMN;
}

/* The column holding field i of rec, or -1 when it goes into extra. */
static int
column_of(const pw_record *rec, size_t i)
{
	int column = rec_core_index(rec_field_name(rec, i));
	if (column < 0)
		return -1;
	if (is_list_column(column))
		return rec_field_is_list(rec, i) ? column : -1;
	return !rec_field_is_list(rec, i) && rec_field_count_at(rec, i) == 1 ? column : -1;
}

static int
goes_to_extra(const pw_record *rec, size_t i, void *ud)
{
	(void)ud;
	return column_of(rec, i) < 0;
}

/* A list's items one to a line, malloc'd ("" for an empty list). */
static char *
joined(const pw_record *rec, size_t i)
{
	size_t n = rec_field_count_at(rec, i), size = 1;
	for (size_t j = 0; j < n; j++)
		size += strlen(rec_field_value_at(rec, i, j)) + 1;
	char *out = malloc(size), *p = out;
	if (!out)
		return NULL;
	for (size_t j = 0; j < n; j++) {
		const char *v = rec_field_value_at(rec, i, j);
		size_t len = strlen(v);
		if (j)
			*p++ = '\n';
		memcpy(p, v, len);
		/* Cleaning took line breaks out of core fields; a value that
		 * still had one would come back as two items. */
		for (char *nl; (nl = memchr(p, '\n', len)); len -= (size_t)(nl + 1 - p), p = nl + 1)
			*nl = ' ';
		p += len;
	}
	*p = '\0';
	return out;
}

int
paper_bind(sqlite3_stmt *st, int first, const pw_record *rec)
{
	int has_extra = 0;
	for (size_t i = 0; i < rec_nfields(rec); i++) {
		int column = column_of(rec, i);
		if (column < 0) {
			has_extra = 1;
		} else if (is_list_column(column)) {
			char *text = joined(rec, i);
			if (!text || sqlite3_bind_text(st, first + column, text, -1, free) != SQLITE_OK)
				return -1;
		} else {
			/* SQLITE_STATIC: the record outlives the statement's step.
			 * The version and the times are stored as integers (the
			 * columns' affinity). */
			sqlite3_bind_text(st, first + column, rec_field_value_at(rec, i, 0), -1, SQLITE_STATIC);
		}
	}
	if (has_extra) {
		char *extra = rec_to_json_some(rec, goes_to_extra, NULL, 0);
		if (!extra || sqlite3_bind_text(st, first + EXTRA_COLUMN, extra, -1, free) != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* The column's items, split at line breaks where they lie. */
static int
take_list(pw_record *rec, const char *field, char *text)
{
	if (rec_mark_list(rec, field) < 0)
		return -1;
	for (char *item = text, *nl;; item = nl + 1) {
		nl = strchr(item, '\n');
		if (nl)
			*nl = '\0';
		if (rec_take(rec, field, item, 1) < 0)
			return -1;
		if (!nl)
			return 0;
	}
}

pw_record *
paper_from_row(sqlite3_stmt *st, int first, int scored_column)
{
	enum { SCORED = PAPER_NCOLUMNS };

	const char *text[PAPER_NCOLUMNS + 1];
	size_t len[PAPER_NCOLUMNS + 1], size = 0;
	for (int c = 0; c <= SCORED; c++) {
		int column = c == SCORED ? scored_column : first + c;
		text[c] = column >= 0 ? (const char *)sqlite3_column_text(st, column) : NULL;
		len[c] = text[c] ? (size_t)sqlite3_column_bytes(st, column) : 0;
		size += text[c] ? len[c] + 1 : 0;
	}
	pw_record *rec = size ? rec_new() : NULL;
	char *backing = rec ? malloc(size) : NULL, *p = backing;
	if (!backing) {
		rec_free(rec);
		return NULL;
	}
	rec_set_backing(rec, backing, size);
	for (int c = 0; c <= SCORED; c++) {
		if (!text[c])
			continue;
		memcpy(p, text[c], len[c] + 1);
		if (c == SCORED)
			rec_mark_stored(rec);
		int rc = c >= EXTRA_COLUMN   ? rec_read_json(rec, p)
		         : is_list_column(c) ? take_list(rec, paper_column_names[c], p)
		                             : rec_take(rec, paper_column_names[c], p, 0);
		if (rc < 0)
			goto fail;
		p += len[c] + 1;
	}
	if (!text[SCORED])
		rec_mark_stored(rec);
	if (rec_get(rec, PW_F_ID))
		return rec;
fail:
	rec_free(rec);
	return NULL;
}

/* "column = the merged value" for every paper column, as rec_merge merges:
 * from a newer version every field it has; else only the fields the
 * stored paper lacks (an empty list counts as lacking). */
static size_t
put_merge(char *out, size_t size, size_t at, const char *column, int c)
{
	char stored[64];
	if (is_list_column(c))
		snprintf(stored, sizeof stored, "nullif(papers.%s, '')", column);
	else
		snprintf(stored, sizeof stored, "papers.%s", column);
	if (c == EXTRA_COLUMN)
		return at + (size_t)snprintf(out + at, at < size ? size - at : 0,
		                             "extra = CASE WHEN excluded.extra IS NULL THEN papers.extra "
		                             "WHEN papers.extra IS NULL THEN excluded.extra "
		                             "WHEN %s THEN json_patch(papers.extra, excluded.extra) "
		                             "ELSE json_patch(excluded.extra, papers.extra) END, ",
		                             PAPER_NEWER);
	return at + (size_t)snprintf(out + at, at < size ? size - at : 0,
	                             "%s = CASE WHEN %s THEN coalesce(excluded.%s, papers.%s) "
	                             "ELSE coalesce(%s, excluded.%s) END, ",
	                             column, PAPER_NEWER, column, column, stored, column);
}

const char *
paper_upsert_sql(void)
{
	static char sql[8192];
	if (sql[0])
		return sql;
	size_t at = (size_t)snprintf(
	        sql, sizeof sql,
	        "INSERT INTO papers (" PAPER_COLUMNS(
	                "") ", first_seen, last_seen, src_hash) "
	                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
	                    "?17, ?18, ?18, ?19) ON CONFLICT(id) DO UPDATE SET ");
	for (int c = 1; c < PAPER_NCOLUMNS; c++)
		at = put_merge(sql, sizeof sql, at, paper_column_names[c], c);
	at += (size_t)snprintf(sql + at, at < sizeof sql ? sizeof sql - at : 0,
	                       "last_seen = excluded.last_seen, src_hash = excluded.src_hash "
	                       "WHERE papers.src_hash IS NOT excluded.src_hash");
	if (at >= sizeof sql)
		abort(); /* the buffer is sized for the fixed text above */
	return sql;
}
