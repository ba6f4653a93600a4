/* api_json.c: see api_json.h. */
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
