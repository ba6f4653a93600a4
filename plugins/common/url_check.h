/* url_check.h: refusing a mistyped URL option at `check` ("htp://...",
 * "https//..."), where it would otherwise fail every run as if the
 * network were down.  Linked into the plugins that take URLs. */
#ifndef PW_URL_CHECK_H
#define PW_URL_CHECK_H

#include "paperwire/plugin.h"

/* 0 when url is NULL (the option is unset) or starts http://, https:// or,
 * with allow_file, file:// followed by something; else logs an error
 * naming key and returns -1. */
int uc_check_url(const pw_host *h, pw_instance *inst, const char *key, const char *url, int allow_file);

#endif
