/* email.c: the digest as one e-mail (multipart/alternative: plain text,
 * then HTML) sent over SMTP through libcurl.  TLS is required unless the
 * config says "none" (a local relay or tests), and then it warns.  A
 * failed send fails the sink, so the papers stay pending and the next run
 * sends them once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "../common/field_view.h"
#include "../common/sink_util.h"
#include "email_mime.h"
#include "../common/bundled.h"
#include "paperwire/plugin.h"

static const pw_option email_options[] = {
	{ PW_OPTION("url", PW_OPT_STRING, NULL, 1,
	            "the SMTP server: smtp://host:587 (starttls, none) or smtps://host:465 (implicit)") },
	{ PW_OPTION("tls", PW_OPT_STRING, "starttls", 0,
	            "starttls (required, the default), implicit (smtps://) or none (a local relay or tests; warns)"),
	  .choices = "starttls|implicit|none" },
	{ PW_OPTION("from", PW_OPT_STRING, NULL, 1, "the sender address") },
	{ PW_OPTION("to", PW_OPT_STRING_LIST, NULL, 1, "the recipients") },
	{ PW_OPTION("username", PW_OPT_STRING, NULL, 0, "SMTP user name") },
	{ PW_OPTION("password", PW_OPT_STRING, NULL, 0,
	            "SMTP password; write \"${SMTP_PASSWORD}\" to keep it out of the file") },
	{ PW_OPTION("subject", PW_OPT_STRING, NULL, 0,
	            "the subject (default: \"paperwire: <digest>: <n> new papers\")") },
	{ PW_OPTION("send_empty", PW_OPT_BOOL, "false", 0, "on a day with nothing new, send a short note saying why") },
	{ PW_OPTION("timeout", PW_OPT_INT, "60", 0, "seconds the whole SMTP exchange may take"), .range = "1..3600" },
	{ PW_OPTION("ca_file", PW_OPT_STRING, NULL, 0,
	            "a PEM file of certificate authorities to trust (a private relay)") },
	PW_OPTIONS_END
};

struct email {
	const char *url, *from, *username, *password, *subject, *ca_file;
	long use_ssl;
	int send_empty;
	int64_t timeout;
};

static pw_status
email_create(const pw_host *h, pw_instance *inst, void **state)
{
	const char *tls = h->config_string(inst, "tls");
	struct email *e = calloc(1, sizeof *e);
	if (!e)
		return PW_ERROR;
	e->url = h->config_string(inst, "url");
	e->from = h->config_string(inst, "from");
	e->username = h->config_string(inst, "username");
	e->password = h->config_string(inst, "password");
	e->subject = h->config_string(inst, "subject");
	e->ca_file = h->config_string(inst, "ca_file");
	e->timeout = 60;
	h->config_int(inst, "timeout", &e->timeout);
	h->config_bool(inst, "send_empty", &e->send_empty);
	int smtps = strncmp(e->url, "smtps://", 8) == 0, smtp = strncmp(e->url, "smtp://", 7) == 0;
	if (strcmp(tls, "starttls") == 0 && smtp) {
		e->use_ssl = CURLUSESSL_ALL;
	} else if (strcmp(tls, "implicit") == 0 && smtps) {
		e->use_ssl = CURLUSESSL_ALL;
	} else if (strcmp(tls, "none") == 0 && smtp) {
		e->use_ssl = CURLUSESSL_NONE;
		h->log(inst, PW_LOG_WARNING, "tls is \"none\": %s unencrypted; use it only for a local relay",
		       e->password ? "the message and the password travel" : "the message travels");
	} else {
		h->log(inst, PW_LOG_ERROR,
		       "tls \"%s\" does not fit url %s: starttls and none take smtp://, "
		       "implicit takes smtps://",
		       tls, e->url);
		goto config_error;
	}
	if (!mime_address_ok(e->from)) {
		h->log(inst, PW_LOG_ERROR, "\"from\" is not a plain address: %s", e->from);
		goto config_error;
	}
	size_t nto = h->config_list_count(inst, "to");
	if (nto == 0) {
		h->log(inst, PW_LOG_ERROR, "\"to\" names no recipient");
		goto config_error;
	}
	for (size_t i = 0; i < nto; i++)
		if (!mime_address_ok(h->config_list_at(inst, "to", i))) {
			h->log(inst, PW_LOG_ERROR, "to[%zu] is not a plain address", i);
			goto config_error;
		}
	*state = e;
	return PW_OK;
config_error:
	free(e);
	return PW_CONFIG_ERROR;
}

static void
email_destroy(const pw_host *h, pw_instance *inst, void *state)
{
	free(state);
}

static void
list_text(const pw_host *h, pw_instance *inst, const pw_record *rec, const char *field, mbuf *b, int html)
{
	for (size_t i = 0; i < h->record_count(inst, rec, field); i++) {
		if (i)
			mbuf_puts(b, ", ");
		if (html)
			su_html_escape(b, h->record_get_at(inst, rec, field, i));
		else
			mbuf_puts(b, h->record_get_at(inst, rec, field, i));
	}
}

static void
scores_text(const pw_host *h, pw_instance *inst, const pw_record *rec, mbuf *b, int html)
{
	if (!html) {
		su_scores_text(h, inst, rec, b);
		return;
	}
	mbuf plain = { 0 };
	su_scores_text(h, inst, rec, &plain);
	char *text = mbuf_take(&plain);
	su_html_escape(b, text ? text : "");
	free(text);
}

/* The fields at one place of a paper, as their plugins declared them. */
static void
fields_at(const pw_host *h, pw_instance *inst, const pw_record *rec, mbuf *b, int html, uint32_t attach, int labels)
{
	if (html)
		fv_html_at(h, inst, rec, attach, labels, b, su_html_escape);
	else
		fv_text_at(h, inst, rec, attach, labels, b, "   ");
}

