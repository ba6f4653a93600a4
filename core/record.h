/* record.h: papers as the host holds them (opaque to plugins). */
#ifndef PW_RECORD_H
#define PW_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "paperwire/plugin.h"

/* 1 for a core field's name (PW_F_*, PW_T_*): set by sources, never
 * declared by a plugin as its own. */
int rec_is_core_field(const char *name);
/* A core field's place in the list PW_F_ID, PW_F_VERSION, PW_F_TITLE,
 * PW_F_ABSTRACT, PW_F_AUTHORS, PW_F_CATEGORIES, PW_F_PRIMARY, PW_F_URL,
 * PW_F_PDF_URL, PW_F_DOI, PW_F_SOURCE, PW_F_ANNOUNCE, PW_F_COMMENT,
 * PW_F_JOURNAL_REF, PW_T_PUBLISHED, PW_T_UPDATED (0 to 15; the store's
 * paper columns are in this order); -1 for any other name. */
int rec_core_index(const char *name);
pw_record *rec_new(void);
void rec_free(pw_record *rec);

/* Text is cleaned (UTF-8, controls, white space) on the way in.  Core
 * fields lose line breaks; extension fields keep them.  Return 0 or -1. */
int rec_set(pw_record *rec, const char *field, const char *value);
int rec_add(pw_record *rec, const char *field, const char *value);
int rec_set_time(pw_record *rec, const char *field, int64_t unix_utc);
void rec_unset(pw_record *rec, const char *field);

const char *rec_get(const pw_record *rec, const char *field);
size_t rec_count(const pw_record *rec, const char *field);
const char *rec_get_at(const pw_record *rec, const char *field, size_t i);
int64_t rec_get_time(const pw_record *rec, const char *field);
int rec_version(const pw_record *rec);

/* Iteration over every field, in insertion order. */
size_t rec_nfields(const pw_record *rec);
const char *rec_field_name(const pw_record *rec, size_t i);
int rec_field_is_list(const pw_record *rec, size_t i);
size_t rec_field_count_at(const pw_record *rec, size_t i);
const char *rec_field_value_at(const pw_record *rec, size_t i, size_t j);
/* The store's row reader marks the fields it read from the paper's row;
 * setting a field again clears its mark.  What the ledger keeps of a
 * scored paper is what is not so marked (rec_to_json_some). */
void rec_mark_stored(pw_record *rec);
int rec_field_is_stored(const pw_record *rec, size_t i);
/* The names of fields marked stored that were unset since. */
size_t rec_dropped_count(const pw_record *rec);
const char *rec_dropped_name(const pw_record *rec, size_t i);
/* For the store's reader: a list field that may stay empty, and a value
 * already clean (it was cleaned before it was stored) whose ownership
 * passes to the record, set or appended to the list.  -1: out of memory. */
int rec_mark_list(pw_record *rec, const char *field);
int rec_take(pw_record *rec, const char *field, char *owned, int as_list);
/* The JSON reader's: the malloc'd text a record's values were decoded in
 * (rec_take's owned may point into it); the record frees it with itself. */
void rec_set_backing(pw_record *rec, char *text, size_t size);

/* Scores: each scorer's part is kept with its reason; the total is the
 * weighted sum. */
int rec_score_add(pw_record *rec, const char *scorer, double weight, double value, const char *reason);
double rec_score(const pw_record *rec);
size_t rec_score_count(const pw_record *rec);
const char *rec_score_at(const pw_record *rec, size_t i, double *value, const char **reason);
/* Every scorer's reason on one line, malloc'd: "keyword: title has 'RL' +2;
 * embedding: 0.61 like 'x'" ("" when none scored it). */
char *rec_reasons(const pw_record *rec);
void rec_veto(pw_record *rec, const char *scorer, const char *reason);
int rec_vetoed(const pw_record *rec);
/* A scorer failed on this paper: its score is incomplete. */
void rec_mark_unscored(pw_record *rec);
int rec_unscored(const pw_record *rec);

/* Sets the canonical id and version from whatever the source put in "id".
 * Returns -1 when the record has no usable id. */
int rec_canonicalize(pw_record *rec);

/* Folds src into dst (same paper): fields dst lacks are taken from src; when
 * src is a newer version, its fields win. */
void rec_merge(pw_record *dst, const pw_record *src);
pw_record *rec_clone(const pw_record *src);

/* JSON for the store (record_json.c): {"field": "v" | ["a","b"], ...}.
 * with_scores adds "score" and "scores". */
char *rec_to_json(const pw_record *rec, int with_scores);

/* The same with only the fields keep accepts (by index); with_dropped
 * first writes "name": null for each stored field unset since
 * (rec_read_json unsets a field named with null). */
enum { REC_JSON_SCORES = 1, REC_JSON_DROPPED = 2 };

char *rec_to_json_some(const pw_record *rec, int (*keep)(const pw_record *rec, size_t i, void *ud), void *ud,
                       int flags);
/* A 64-bit digest of the fields (names, values, order), without scores:
 * equal records give equal digests. */
uint64_t rec_hash(const pw_record *rec);
/* NULL for anything but one whole JSON object. */
pw_record *rec_from_json(const char *json);
/* Decodes the JSON object in text, which lies in rec's backing and is
 * decoded in place, into rec: a field it names replaces the record's
 * (a list as a whole).  0, or -1 when it is not one whole object (rec
 * may then hold part of it). */
int rec_read_json(pw_record *rec, char *text);

#endif
