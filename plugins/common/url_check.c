/* url_check.c: see url_check.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "url_check.h"

int
uc_check_url(const pw_host *h, pw_instance *inst, const char *key, const char *url, int allow_file)
{
	static const char *const schemes[] = { "https://", "http://", "file://" };
	if (!url)
		return 0;
	for (size_t i = 0; i < (allow_file ? 3u : 2u); i++) {
		size_t n = strlen(schemes[i]);
		if (strncasecmp(url, schemes[i], n) == 0 && url[n] && url[n] != ' ')
			return 0;
	}
	h->log(inst, PW_LOG_ERROR, "%s: \"%.200s\" is not an http:// or https://%s URL", key, url,
	       allow_file ? " (or file://)" : "");
	return -1;
}
