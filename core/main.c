/* main.c: the command line.  Exit 0 on success, 1 when a source or sink
 * failed, 2 on usage or config errors. */
#define _GNU_SOURCE /* strptime, timegm */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"
#include "loader.h"
#include "log.h"
#include "interrupt.h"
#include "pipeline.h"
#include "ratings_cmd.h"
#include "serve.h"

#ifndef PW_PLUGINDIR
#define PW_PLUGINDIR "/usr/local/lib/paperwire/plugins"
#endif

static const char exit_codes[] =
        "Exit status: 0 done (a day with no papers included), 1 a source or sink failed, or a\n"
        "scorer could score nothing (the next run retries), 2 usage or config error,\n"
        "3 another run holds the store (nothing was done), 4 the store cannot be used,\n"
        "130/143 interrupted (SIGINT/SIGTERM).\n";

struct command_help {
	const char *name, *synopsis, *text;
};

static const struct command_help command_helps[] = {
	{ "run", "paperwire run [-c FILE] [--dry-run] [--since DATE] [-v | -q]",
	  "Fetch, score, select, enrich and deliver, once: each selected paper reaches each\n"
	  "sink once, even across a killed run.\n\n"
	  "  -c FILE       the config (else $PAPERWIRE_CONFIG, else ./paperwire.json)\n"
	  "  --dry-run     fetch and score, print what would be delivered; write and mark\n"
	  "                nothing, call no LLM (answers already cached are used)\n"
	  "  --since DATE  fetch from DATE (YYYY-MM-DD, UTC) instead of each source's last\n"
	  "                successful run\n"
	  "  -v, -q        more (requests, timings, decisions) or less logging on stderr\n" },
	{ "check", "paperwire check [-c FILE]",
	  "Validate the config and every plugin's options, and start and stop each\n"
	  "instance; fetch and write nothing.  Every problem is named with its place.\n" },
	{ "preview", "paperwire preview [-c FILE] [--day DATE] [--digest NAME]",
	  "Weigh the papers stored for one announcement day (default: the latest) with\n"
	  "the config as it is now, and show what would be delivered next to what was\n"
	  "delivered that day: papers gained, lost and moved, with scores and reasons.\n"
	  "Fetches, writes and marks nothing: tune keywords without waiting a day.\n\n"
	  "  --day DATE     the day the papers were fetched (YYYY-MM-DD, UTC)\n"
	  "  --digest NAME  one digest (default: each)\n" },
	{ "like", "paperwire like [-c FILE] [--digest NAME] ID...",
	  "Say you want more papers like these: the embedding scorer learns from them on\n"
	  "the next run.  IDs are arXiv ids in any form (2401.01234, arXiv:2401.01234v2,\n"
	  "an abs or pdf URL) or DOIs; a paper the store does not hold yet counts from\n"
	  "the run that fetches it.  Ratings are kept in the store, per digest.\n\n"
	  "  --digest NAME  the digest they are for (needed when the config has several)\n" },
	{ "dislike", "paperwire dislike [-c FILE] [--digest NAME] ID...",
	  "Say you want fewer papers like these (see 'like').\n\n"
	  "  --digest NAME  the digest they are for (needed when the config has several)\n" },
	{ "unrate", "paperwire unrate [-c FILE] [--digest NAME] ID...",
	  "Take a like or a dislike back.\n\n"
	  "  --digest NAME  the digest they are for (needed when the config has several)\n" },
	{ "ratings", "paperwire ratings [-c FILE] [--digest NAME]",
	  "List a digest's likes and dislikes, newest first, with the day given.\n\n"
	  "  --digest NAME  the digest (needed when the config has several)\n" },
	{ "serve", "paperwire serve [-c FILE] [--digest NAME] [--port N] [--listen ADDR]",
	  "Serve the site the digest's html sink writes, on http://127.0.0.1:PORT/, with\n"
	  "what a static page cannot do: like and dislike buttons on every paper (the same\n"
	  "ratings as 'paperwire like'), a search of every stored paper and \"more like\n"
	  "this\".  Runs beside the daily runs; Ctrl-C stops it.\n\n"
	  "  --digest NAME  the digest whose site to serve (needed when several have one)\n"
	  "  --port N       the port (default 8765; 0 picks a free one and prints it)\n"
	  "  --listen ADDR  listen on ADDR instead of 127.0.0.1: reachable from other\n"
	  "                 machines, so every request then needs the key it prints\n" },
	{ "plugins", "paperwire plugins [NAME]",
	  "List the plugins found, with kind, version, ABI and file; with NAME, print that\n"
	  "plugin's options with their types and defaults.\n\n"
	  "Plugins are searched in $PAPERWIRE_PLUGIN_PATH, then the config's plugin_path,\n"
	  "then " PW_PLUGINDIR ".\n" },
	{ "help", "paperwire help [COMMAND]", "Print the help of paperwire, or of one command.\n" },
};

