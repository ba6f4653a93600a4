/* spooled.h: the fetch every feed-shaped source does: a conditional GET
 * spooled to a file, its body read inside one emit batch. */
#ifndef PW_SPOOLED_H
#define PW_SPOOLED_H

#include <stddef.h>

#include "paperwire/plugin.h"

/* Reads one body: fd >= 0 (spooled), else body/len.  Returns 0, or -1
 * with the reason in err. */
typedef int (*spooled_reader)(void *ud, int fd, const char *body, size_t len, char *err, size_t err_size);

/* GETs url (conditional; spooled when the host can) and hands a 200 body
 * to read between emit_begin and emit_end, so a body that fails to read
 * keeps none of its records.  A 304 is a success, noted as "<what>
 * unchanged since the last run"; another status is an error (429 and 5xx
 * transient).  unit names a record in the log ("paper", "item"). */
pw_status spooled_fetch(const pw_host *h, pw_instance *inst, const char *url, const char *what, const char *unit,
                        spooled_reader read, void *ud);

#endif
