/* An entry function that returns no descriptor: must be refused. */
#include <stddef.h>

#include "paperwire/plugin.h"

PW_EXPORT const pw_plugin *pw_plugin_entry(void);

PW_EXPORT const pw_plugin *
pw_plugin_entry(void)
{
	return NULL;
}