static const struct command_help *
find_command(const char *name)
{
	for (size_t i = 0; i < sizeof command_helps / sizeof command_helps[0]; i++)
		if (strcmp(command_helps[i].name, name) == 0)
			return &command_helps[i];
	return NULL;
}

static void
usage(FILE *out)
{
	fputs("usage:", out);
	for (size_t i = 0; i < sizeof command_helps / sizeof command_helps[0]; i++)
		fprintf(out, "%s %s\n", i ? "      " : "", command_helps[i].synopsis);
	fputs("       paperwire --help | --version\n"
	      "\n"
	      "  run       fetch, score, select, enrich and deliver, once\n"
	      "  check     validate the config and every plugin's options; run nothing\n"
	      "  preview   show what the config as it is now would select from a stored day\n"
	      "  like, dislike, unrate, ratings\n"
	      "            rate papers (the embedding scorer learns from it), list ratings\n"
	      "  serve     serve the html sink's site locally, with ratings and search\n"
	      "  plugins   list the plugins found, or print one plugin's options\n"
	      "\n"
	      "'paperwire help COMMAND' or 'paperwire COMMAND --help' tells more.\n",
	      out);
	fputs(exit_codes, out);
}

static void
command_usage(const struct command_help *c, FILE *out)
{
	fprintf(out, "usage: %s\n\n%s\n%s", c->synopsis, c->text, exit_codes);
}

struct search_path {
	char *dirs[64];
	size_t count;
};

/* The directory the config file is in: "." for a bare name, "/" for a
 * file at the root. */
static void
config_dir(const char *file, char *dir, size_t size)
{
	snprintf(dir, size, "%s", file);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else
		slash[slash == dir] = '\0';
}

/* Adds dir (relative to relative_to unless absolute) to the search path.
 * -1 with errno set when it does not resolve to an existing path. */
static int
path_add(struct search_path *sp, const char *dir, const char *relative_to)
{
	char joined[PATH_MAX * 2], resolved[PATH_MAX];
	if (!dir || !*dir || sp->count == sizeof sp->dirs / sizeof sp->dirs[0])
		return 0;
	if (dir[0] != '/' && relative_to)
		snprintf(joined, sizeof joined, "%s/%s", relative_to, dir);
	else
		snprintf(joined, sizeof joined, "%s", dir);
	if (!realpath(joined, resolved))
		return -1;
	sp->dirs[sp->count++] = strdup(resolved);
	return 0;
}

static void
path_free(struct search_path *sp)
{
	for (size_t i = 0; i < sp->count; i++)
		free(sp->dirs[i]);
	sp->count = 0;
}

static size_t
want_stage(ldr_want *w, size_t n, const cfg_instance *inst, size_t count, pw_kind kind)
{
	for (size_t i = 0; i < count; i++)
		w[n++] = (ldr_want){ inst[i].plugin, kind };
	return n;
}

