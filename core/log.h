/* log.h: the host's logging to stderr, with secrets masked.
 *
 * The one place a run speaks: "paperwire: LEVEL: PREFIX: message", the
 * prefix naming the instance or the part that speaks.  Errors are logged
 * where they are handled (not where they are found), once; a function that
 * only detects an error returns it with its reason (see store.h, http.h,
 * config.h). */
#ifndef PW_LOG_H
#define PW_LOG_H

#include <stdarg.h>
#include "paperwire/plugin.h"

void log_set_level(pw_log_level level);
/* A value that must never reach a log line (it came from ${ENV}). */
void log_add_secret(const char *value);
void log_clear_secrets(void);
/* 1 when text holds a registered secret. */
int log_has_secret(const char *text);
/* Replaces every registered secret in buf with "***", in place. */
void log_mask_secrets(char *buf, size_t size);

void log_msg(pw_log_level level, const char *prefix, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void log_vmsg(pw_log_level level, const char *prefix, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));
/* A transient progress line, only when stderr is a terminal. */
void log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_progress_done(void);

#endif
