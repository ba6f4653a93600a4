/* json_locate.h: find where a value stands in JSON text, for error messages. */
#ifndef PW_JSON_LOCATE_H
#define PW_JSON_LOCATE_H

#include <stddef.h>

/* Offset into text of the value at path ("digests[0].sinks[1].path"); with
 * want_key, of the key naming the last component.  When a component is not
 * found, the offset of the deepest value that was.  */
size_t jloc_find(const char *text, const char *path, int want_key);

/* Offset of the second member named key (compared as written, escapes
 * and all) in the object at parent: where a duplicate key stands. */
size_t jloc_find_repeat(const char *text, const char *parent, const char *key);

/* 1-based line and column (in bytes) of offset. */
void jloc_line_col(const char *text, size_t offset, int *line, int *col);

#endif
