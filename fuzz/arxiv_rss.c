/* arXiv's RSS listing, 2024 RSS 2.0 and legacy RDF (arxiv plugin, mode listing). */
#include <stddef.h>

#include "fuzz_driver.h"

const char *const fuzz_options[] = {
	"{\"categories\": [\"cs\"], \"announce\": [\"all\"], \"catch_up\": false, \"base_url\": \"http://f/\"}",
	"{\"categories\": [\"cs.LG\"], \"catch_up\": false, \"enrich\": true, \"base_url\": \"http://f/\", "
	"\"api_url\": \"http://f/api\"}",
	NULL
};