static const char *
empty_reason(const pw_host *h, pw_instance *inst, const pw_delivery *d)
{
	const char *r = h->delivery_info(inst, d, PW_D_EMPTY_REASON);
	return r && *r ? r : "nothing was selected";
}

static void
text_body(const pw_host *h, pw_instance *inst, const pw_delivery *d, mbuf *b)
{
	size_t n = h->delivery_count(inst, d);
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	mbuf_printf(b, "paperwire: %s, %s\n\n", digest ? digest : "digest", h->delivery_info(inst, d, PW_D_RUN_TIME));
	if (n == 0)
		mbuf_printf(b, "Nothing new today: %s.\n\n", empty_reason(h, inst, d));
	for (size_t i = 0; i < n; i++) {
		const pw_record *rec = h->delivery_record(inst, d, i);
		const char *url = h->record_get(inst, rec, PW_F_URL);
		const char *abstract = h->record_get(inst, rec, PW_F_ABSTRACT);
		mbuf_printf(b, "%zu. %s\n", i + 1, h->record_get(inst, rec, PW_F_TITLE));
		fields_at(h, inst, rec, b, 0, PW_ATTACH_TITLE, 0);
		mbuf_puts(b, "   ");
		list_text(h, inst, rec, PW_F_AUTHORS, b, 0);
		mbuf_printf(b, "\n   %s\n   Score ", su_is_web_url(url) ? url : h->record_get(inst, rec, PW_F_ID));
		scores_text(h, inst, rec, b, 0);
		mbuf_puts(b, "\n");
		fields_at(h, inst, rec, b, 0, PW_ATTACH_PAPER, 1);
		if (abstract)
			mbuf_printf(b, "   %s\n", abstract);
		fields_at(h, inst, rec, b, 0, PW_ATTACH_ABSTRACT, 0);
		fields_at(h, inst, rec, b, 0, PW_ATTACH_PAPER, 0);
		mbuf_puts(b, "\n");
	}
	mbuf_puts(b, "-- \nSent by paperwire. Thank you to arXiv for use of its open access interoperability.\n");
}

