/* api_json.c: see api_json.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_json.h"
#include "json_text.h"

cJSON *
aj_post(const pw_host *h, pw_instance *inst, const char *url, const char *auth, cJSON *req, pw_log_level level)
{
	char *body = cJSON_PrintUnformatted(req);
	const char *headers[] = { "Content-Type: application/json", auth && *auth ? auth : NULL, NULL };
	pw_response *resp = NULL;
	cJSON *json = NULL;
	cJSON_Delete(req);
	if (!body || h->http_request(inst, "POST", url, headers, body, strlen(body), 0, &resp) != PW_OK)
		goto out;
	size_t len;
	const char *text = h->response_body(inst, resp, &len);
	long code = h->response_code(inst, resp);
	if (code != 200) {
		h->log(inst, level, "HTTP %ld from %s: %.200s", code, url, text);
		goto out;
	}
	long invalid = 0;
	json = jt_parse(text, len, &invalid);
	if (invalid) {
		h->log(inst, PW_LOG_WARNING, "%s: %ld escaped NUL characters replaced by U+FFFD", url, invalid);
		h->report_count(inst, "invalid text", invalid);
	}
	if (!json)
		h->log(inst, level, "%s: malformed answer: not JSON", url);
out:
	cJSON_free(body);
	h->response_free(inst, resp);
	return json;
}

char *
aj_chat_ask(const pw_host *h, pw_instance *inst, const aj_chat *c, const char *prompt, cJSON *extra,
            long *prompt_tokens, long *completion_tokens)
{
	char url[2048];
	snprintf(url, sizeof url, "%s/chat/completions", c->endpoint);
	cJSON *req = cJSON_CreateObject(), *msgs = cJSON_AddArrayToObject(req, "messages");
	cJSON *sys = cJSON_CreateObject(), *user = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "model", c->model);
	cJSON_AddStringToObject(sys, "role", "system");
	cJSON_AddStringToObject(sys, "content", c->system);
	cJSON_AddStringToObject(user, "role", "user");
	cJSON_AddStringToObject(user, "content", prompt);
	cJSON_AddItemToArray(msgs, sys);
	cJSON_AddItemToArray(msgs, user);
	cJSON_AddNumberToObject(req, "temperature", c->temperature);
	cJSON_AddNumberToObject(req, "max_tokens", (double)c->max_tokens);
	for (cJSON *e = extra ? extra->child : NULL, *next; e; e = next) {
		next = e->next;
		cJSON_AddItemToObject(req, e->string, cJSON_DetachItemViaPointer(extra, e));
	}
	cJSON_Delete(extra);
	*prompt_tokens = *completion_tokens = 0;
	cJSON *json = aj_post(h, inst, url, c->auth, req, PW_LOG_WARNING);
	if (!json)
		return NULL;
	const cJSON *choice = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(json, "choices"), 0);
	const cJSON *content =
	        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(choice, "message"), "content");
	char *answer = NULL;
	if (!cJSON_IsString(content)) {
		h->log(inst, PW_LOG_WARNING, "%s: malformed answer: no choices[0].message.content", url);
	} else {
		const cJSON *usage = cJSON_GetObjectItemCaseSensitive(json, "usage");
		const cJSON *in = cJSON_GetObjectItemCaseSensitive(usage, "prompt_tokens");
		const cJSON *out = cJSON_GetObjectItemCaseSensitive(usage, "completion_tokens");
		const cJSON *total = cJSON_GetObjectItemCaseSensitive(usage, "total_tokens");
		*prompt_tokens = cJSON_IsNumber(in) ? (long)in->valuedouble : (long)(strlen(prompt) / 4);
		*completion_tokens = cJSON_IsNumber(out) ? (long)out->valuedouble : 0;
		if (!cJSON_IsNumber(in) && cJSON_IsNumber(total))
			*prompt_tokens = (long)total->valuedouble - *completion_tokens;
		answer = strdup(content->valuestring);
	}
	cJSON_Delete(json);
	return answer;
}
