/* The arXiv API's Atom pages (arxiv plugin, mode api, paging). */
#include <stddef.h>

#include "fuzz_driver.h"

const char *const fuzz_options[] = { "{\"query\": \"all:x\", \"max_results\": 20, \"page_size\": 10, \"catch_up\": "
	                             "false, \"base_url\": \"http://f/\"}",
	                             "{\"ids\": [\"2401.00001\", \"hep-th/9901001v2\"], \"base_url\": \"http://f/\"}",
	                             NULL };