static void
html_body(const pw_host *h, pw_instance *inst, const pw_delivery *d, mbuf *b)
{
	size_t n = h->delivery_count(inst, d);
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	mbuf_puts(b,
	          "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>\n"
	          "<body style=\"font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:1.45;"
	          "color:#222;max-width:720px;margin:0 auto;padding:12px\">\n<h2 style=\"font-size:20px\">paperwire: ");
	su_html_escape(b, digest ? digest : "digest");
	mbuf_puts(b, "</h2>\n");
	if (n == 0) {
		mbuf_puts(b, "<p>Nothing new today: ");
		su_html_escape(b, empty_reason(h, inst, d));
		mbuf_puts(b, ".</p>\n");
	}
	for (size_t i = 0; i < n; i++) {
		const pw_record *rec = h->delivery_record(inst, d, i);
		const char *url = h->record_get(inst, rec, PW_F_URL);
		const char *abstract = h->record_get(inst, rec, PW_F_ABSTRACT);
		/* Only an http(s) URL becomes a link; the title stays either way. */
		int linked = su_is_web_url(url);
		if (url && !linked)
			h->log(inst, PW_LOG_WARNING, "paper %s: its link is not http(s); sent without it",
			       h->record_get(inst, rec, PW_F_ID));
		mbuf_printf(b,
		            "<div style=\"border-top:1px solid #ddd;padding:10px 0\">\n"
		            "<p style=\"margin:0 0 4px;font-size:16px\"><b>%zu. ",
		            i + 1);
		if (linked) {
			mbuf_puts(b, "<a style=\"color:#1a4f9c\" href=\"");
			su_html_escape(b, url);
			mbuf_puts(b, "\">");
		}
		su_html_escape(b, h->record_get(inst, rec, PW_F_TITLE));
		mbuf_puts(b, linked ? "</a></b></p>\n" : "</b></p>\n");
		fields_at(h, inst, rec, b, 1, PW_ATTACH_TITLE, 0);
		mbuf_puts(b, "<p style=\"margin:4px 0;color:#555\">");
		list_text(h, inst, rec, PW_F_AUTHORS, b, 1);
		mbuf_puts(b, "</p>\n<p style=\"margin:4px 0;color:#555\">Score ");
		scores_text(h, inst, rec, b, 1);
		mbuf_puts(b, "</p>\n");
		fields_at(h, inst, rec, b, 1, PW_ATTACH_PAPER, 1);
		if (abstract) {
			mbuf_puts(b, "<p style=\"margin:4px 0\">");
			su_html_escape(b, abstract);
			mbuf_puts(b, "</p>\n");
		}
		fields_at(h, inst, rec, b, 1, PW_ATTACH_ABSTRACT, 0);
		fields_at(h, inst, rec, b, 1, PW_ATTACH_PAPER, 0);
		mbuf_puts(b, "</div>\n");
	}
	mbuf_puts(b, "<p style=\"color:#888;font-size:12px\">Sent by paperwire. Thank you to arXiv for use of its open "
	             "access interoperability.</p>\n</body></html>\n");
}

/* The Message-ID: a delivery the host tracks has an attempt id that stays
 * the same when a run that died during the sending is followed by one that
 * sends again, so receivers can drop the copy; an untracked one (an empty
 * day, an older host) gets a random one. */
static void
message_id(const pw_host *h, pw_instance *inst, const struct email *e, const pw_delivery *d, char *out, size_t size)
{
	const char *attempt = h->delivery_info(inst, d, PW_D_ATTEMPT);
	char id[33];
	if (attempt && *attempt && strlen(attempt) < 64 && strspn(attempt, "0123456789abcdef") == strlen(attempt)) {
		snprintf(out, size, "<paperwire.%s@%s>", attempt, strchr(e->from, '@') + 1);
		return;
	}
	mime_random_hex(id, sizeof id);
	snprintf(out, size, "<%s@%s>", id, strchr(e->from, '@') + 1);
}

