/* log.c: one place writes to stderr, so secrets can be masked in one place. */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX    4096
#define LOG_MAX_SECRETS 64

static pw_log_level log_level = PW_LOG_INFO;
static char *log_secrets[LOG_MAX_SECRETS];
static size_t log_nsecrets;
static int log_progress_shown;

void
log_set_level(pw_log_level level)
{
	log_level = level;
}

void
log_add_secret(const char *value)
{
	/* Very short values would mask ordinary words; a 1-3 byte secret is
	 * not one a log line could leak meaningfully anyway. */
	if (!value || strlen(value) < 4 || log_nsecrets == LOG_MAX_SECRETS)
		return;
	for (size_t i = 0; i < log_nsecrets; i++)
		if (strcmp(log_secrets[i], value) == 0)
			return;
	log_secrets[log_nsecrets] = strdup(value);
	if (log_secrets[log_nsecrets])
		log_nsecrets++;
}

void
log_clear_secrets(void)
{
	for (size_t i = 0; i < log_nsecrets; i++)
		free(log_secrets[i]);
	log_nsecrets = 0;
}

int
log_has_secret(const char *text)
{
	for (size_t s = 0; text && s < log_nsecrets; s++)
		if (strstr(text, log_secrets[s]))
			return 1;
	return 0;
}

void
log_mask_secrets(char *buf, size_t size)
{
	for (size_t s = 0; s < log_nsecrets; s++) {
		const char *secret = log_secrets[s];
		size_t slen = strlen(secret);
		char *hit;
		while ((hit = strstr(buf, secret)) != NULL) {
			size_t tail = strlen(hit + slen) + 1;
			if ((size_t)(hit - buf) + 3 + tail > size)
				break;
			memmove(hit + 3, hit + slen, tail);
			memcpy(hit, "***", 3);
		}
	}
}

static const char *
level_name(pw_log_level level)
{
	switch (level) {
	case PW_LOG_ERROR: return "error";
	case PW_LOG_WARNING: return "warning";
	case PW_LOG_INFO: return "info";
	default: return "debug";
	}
}

/* A URL longer than this is cut in messages (an OAI-PMH resumption or an
 * id_list of 100 papers runs to kilobytes), unless -v asks for everything. */
#define URL_SHOWN 120

/* Shortens, in place, every http(s) URL in line longer than URL_SHOWN:
 * its start, then how much was left out. */
static void
shorten_urls(char *line, size_t size)
{
	char out[LOG_LINE_MAX];
	size_t o = 0;
	for (const char *p = line; *p && o + 1 < sizeof out;) {
		if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0) {
			size_t len = strcspn(p, " \t\n\"'<>");
			if (len > URL_SHOWN) {
				o += (size_t)snprintf(out + o, sizeof out - o, "%.*s...[%zu more bytes]",
				                      URL_SHOWN - 20, p, len - (URL_SHOWN - 20));
				p += len;
				continue;
			}
		}
		out[o++] = *p++;
	}
	if (o >= sizeof out)
		o = sizeof out - 1;
	out[o] = '\0';
	snprintf(line, size, "%s", out);
}

void
log_vmsg(pw_log_level level, const char *prefix, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];

	if (level > log_level)
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	log_mask_secrets(line, sizeof line);
	if (log_level < PW_LOG_DEBUG)
		shorten_urls(line, sizeof line);
	log_progress_done();
	if (prefix && *prefix)
		fprintf(stderr, "paperwire: %s: %s: %s\n", level_name(level), prefix, line);
	else
		fprintf(stderr, "paperwire: %s: %s\n", level_name(level), line);
}

void
log_msg(pw_log_level level, const char *prefix, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, prefix, fmt, ap);
	va_end(ap);
}

void
log_progress(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\r%s\033[K", line);
	log_progress_shown = 1;
}

void
log_progress_done(void)
{
	if (log_progress_shown) {
		fputs("\r\033[K", stderr);
		log_progress_shown = 0;
	}
}
