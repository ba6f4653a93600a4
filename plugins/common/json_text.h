/* json_text.h: JSON from an API, parsed without losing text: cJSON ends a
 * string at an escaped NUL (\u0000), which would silently cut a title or an
 * abstract, so each one is replaced by U+FFFD first, as the host replaces
 * every other invalid character, and counted. */
#ifndef PW_JSON_TEXT_H
#define PW_JSON_TEXT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Parses len bytes of text; *replaced (may be NULL) counts the escaped
 * NULs replaced.  NULL when it is not JSON. */
cJSON *jt_parse(const char *text, size_t len, long *replaced);

#endif
