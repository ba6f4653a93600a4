/* sha256.h: SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104), for the
 * signatures chat services ask for (Feishu, DingTalk); no crypto library
 * for two small functions. */
#ifndef PW_SHA256_H
#define PW_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t out[32]);
void hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len, uint8_t out[32]);

#endif