/* The plugins the config names, each with its kind; malloc'd. */
static ldr_want *
config_wants(const pw_config *cfg, size_t *n)
{
	size_t total = cfg->nsources;
	for (size_t d = 0; d < cfg->ndigests; d++)
		total += cfg->digests[d].nscorers + cfg->digests[d].nenrichers + cfg->digests[d].nsinks;
	ldr_want *w = calloc(total + 1, sizeof *w);
	*n = 0;
	if (!w)
		return NULL;
	*n = want_stage(w, *n, cfg->sources, cfg->nsources, PW_KIND_SOURCE);
	for (size_t d = 0; d < cfg->ndigests; d++) {
		const cfg_digest *dg = &cfg->digests[d];
		*n = want_stage(w, *n, dg->scorers, dg->nscorers, PW_KIND_SCORER);
		*n = want_stage(w, *n, dg->enrichers, dg->nenrichers, PW_KIND_ENRICHER);
		*n = want_stage(w, *n, dg->sinks, dg->nsinks, PW_KIND_SINK);
	}
	return w;
}

/* PAPERWIRE_PLUGIN_PATH, then the config's plugin_path (relative to the
 * config's directory), then the installed plugindir.  With only_named,
 * only the plugins the config names are opened (ldr_scan_for); else every
 * file, as `check` and `plugins` want, to report each one that fails. */
static ldr_registry *
load_plugins(const pw_config *cfg, int warn_refusals, int only_named)
{
	struct search_path sp = { { 0 }, 0 };
	const char *env = getenv("PAPERWIRE_PLUGIN_PATH");
	if (env) {
		char *copy = strdup(env), *save = NULL;
		for (char *tok = copy ? strtok_r(copy, ":", &save) : NULL; tok; tok = strtok_r(NULL, ":", &save))
			if (path_add(&sp, tok, NULL) < 0)
				log_msg(PW_LOG_DEBUG, "plugins", "skipping %s: not a directory", tok);
		free(copy);
	}
	if (cfg) {
		char cfgdir[PATH_MAX];
		config_dir(cfg->file, cfgdir, sizeof cfgdir);
		for (size_t i = 0; i < cfg->nplugin_path; i++) {
			if (path_add(&sp, cfg->plugin_path[i], cfgdir) < 0) {
				/* A plugin_path the user wrote must exist: a typo would
				 * otherwise surface as "no plugin named ...". */
				log_msg(PW_LOG_ERROR, NULL,
				        "%s: plugin_path \"%s\": %s (relative paths are relative to the "
				        "config's directory)",
				        cfg->file, cfg->plugin_path[i], strerror(errno));
				path_free(&sp);
				return NULL;
			}
		}
	}
	if (path_add(&sp, PW_PLUGINDIR, NULL) < 0)
		log_msg(PW_LOG_DEBUG, "plugins", "skipping %s: not a directory", PW_PLUGINDIR);
	ldr_registry *reg = NULL;
	size_t nwants = 0;
	ldr_want *wants = cfg && only_named ? config_wants(cfg, &nwants) : NULL;
	if (wants)
		reg = ldr_scan_for((const char *const *)sp.dirs, sp.count, wants, nwants);
	else
		reg = ldr_scan((const char *const *)sp.dirs, sp.count);
	free(wants);
	path_free(&sp);
	if (reg && reg->count == 0)
		log_msg(PW_LOG_WARNING, "plugins",
		        "no plugin found (searched %s): point PAPERWIRE_PLUGIN_PATH at "
		        "them (in a build tree, BUILDDIR/plugins) or run 'make install'",
		        env ? env : "$PAPERWIRE_PLUGIN_PATH (unset), the config's plugin_path, " PW_PLUGINDIR);
	if (reg && warn_refusals)
		for (size_t i = 0; i < reg->nrefusals; i++)
			log_msg(PW_LOG_WARNING, "plugins", "%s", reg->refusals[i]);
	return reg;
}

