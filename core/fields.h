/* fields.h: the field declarations of a run (plugin ABI 2.1): how each
 * extension field a plugin adds is shown.  One table for the process, as
 * a process runs one config; the host and the mock host both use it.
 * Declarations are scoped by digest (scope: its name), since only a
 * digest's own enrichers fill the records its sinks show: two digests may
 * each have a summary by their own model.  A source's declarations
 * (scope NULL) hold in every digest. */
#ifndef PW_FIELDS_H
#define PW_FIELDS_H

#include <stddef.h>

#include "paperwire/plugin.h"

/* Declares field (field_size bytes as its plugin was built) in scope for
 * the instance called declarer.  0, or -1 with why in err: an invalid
 * declaration, another declaration of the same name in the scope (or,
 * for a source's, in any), no memory. */
int fields_declare(const char *scope, const char *declarer, const pw_field *field, size_t field_size, char *err,
                   size_t err_size);
/* The declaration of name in scope, else a source's, or NULL. */
const pw_field *fields_lookup(const char *scope, const char *name);
/* Forgets every declaration (tests; a host running a second config). */
void fields_reset(void);

#endif
