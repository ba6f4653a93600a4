/* store_search.c: full-text search for `paperwire serve`.  The index is
 * SQLite's FTS5 in an attached temporary database (a file SQLite deletes
 * when serve ends, so memory stays at SQLite's page cache), not a table of
 * the store: it costs the runs nothing and cannot go stale on disk.  It is
 * built from the papers when serve starts and each search first adds the
 * papers stored since (papers are only ever appended, so their rowids say
 * which are new). */
#include "autoconf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "store_sql.h"

#define SIMILAR_TERMS 12

int
store_search_ready(pw_store *s)
{
	if (s->search_upto < 0) {
		if (sql_exec(s,
		             "ATTACH '' AS search;"
		             "CREATE VIRTUAL TABLE search.papers_fts USING fts5(id UNINDEXED, title, authors, abstract,"
		             "  tokenize = 'unicode61 remove_diacritics 2');"
		             "CREATE VIRTUAL TABLE search.papers_terms USING fts5vocab(papers_fts, row);",
		             "cannot make the search index") < 0)
			return -1;
		s->search_upto = 0;
	}
	sqlite3_stmt *st = sql_prepare(s, "INSERT INTO search.papers_fts (rowid, id, title, authors, abstract)"
	                                  " SELECT rowid, id, title, replace(authors, char(10), ', '), abstract"
	                                  " FROM main.papers WHERE rowid > ?1 ORDER BY rowid");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->search_upto);
	if (sql_step_done(s, st, "cannot index the papers") < 0)
		return -1;
	st = sql_prepare(s, "SELECT coalesce(max(rowid), 0) FROM search.papers_fts");
	long top = st ? sql_count(s, st) : -1;
	if (top < 0)
		return -1;
	s->search_upto = top;
	return 0;
}

/* Runs a MATCH over the index and hands each paper found to fn. */
static int
run_match(pw_store *s, const char *match, int64_t except, size_t max, void (*fn)(void *ud, const pw_record *rec),
          void *ud)
{
	sqlite3_stmt *st = sql_prepare(
	        s, "SELECT " PAPER_COLUMNS("p.") " FROM search.papers_fts f JOIN main.papers p"
	                                         " ON p.rowid = f.rowid WHERE papers_fts MATCH ?1 AND f.rowid != ?2"
	                                         " ORDER BY bm25(papers_fts, 0, 10.0, 2.0, 1.0) LIMIT ?3");
	if (!st)
		return -1;
	sql_bind_text(st, 1, match);
	sqlite3_bind_int64(st, 2, except);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pw_record *rec = paper_from_row(st, 0, -1);
		if (rec)
			fn(ud, rec);
		rec_free(rec);
	}
	if (rc != SQLITE_DONE)
		sql_set_err(s, "cannot search");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The words of text, each quoted: as an FTS5 query (so no word is read as
 * an operator or a column), or as JSON strings (a word is letters, digits
 * and UTF-8, nothing to escape) and, with prefix, matching as a prefix; joined
 * by join.  Returns how many words. */
static size_t
quote_words(const char *text, const char *join, int prefix, char *out, size_t size)
{
	size_t n = 0, used = 0;
	out[0] = '\0';
	for (const char *p = text; *p;) {
		while (*p && !isalnum((unsigned char)*p) && !((unsigned char)*p & 0x80))
			p++;
		size_t len = 0;
		while (p[len] && (isalnum((unsigned char)p[len]) || ((unsigned char)p[len] & 0x80)))
			len++;
		if (!len)
			break;
		if (used + len + strlen(join) + 4 >= size)
			break;
		used += (size_t)snprintf(out + used, size - used, "%s\"%.*s\"%s", n ? join : "", (int)len, p,
		                         prefix ? "*" : "");
		n++;
		p += len;
	}
	return n;
}

int
store_search(pw_store *s, const char *query, size_t max, void (*fn)(void *ud, const pw_record *rec), void *ud)
{
	char match[1024];
	if (store_search_ready(s) < 0)
		return -1;
	if (quote_words(query, " ", 1, match, sizeof match) == 0)
		return 0;
	return run_match(s, match, -1, max, fn, ud);
}

/* The paper's most telling terms: those of its title and abstract found in
 * the fewest other papers (but in some: a word of this paper alone finds
 * nothing), as an OR query. */
static int
telling_terms(pw_store *s, int64_t rowid, char *out, size_t size)
{
	sqlite3_stmt *st = sql_prepare(s, "SELECT title || ' ' || coalesce(abstract, '') FROM search.papers_fts"
	                                  " WHERE rowid = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, rowid);
	char *text = sql_query_text(s, st);
	if (!text)
		return -1;
	/* The words as a JSON array of strings, ["a","b"], for json_each. */
	char words[8192] = "[";
	quote_words(text, ",", 0, words + 1, sizeof words - 2);
	strcat(words, "]");
	free(text);
	/* Each word's document count, from the index's own vocabulary (its
	 * terms are folded as the tokenizer folds them). */
	st = sql_prepare(s, "WITH w(term) AS (SELECT DISTINCT lower(value) FROM json_each(?1))"
	                    " SELECT t.term FROM w JOIN search.papers_terms t ON t.term = w.term"
	                    " WHERE t.doc >= 2 AND length(t.term) >= 3 ORDER BY t.doc, t.term LIMIT ?2");
	if (!st)
		return -1;
	sql_bind_text(st, 1, words);
	sqlite3_bind_int(st, 2, SIMILAR_TERMS);
	size_t used = 0, n = 0;
	int rc;
	out[0] = '\0';
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text(st, 0);
		if (used + strlen(term) + 8 < size)
			used += (size_t)snprintf(out + used, size - used, "%s\"%s\"", n++ ? " OR " : "", term);
	}
	if (rc != SQLITE_DONE)
		sql_set_err(s, "cannot read the search index's terms");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
store_similar(pw_store *s, const char *id, size_t max, void (*fn)(void *ud, const pw_record *rec), void *ud)
{
	if (store_search_ready(s) < 0)
		return -1;
	sqlite3_stmt *st = sql_prepare(s, "SELECT rowid FROM main.papers WHERE id = ?1");
	if (!st)
		return -1;
	sql_bind_text(st, 1, id);
	long rowid = sql_count(s, st);
	if (rowid < 0)
		return -2;
	char match[2048];
	if (telling_terms(s, rowid, match, sizeof match) < 0)
		return -1;
	return match[0] ? run_match(s, match, rowid, max, fn, ud) : 0;
}