static void
build_message(const pw_host *h, pw_instance *inst, const struct email *e, const pw_delivery *d, const char *msgid,
              mbuf *m)
{
	char date[64], boundary[40], subject[512];
	const char *digest = h->delivery_info(inst, d, PW_D_DIGEST);
	size_t n = h->delivery_count(inst, d);
	mbuf text = { 0 }, html = { 0 };

	su_rfc822((int64_t)time(NULL), date, sizeof date);
	mime_random_hex(boundary, 25);
	if (e->subject)
		snprintf(subject, sizeof subject, "%s", e->subject);
	else if (n)
		snprintf(subject, sizeof subject, "paperwire: %s: %zu new paper%s", digest ? digest : "digest", n,
		         n == 1 ? "" : "s");
	else
		snprintf(subject, sizeof subject, "paperwire: %s: nothing new today", digest ? digest : "digest");

	mbuf_printf(m, "Date: %s\r\nFrom: paperwire <%s>\r\nTo: ", date, e->from);
	for (size_t i = 0; i < h->config_list_count(inst, "to"); i++)
		mbuf_printf(m, "%s<%s>", i ? ",\r\n " : "", h->config_list_at(inst, "to", i));
	mbuf_puts(m, "\r\nSubject: ");
	mime_header_text(m, subject, 9);
	mbuf_printf(m,
	            "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
	            "Content-Type: multipart/alternative; boundary=\"pw-%s\"\r\n\r\n",
	            msgid, boundary);
	text_body(h, inst, d, &text);
	html_body(h, inst, d, &html);
	/* Alternatives in increasing preference: plain text first (RFC 2046). */
	mbuf_printf(m,
	            "--pw-%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	            "Content-Transfer-Encoding: base64\r\n\r\n",
	            boundary);
	mime_base64(m, text.s ? text.s : "", text.len);
	mbuf_printf(m,
	            "--pw-%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	            "Content-Transfer-Encoding: base64\r\n\r\n",
	            boundary);
	mime_base64(m, html.s ? html.s : "", html.len);
	mbuf_printf(m, "--pw-%s--\r\n", boundary);
	if (text.failed || html.failed)
		m->failed = 1;
	mbuf_free(&text);
	mbuf_free(&html);
}

struct reader {
	const char *data;
	size_t len, off;
};

static size_t
read_message(char *buf, size_t size, size_t nitems, void *ud)
{
	struct reader *r = ud;
	size_t n = size * nitems;
	if (n > r->len - r->off)
		n = r->len - r->off;
	memcpy(buf, r->data + r->off, n);
	r->off += n;
	return n;
}

static pw_status
email_write(const pw_host *h, pw_instance *inst, void *state, const pw_delivery *d)
{
	const struct email *e = state;
	size_t n = h->delivery_count(inst, d);
	char from[320], msgid[400], errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL;
	mbuf m = { 0 };
	pw_status st = PW_ERROR;

	if (n == 0 && !e->send_empty) {
		h->log(inst, PW_LOG_INFO, "nothing new: no message sent (send_empty is false)");
		return PW_OK;
	}
	message_id(h, inst, e, d, msgid, sizeof msgid);
	build_message(h, inst, e, d, msgid, &m);
	CURL *c = curl_easy_init();
	if (!c || m.failed) {
		h->log(inst, PW_LOG_ERROR, "out of memory building the message");
		goto out;
	}
	snprintf(from, sizeof from, "<%s>", e->from);
	for (size_t i = 0; i < h->config_list_count(inst, "to"); i++) {
		char to[320];
		snprintf(to, sizeof to, "<%s>", h->config_list_at(inst, "to", i));
		rcpt = curl_slist_append(rcpt, to);
	}
	struct reader rd = { m.s, m.len, 0 };
	curl_easy_setopt(c, CURLOPT_URL, e->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, e->use_ssl);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &rd);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)e->timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (e->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, e->ca_file);
	if (e->username)
		curl_easy_setopt(c, CURLOPT_USERNAME, e->username);
	if (e->password)
		curl_easy_setopt(c, CURLOPT_PASSWORD, e->password);
	/* From here the message may reach the relay even if this run dies or
	 * times out waiting for its answer: the host records its Message-ID
	 * first, and a later run sends these papers again under it. */
	if (h->effect_begin(inst, msgid) != PW_OK) {
		st = PW_RETRY;
		goto out;
	}
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		h->log(inst, PW_LOG_ERROR, "sending to %s failed: %s%s%s", e->url, curl_easy_strerror(rc),
		       errbuf[0] ? ": " : "", errbuf);
		goto out;
	}
	size_t to = h->config_list_count(inst, "to");
	h->log(inst, PW_LOG_INFO, "sent %zu paper%s to %zu recipient%s", n, n == 1 ? "" : "s", to, to == 1 ? "" : "s");
	st = PW_OK;
out:
	curl_slist_free_all(rcpt);
	if (c)
		curl_easy_cleanup(c);
	mbuf_free(&m);
	return st;
}

static const pw_plugin email_plugin = {
	PW_BUNDLED_PLUGIN("email", PW_KIND_SINK, PW_NO_FLAGS, "0.1.0"),
	.description = "one digest e-mail over SMTP (TLS by default), plain text and HTML",
	PW_OPTIONS(email_options),
	PW_BUNDLED_CALLBACKS(email, write),
};

PW_PLUGIN_DEFINE(email_plugin)