static const char *
config_file(const char *given)
{
	if (given)
		return given;
	const char *env = getenv("PAPERWIRE_CONFIG");
	return env && *env ? env : "paperwire.json";
}

static const char *
type_name(uint32_t t)
{
	switch (t) {
	case PW_OPT_STRING: return "string";
	case PW_OPT_INT: return "integer";
	case PW_OPT_NUMBER: return "number";
	case PW_OPT_BOOL: return "boolean";
	case PW_OPT_STRING_LIST: return "array of strings";
	case PW_OPT_NUMBER_MAP: return "object of numbers";
	}
	return "?";
}

/* Text for roff: a backslash doubled, a line never starting with '.' or '\''. */
static void
roff_text(const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", stdout);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

/* Every plugin's options as paperwire.json(5) shows them, so that the
 * manual is generated from the schemas and cannot drift from the code. */
static void
print_roff_options(const pw_option *options)
{
	for (const pw_option *o = options; o && o->key; o++) {
		printf(".TP\n.B %s\n(%s", o->key, type_name(o->type));
		if (o->required) {
			printf(", required");
		} else if (o->default_value) {
			printf(", default ");
			roff_text(o->default_value);
		}
		if (o->choices) {
			printf(", one of ");
			roff_text(o->choices);
		}
		if (o->range) {
			printf(", within ");
			roff_text(o->range);
		}
		printf(")\n");
		roff_text(o->help ? o->help : "");
		printf("\n");
	}
}

static void
print_roff(const ldr_registry *reg)
{
	printf(".SS http (the host's HTTP client)\n");
	print_roff_options(cfg_http_schema_options());
	for (size_t i = 0; i < reg->count; i++) {
		const pw_plugin *d = &reg->plugins[i].desc;
		printf(".SS %s (%s)\n", d->name, ldr_kind_name(d->kind));
		roff_text(d->description ? d->description : "");
		printf("\n");
		print_roff_options(d->options);
	}
}

static void
print_plugin(const ldr_plugin *p, int separate)
{
	const pw_plugin *d = &p->desc;
	if (separate)
		printf("\n");
	printf("%s %s: %s (%s, plugin ABI %u.%u)\n%s\n", d->name, d->version ? d->version : "",
	       d->description ? d->description : "", ldr_kind_name(d->kind), d->abi.major, d->abi.minor, p->path);
	if (d->license || d->author)
		printf("licence %s, by %s\n", d->license ? d->license : "not given",
		       d->author ? d->author : "(not given)");
	printf("\nOPTIONS\n");
	printf("  plugin (string, required)\n      \"%s\"\n  name (string, default \"%s\")\n"
	       "      instance name, used in logs, reports and the store\n",
	       d->name, d->name);
	if (d->kind == PW_KIND_SCORER)
		printf("  weight (number, default 1)\n      this scorer's weight in the sum\n");
	for (const pw_option *o = d->options; o && o->key; o++) {
		printf("  %s (%s", o->key, type_name(o->type));
		if (o->required)
			printf(", required");
		else if (o->default_value)
			printf(o->type == PW_OPT_STRING ? ", default \"%s\"" : ", default %s", o->default_value);
		if (o->choices)
			printf(", one of %s", o->choices);
		if (o->range)
			printf(", within %s", o->range);
		printf(")\n      %s\n", o->help ? o->help : "");
	}
}

static int
cmd_plugins(const char *name)
{
	ldr_registry *reg = load_plugins(NULL, 1, 0);
	if (!reg)
		return 2;
	int rc = 0;
	if (name && strcmp(name, "--roff") == 0) {
		print_roff(reg);
	} else if (!name) {
		printf("%-12s %-9s %-9s %-5s %s\n", "NAME", "KIND", "VERSION", "ABI", "PATH");
		for (size_t i = 0; i < reg->count; i++) {
			const pw_plugin *d = &reg->plugins[i].desc;
			printf("%-12s %-9s %-9s %u.%-3u %s\n", d->name, ldr_kind_name(d->kind),
			       d->version ? d->version : "?", d->abi.major, d->abi.minor, reg->plugins[i].path);
		}
		if (reg->count == 0)
			printf("(no plugins found)\n");
	} else {
		if (!ldr_find(reg, name)) {
			log_msg(PW_LOG_ERROR, NULL, "no plugin named \"%s\"; 'paperwire plugins' lists them", name);
			rc = 2;
		}
		/* A name may serve two kinds: print each. */
		for (size_t i = 0; i < reg->count; i++)
			if (strcmp(reg->plugins[i].desc.name, name) == 0)
				print_plugin(&reg->plugins[i], i > 0 && ldr_find(reg, name) != &reg->plugins[i]);
	}
	ldr_registry_free(reg);
	return rc;
}

/* Every relative path in a config (the store, a sink's file, a profile's
 * library, plugin_path) is relative to the config file's directory, not to
 * wherever cron happens to start: the run works from there. */
static int
enter_config_dir(const char *file)
{
	char dir[PATH_MAX];
	config_dir(file, dir, sizeof dir);
	if (chdir(dir) < 0) {
		log_msg(PW_LOG_ERROR, NULL, "%s: cannot enter the config's directory %s: %s", file, dir,
		        strerror(errno));
		return -1;
	}
	log_msg(PW_LOG_DEBUG, NULL, "relative paths in %s are relative to %s", file, dir);
	return 0;
}

enum command { CMD_RUN, CMD_CHECK, CMD_PREVIEW };

static int
cmd_with_config(const char *file, enum command cmd, const run_options *opt)
{
	cfg_diag diag = { NULL, 0 };
	pw_config *cfg = cfg_load(file, &diag);
	int rc = PW_EXIT_USAGE;
	if (!cfg) {
		cfg_diag_print(&diag);
		cfg_diag_free(&diag);
		return PW_EXIT_USAGE;
	}
	ldr_registry *reg = load_plugins(cfg, 1, cmd != CMD_CHECK);
	if (!reg || enter_config_dir(file) < 0)
		goto out;
	if (pipeline_check(cfg, reg, cmd == CMD_CHECK, &diag) > 0) {
		cfg_diag_print(&diag);
		goto out;
	}
	if (cmd == CMD_RUN) {
		interrupt_install();
		rc = pipeline_run(cfg, reg, opt);
	} else if (cmd == CMD_PREVIEW) {
		rc = pipeline_preview(cfg, reg, opt);
	} else {
		printf("%s: OK: %zu source%s, %zu digest%s\n", file, cfg->nsources, cfg->nsources == 1 ? "" : "s",
		       cfg->ndigests, cfg->ndigests == 1 ? "" : "s");
		rc = PW_EXIT_OK;
	}
out:
	cfg_diag_free(&diag);
	ldr_registry_free(reg);
	cfg_free(cfg);
	return rc;
}

/* The commands that need the config (the store, the digests) but no
 * plugin: the rating commands and serve.  fn runs in the config's
 * directory. */
struct config_only {
	const char *command, *digest;
	char *const *ids;
	size_t nids;
	const serve_options *serve;
};

static int
ratings_or_serve(const pw_config *cfg, const struct config_only *c)
{
	return c->serve ? serve_command(cfg, c->serve) : ratings_command(cfg, c->command, c->digest, c->ids, c->nids);
}

static int
cmd_config_only(const char *file, const struct config_only *c)
{
	cfg_diag diag = { NULL, 0 };
	pw_config *cfg = cfg_load(file, &diag);
	if (!cfg) {
		cfg_diag_print(&diag);
		cfg_diag_free(&diag);
		return PW_EXIT_USAGE;
	}
	int rc = enter_config_dir(file) < 0 ? PW_EXIT_USAGE : ratings_or_serve(cfg, c);
	cfg_diag_free(&diag);
	cfg_free(cfg);
	return rc;
}

struct cli {
	run_options run;
	serve_options serve;
	const char *file;
	int level;
};

/* "2026-11-17" -> midnight UTC of that day; -1 when malformed or later
 * than now. */
static int64_t
parse_day(const char *s)
{
	struct tm tm = { 0 };
	char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end || strlen(s) != 10)
		return -1;
	time_t t = timegm(&tm);
	return t < 0 || t > time(NULL) ? -1 : (int64_t)t;
}

