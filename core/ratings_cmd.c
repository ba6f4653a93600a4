/* ratings_cmd.c: see ratings_cmd.h.  Every id is checked before the store
 * changes, so a typo in the third of five ids changes nothing. */
#include "autoconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../plugins/common/edit_distance.h"
#include "ident.h"
#include "log.h"
#include "pipeline.h"
#include "ratings_cmd.h"
#include "record.h"
#include "store.h"

/* The digest the ratings are for: the one named, or the config's only one. */
const char *
ratings_pick_digest(const pw_config *cfg, const char *command, const char *digest)
{
	const char *names[64];
	size_t n = 0;
	for (size_t i = 0; i < cfg->ndigests && n < sizeof names / sizeof names[0]; i++)
		names[n++] = cfg->digests[i].name;
	if (!digest && cfg->ndigests == 1)
		return cfg->digests[0].name;
	for (size_t i = 0; digest && i < n; i++)
		if (strcmp(names[i], digest) == 0)
			return names[i];
	char list[1024] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
	if (!digest) {
		log_msg(PW_LOG_ERROR, NULL, "%s: the config has %zu digests (%s): say which with --digest NAME",
		        command, cfg->ndigests, list);
		return NULL;
	}
	const char *near = ed_closest(digest, names, n, 2);
	log_msg(PW_LOG_ERROR, NULL, "%s: no digest \"%s\" in %s (its digests: %s)%s%s%s", command, digest, cfg->file,
	        list, near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
	return NULL;
}

int
ratings_paper_id(const char *raw, char *out, size_t size)
{
	int kind = ident_classify(raw, out, size, NULL);
	return kind == 1 || (kind == 0 && strncmp(out, "10.", 3) == 0 && strchr(out, '/')) ? 0 : -1;
}

static void
describe_paper(pw_store *s, const char *id, char *out, size_t size)
{
	pw_record *rec = store_paper_get(s, id);
	const char *title = rec ? rec_get(rec, PW_F_TITLE) : NULL;
	if (title)
		snprintf(out, size, "\"%.120s\"", title);
	else
		snprintf(out, size, "not in the store yet: it counts from the run that fetches it");
	rec_free(rec);
}

struct listing {
	size_t count;
};

static void
print_rating(void *ud, const char *id, int rating, int64_t rated_at, const pw_record *rec)
{
	struct listing *l = ud;
	char day[16];
	time_t t = (time_t)rated_at;
	strftime(day, sizeof day, "%Y-%m-%d", gmtime(&t));
	const char *title = rec ? rec_get(rec, PW_F_TITLE) : NULL;
	printf("%-8s %-24s %s  %s\n", rating > 0 ? "like" : "dislike", id, day,
	       title ? title : "(not in the store yet)");
	l->count++;
}

static int
list_ratings(pw_store *s, const char *digest)
{
	struct listing l = { 0 };
	if (store_ratings_each(s, digest, print_rating, &l) < 0)
		return -1;
	if (l.count == 0)
		printf("no ratings in digest %s: 'paperwire like ID' and 'paperwire dislike ID' give some\n", digest);
	return 0;
}

static int
rate(pw_store *s, const char *command, const char *digest, char ids[][128], size_t n)
{
	int rating = strcmp(command, "like") == 0 ? 1 : strcmp(command, "dislike") == 0 ? -1 : 0;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < n; i++) {
		char about[256];
		int changed = store_rating_set(s, digest, ids[i], rating, now);
		if (changed < 0)
			return -1;
		describe_paper(s, ids[i], about, sizeof about);
		if (rating)
			printf("%s %s in digest %s (%s)\n", rating > 0 ? "liked" : "disliked", ids[i], digest, about);
		else
			printf(changed ? "unrated %s in digest %s\n" : "%s was not rated in digest %s\n", ids[i],
			       digest);
	}
	return 0;
}

int
ratings_command(const pw_config *cfg, const char *command, const char *digest, char *const *ids, size_t nids)
{
	const char *name = ratings_pick_digest(cfg, command, digest);
	if (!name)
		return PW_EXIT_USAGE;
	int listing = strcmp(command, "ratings") == 0;
	if (!listing && nids == 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s: give one or more paper ids (arXiv ids in any form, or DOIs)", command);
		return PW_EXIT_USAGE;
	}
	char(*canon)[128] = calloc(nids + 1, sizeof *canon);
	if (!canon)
		return PW_EXIT_USAGE;
	for (size_t i = 0; i < nids; i++)
		if (ratings_paper_id(ids[i], canon[i], sizeof canon[i]) < 0) {
			log_msg(PW_LOG_ERROR, NULL,
			        "%s: \"%s\" is neither an arXiv id (2401.01234, arXiv:2401.01234v2, an abs or pdf URL) "
			        "nor a DOI (10.1234/abc); nothing was rated",
			        command, ids[i]);
			free(canon);
			return PW_EXIT_USAGE;
		}
	char err[1024];
	pw_store *s = store_open(cfg->store, err, sizeof err);
	if (!s) {
		int busy = errno == EWOULDBLOCK;
		log_msg(PW_LOG_ERROR, NULL, "%s%s", err,
		        busy ? "; nothing was rated, try again when the run ends" : "");
		free(canon);
		return busy ? PW_EXIT_BUSY : PW_EXIT_STORE;
	}
	int rc = listing ? list_ratings(s, name) : rate(s, command, name, canon, nids);
	if (rc < 0)
		log_msg(PW_LOG_ERROR, NULL, "%s", store_error(s));
	store_close(s);
	free(canon);
	return rc < 0 ? PW_EXIT_STORE : PW_EXIT_OK;
}
