/* ratings_cmd.h: `paperwire like`, `dislike`, `unrate` and `ratings`: the
 * reader's thumbs up and down, kept in the store per digest, which the
 * embedding scorer learns from. */
#ifndef PW_RATINGS_CMD_H
#define PW_RATINGS_CMD_H

#include <stddef.h>

#include "config.h"

/* command: "like", "dislike", "unrate" or "ratings"; digest: --digest or
 * NULL (then the config must have one digest).  Runs in the config's
 * directory.  Returns the exit status (pipeline.h's PW_EXIT_*). */
int ratings_command(const pw_config *cfg, const char *command, const char *digest, char *const *ids, size_t nids);

/* The digest a command means: the one named, or the config's only one;
 * NULL (logged, with the names it has) otherwise. */
const char *ratings_pick_digest(const pw_config *cfg, const char *command, const char *digest);
/* The stored form of a rated paper's id (an arXiv id without version, or
 * a DOI) into out; -1 when raw is neither. */
int ratings_paper_id(const char *raw, char *out, size_t size);

#endif
