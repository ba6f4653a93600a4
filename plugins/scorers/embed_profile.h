/* embed_profile.h: the reader's library: BibTeX (Zotero, Mendeley, JabRef
 * exports), CSL-JSON and plain text, as documents with a title, a text
 * (title and abstract) and, when known, a year. */
#ifndef PW_PROFILE_H
#define PW_PROFILE_H

#include <stddef.h>

typedef struct profile_doc {
	char *title;
	char *text;
	int year;     /* 0 when unknown */
	size_t order; /* position in the files, for stable ranking */
} profile_doc;

typedef struct profile {
	profile_doc *docs;
	size_t count;
} profile;

/* Adds a document (copies the strings).  0 or -1. */
int profile_add(profile *p, const char *title, const char *abstract, int year);

/* Reads a file by its extension: .bib, .json (CSL-JSON), anything else as
 * text (one document per paragraph, its first line the title).  Returns
 * the number of documents added, or -1 with err set (naming the file and
 * the line where it can).  A file that is not UTF-8 is read as Latin-1,
 * and note says so (else note is empty). */
int profile_load_file(profile *p, const char *path, char *err, size_t err_size, char *note, size_t note_size);

/* BibTeX text to documents (exposed for tests). */
int profile_parse_bibtex(profile *p, const char *text, const char *name, char *err, size_t err_size);

/* LaTeX markup to plain text: braces and commands go, accents become the
 * accented letter where known, "\\&" becomes "&".  Returns malloc'd text. */
char *profile_latex_to_text(const char *s);

/* Most recent first (year, then later in the file first), as the weighting
 * of newer library items wants. */
void profile_sort_newest_first(profile *p);

void profile_free(profile *p);

#endif
