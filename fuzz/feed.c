/* Any feed: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 (feed plugin). */
#include <stddef.h>

#include "fuzz_driver.h"

const char *const fuzz_options[] = { "{\"url\": \"http://f/feed\"}", NULL };
