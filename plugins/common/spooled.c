/* spooled.c: see spooled.h. */
#include <stdio.h>

#include "spooled.h"

pw_status
spooled_fetch(const pw_host *h, pw_instance *inst, const char *url, const char *what, const char *unit,
              spooled_reader read, void *ud)
{
	pw_response *resp = NULL;
	char err[512] = "";
	pw_status st = h->http_get(inst, url, PW_HTTP_CONDITIONAL | PW_HTTP_SPOOL, &resp);
	if (st != PW_OK)
		return st;
	long code = h->response_code(inst, resp);
	if (code == 304) {
		h->response_free(inst, resp);
		char note[128];
		snprintf(note, sizeof note, "%s unchanged since the last run (HTTP 304)", what);
		h->report_note(inst, note);
		return PW_OK;
	}
	if (code != 200) {
		h->log(inst, PW_LOG_ERROR, "HTTP %ld from %s", code, url);
		h->response_free(inst, resp);
		return code == 408 || code == 429 || code >= 500 ? PW_RETRY : PW_ERROR;
	}
	size_t len = 0;
	const char *body = h->response_body(inst, resp, &len);
	int fd = h->response_fd(inst, resp);
	int batch = h->emit_begin(inst) == PW_OK;
	int rc = read(ud, fd, body, len, err, sizeof err);
	if (batch)
		h->emit_end(inst, rc == 0);
	h->response_free(inst, resp);
	if (rc < 0) {
		h->log(inst, PW_LOG_ERROR, "%s: %s%s%s%s", url, err, batch ? " (no " : "", batch ? unit : "",
		       batch ? " of it was kept)" : "");
		return PW_ERROR;
	}
	return PW_OK;
}