/* 1 when word is one of the space-separated words of list. */
static int
word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* Parses options until the first non-option (with '+') or to the end.
 * cmd is the command they follow (NULL before it): an option that command
 * does not take is refused, naming both.  Returns -1 to go on, else the
 * exit status (after --help, --version or a usage error). */
static int
parse_options(int argc, char **argv, const char *optstring, const struct command_help *cmd, struct cli *cli)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' }, { "dry-run", no_argument, NULL, 'n' },
		{ "since", required_argument, NULL, 's' },  { "day", required_argument, NULL, 'd' },
		{ "digest", required_argument, NULL, 'g' }, { "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },        { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },      { "port", required_argument, NULL, 'p' },
		{ "listen", required_argument, NULL, 'l' }, { NULL, 0, NULL, 0 }
	};

	/* Which command takes which long option (the short ones are in optstring). */
	static const struct {
		int opt;
		const char *commands;
	} owners[] = {
		{ 'n', "run" },     { 's', "run" },
		{ 'd', "preview" }, { 'g', "preview like dislike unrate ratings serve" },
		{ 'p', "serve" },   { 'l', "serve" },
	};

	int c, index = -1;
	while ((c = getopt_long(argc, argv, optstring, longopts, &index)) != -1) {
		for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++)
			if (owners[i].opt == c && (!cmd || !word_in(owners[i].commands, cmd->name))) {
				log_msg(PW_LOG_ERROR, NULL, "%s%s takes no --%s (it is an option of '%s')",
				        cmd ? cmd->name : "paperwire", cmd ? "" : " before a command",
				        longopts[index >= 0 ? index : 0].name, owners[i].commands);
				return PW_EXIT_USAGE;
			}
		index = -1;
		switch (c) {
		case 'c': cli->file = optarg; break;
		case 'n': cli->run.dry_run = 1; break;
		case 's':
		case 'd':
			if ((cli->run.since = parse_day(optarg)) < 0) {
				log_msg(PW_LOG_ERROR, NULL, "--%s %s: not a date (give YYYY-MM-DD, not in the future)",
				        c == 's' ? "since" : "day", optarg);
				return PW_EXIT_USAGE;
			}
			break;
		case 'g': cli->run.digest = optarg; break;
		case 'p': {
			char *end;
			errno = 0;
			cli->serve.port = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || cli->serve.port < 0 || cli->serve.port > 65535) {
				log_msg(PW_LOG_ERROR, NULL, "--port %s: not a port (0 to 65535)", optarg);
				return PW_EXIT_USAGE;
			}
			break;
		}
		case 'l': cli->serve.listen = optarg; break;
		case 'v': cli->level = PW_LOG_DEBUG; break;
		case 'q': cli->level = PW_LOG_WARNING; break;
		case 'h':
			if (cmd)
				command_usage(cmd, stdout);
			else
				usage(stdout);
			return PW_EXIT_OK;
		case 'V':
			printf("paperwire %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, PW_ABI_MAJOR, PW_ABI_MINOR);
			return 0;
		default:
			/* getopt has named the option already. */
			fprintf(stderr, "'paperwire %s%s--help' lists the options.\n", cmd ? cmd->name : "",
			        cmd ? " " : "");
			return PW_EXIT_USAGE;
		}
	}
	return -1;
}

