/* api_json.h: one JSON POST to an OpenAI-compatible API, shared by the
 * embedding scorer and the llm enricher (linked into each). */
#ifndef PW_API_JSON_H
#define PW_API_JSON_H

#include <cjson/cJSON.h>

#include "paperwire/plugin.h"

/* POSTs req (which it frees) to url, with auth ("Authorization: Bearer
 * ...") when not empty, through the host's client.  Returns the parsed
 * answer of a 200, or NULL with the reason logged at `level`: the request
 * failed, another status, or "malformed answer: not JSON". */
cJSON *aj_post(const pw_host *h, pw_instance *inst, const char *url, const char *auth, cJSON *req, pw_log_level level);

#endif
