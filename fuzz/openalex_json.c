/* OpenAlex's JSON: a work looked up by DOI, then its related works
 * (related plugin, provider openalex). */
#include <stddef.h>

#include "fuzz_driver.h"

const char *const fuzz_options[] = {
	"{\"provider\": \"openalex\", \"seeds\": [\"arXiv:2312.07559\"], \"base_url\": \"http://f\"}", NULL
};