static int
cmd_help(int argc, char **argv)
{
	if (argc == 0) {
		usage(stdout);
		return PW_EXIT_OK;
	}
	const char *name = strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 ? "help" : argv[0];
	const struct command_help *c = find_command(name);
	if (!c || argc > 1) {
		log_msg(PW_LOG_ERROR, NULL, "help %s: no such command; 'paperwire help' lists them", argv[c ? 1 : 0]);
		return PW_EXIT_USAGE;
	}
	command_usage(c, stdout);
	return PW_EXIT_OK;
}

/* The command and its arguments, checked before anything is loaded. */
static int
dispatch(int argc, char **argv, struct cli *cli)
{
	const char *name = argv[optind];
	const struct command_help *cmd = find_command(name);
	if (!cmd) {
		log_msg(PW_LOG_ERROR, NULL,
		        "unknown command \"%s\"; the commands are run, check, preview, like, dislike, unrate, "
		        "ratings, serve, plugins and help ('paperwire --help')",
		        name);
		return PW_EXIT_USAGE;
	}
	optind++;
	if (strcmp(name, "help") == 0)
		return cmd_help(argc - optind, argv + optind);
	if (strcmp(name, "plugins") == 0) {
		/* A name (or --roff, which the man page's build uses) as it is. */
		if (optind < argc && (strcmp(argv[optind], "--help") == 0 || strcmp(argv[optind], "-h") == 0)) {
			command_usage(cmd, stdout);
			return PW_EXIT_OK;
		}
		if (argc - optind > 1) {
			log_msg(PW_LOG_ERROR, NULL, "plugins: unexpected argument \"%s\" (it takes one plugin name)",
			        argv[optind + 1]);
			return PW_EXIT_USAGE;
		}
		log_set_level((pw_log_level)cli->level);
		return cmd_plugins(optind < argc ? argv[optind] : NULL);
	}
	int done = parse_options(argc, argv, strcmp(name, "run") == 0 ? "c:nvqh" : "c:vqh", cmd, cli);
	if (done >= 0)
		return done;
	if (strcmp(name, "serve") == 0) {
		if (optind < argc) {
			log_msg(PW_LOG_ERROR, NULL, "serve: unexpected argument \"%s\"", argv[optind]);
			return PW_EXIT_USAGE;
		}
		log_set_level((pw_log_level)cli->level);
		cli->serve.digest = cli->run.digest;
		struct config_only c = { name, NULL, NULL, 0, &cli->serve };
		return cmd_config_only(config_file(cli->file), &c);
	}
	if (word_in("like dislike unrate ratings", name)) {
		log_set_level((pw_log_level)cli->level);
		struct config_only c = { name, cli->run.digest, argv + optind, (size_t)(argc - optind), NULL };
		return cmd_config_only(config_file(cli->file), &c);
	}
	if (optind < argc) {
		log_msg(PW_LOG_ERROR, NULL, "%s: unexpected argument \"%s\" ('paperwire %s --help' shows its usage)",
		        name, argv[optind], name);
		return PW_EXIT_USAGE;
	}
	log_set_level((pw_log_level)cli->level);
	enum command which = strcmp(name, "run") == 0 ? CMD_RUN : strcmp(name, "check") == 0 ? CMD_CHECK : CMD_PREVIEW;
	return cmd_with_config(config_file(cli->file), which, &cli->run);
}

int
main(int argc, char **argv)
{
	struct cli cli = { { 0, -1, NULL }, { NULL, NULL, 8765 }, NULL, PW_LOG_INFO };
	int done = parse_options(argc, argv, "+c:vqhV", NULL, &cli);
	if (done >= 0)
		return done;
	if (optind >= argc) {
		usage(stderr);
		return PW_EXIT_USAGE;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || ldr_init() < 0) {
		log_msg(PW_LOG_ERROR, NULL, "cannot initialise libcurl or libltdl");
		return PW_EXIT_USAGE;
	}
	int rc = dispatch(argc, argv, &cli);
	ldr_exit();
	curl_global_cleanup();
	log_clear_secrets();
	return rc;
}
