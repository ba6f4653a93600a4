/* embed_remote.h: the "openai" backend of the embedding scorer. */
#ifndef PW_EMBED_REMOTE_H
#define PW_EMBED_REMOTE_H

#include "embedding.h"

int remote_configure(const pw_host *h, pw_instance *inst, struct embedding *e);
pw_status remote_prepare(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_delivery *papers);
pw_status remote_score(const pw_host *h, pw_instance *inst, struct embedding *e, const pw_record *rec, double *value,
                       char *reason, size_t size);
void remote_free(struct embedding *e);

#endif
