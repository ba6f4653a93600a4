/* Semantic Scholar's JSON: citations and references (offset/next paging),
 * recommendations (related plugin). */
#include <stddef.h>

#include "fuzz_driver.h"

const char *const fuzz_options[] = {
	"{\"mode\": \"citations\", \"seeds\": [\"CorpusID:1\"], \"max_results\": 300, \"base_url\": \"http://f\"}",
	"{\"mode\": \"references\", \"seeds\": [\"10.1/x\"], \"max_results\": 300, \"base_url\": \"http://f\"}",
	"{\"seeds\": [\"arXiv:2401.00001\"], \"base_url\": \"http://f\"}",
	"{\"seeds\": [\"arXiv:2401.00001\"], \"negative\": [\"10.1/y\"], \"base_url\": \"http://f\"}", NULL
};
