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

/* One /chat/completions call of a system and a user message: the answer's
 * text (malloc'd), or NULL with the reason logged as a warning.  extra
 * (taken, may be NULL) is merged into the request (response_format, ...).
 * The tokens the answer says it used go to *prompt_tokens and
 * *completion_tokens (estimated from the prompt's length when it says
 * nothing). */
typedef struct aj_chat {
	const char *endpoint, *auth, *model, *system;
	double temperature;
	long max_tokens;
} aj_chat;

char *aj_chat_ask(const pw_host *h, pw_instance *inst, const aj_chat *c, const char *prompt, cJSON *extra,
                  long *prompt_tokens, long *completion_tokens);

#endif
