/* OAI-PMH ListRecords pages, arXiv and oai_dc formats (arxiv plugin, mode oai). */
#include <stddef.h>

#include "fuzz_driver.h"

const char *const fuzz_options[] = {
	"{\"mode\": \"oai\", \"from\": \"2024-01-25\", \"sets\": [\"cs\"], \"base_url\": \"http://f/oai\"}",
	"{\"mode\": \"oai\", \"format\": \"oai_dc\", \"from\": \"2024-01-25\", \"base_url\": \"http://f/oai\"}",
	"{\"mode\": \"oai\", \"from\": \"2024-01-25\", \"categories\": [\"cs.LG\"], \"base_url\": \"http://f/oai\"}",
	NULL
};
