/* email_mime.h: the pieces of an RFC 5322 / MIME message, built safely
 * from untrusted paper text. */
#ifndef PW_EMAIL_MIME_H
#define PW_EMAIL_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "../common/sink_util.h"

/* A header value: CR, LF and NUL (and other controls) removed; non-ASCII
 * text as RFC 2047 encoded words (UTF-8, base64), folded so that no line
 * passes 78 characters.  `name_len` is the length of "Subject: ". */
void mime_header_text(mbuf *out, const char *value, size_t name_len);

/* 1 when addr is a plain address: no CR, LF, space, '<', '>' or ',' and
 * one '@' with text on both sides. */
int mime_address_ok(const char *addr);

/* Appends data as base64 in lines of 76 characters, CRLF-terminated. */
void mime_base64(mbuf *out, const char *data, size_t len);

/* Fills out with size-1 random hex characters. */
void mime_random_hex(char *out, size_t size);

#endif
