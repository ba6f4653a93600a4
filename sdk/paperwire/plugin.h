/*
 * paperwire plugin ABI: the one public header.
 *
 * A plugin is a shared object that exports exactly one symbol,
 *
 *     const pw_plugin *pw_plugin_entry(void);
 *
 * returning a pointer to a static const descriptor.  The host passes every
 * callback a const table of services (pw_host) and the instance handle it
 * created for this use of the plugin (pw_instance).  No library type (cJSON,
 * libxml2, libcurl, SQLite) crosses this boundary, so a plugin needs no host
 * symbol at link time and survives a host that upgrades its libraries.
 *
 * VERSIONING
 *   Both pw_plugin and pw_host start with a pw_abi_header {major, minor, size}.
 *   Appending a member bumps PW_ABI_MINOR; any other change bumps PW_ABI_MAJOR.
 *   The host refuses a plugin of another major or of a newer minor, with a
 *   message naming both versions and the file.  It copies only the bytes the
 *   plugin declared into a zeroed descriptor, so members a plugin does not know
 *   read as NULL.  A plugin built against a newer header that runs on an older
 *   host tests PW_HOST_HAS(host, member) before calling a newer service.
 *
 * OWNERSHIP
 *   - Everything the host passes in (records, strings, the delivery) is
 *     borrowed until the callback returns.  Copy what you keep.
 *   - Every string a plugin hands the host is copied by the host.
 *   - emit() always takes the record, whether it succeeds or not.
 *   - Whoever allocates frees: never free() what the host gave you, and
 *     release host objects only through the host (record_free, response_free).
 *   - A create() that fails cleans up after itself and destroy() is not called;
 *     after a successful create(), destroy() is called exactly once.
 *
 * RULES FOR PLUGINS
 *   Return status codes, never exit(); never write to stdout (log through the
 *   host); keep no mutable globals, because a plugin can run as several
 *   instances in one process.  Text given to the host must be UTF-8; the host
 *   collapses whitespace, strips control characters and replaces invalid bytes.
 *
 * THREADS
 *   The host calls every callback of every instance from one thread, one at
 *   a time, and never from a signal handler; a plugin needs no locking.  A
 *   plugin that starts threads of its own must join them before its callback
 *   returns and must not call the host from them.
 *
 * ERRORS
 *   Log the cause through the host (log(), one cause per message, starting
 *   with the option it concerns: "max_results: 0 is outside 1..30000" is
 *   shown at that option's place in the config), then return: PW_CONFIG_ERROR
 *   from create() for unusable options; PW_RETRY when a later run may
 *   succeed (the network, a 429 or 5xx); PW_ERROR otherwise.  The host says
 *   which of the two the run report shows.
 *
 * CHANGELOG
 *   1.0  first release: four kinds, option schema, records, HTTP, state, cache.
 *   1.1  host: record_field_count/record_field_name/record_field_is_list (a
 *        sink can show every extension field); delivered_each (a sink can
 *        rebuild what it delivered in the last days, as a feed does);
 *        http_request (POST and request headers: APIs with keys);
 *        history_each (papers the store has seen, for corpus statistics);
 *        report_count (a plugin's own counters in the run report).
 *        plugin: flags (PW_PLUGIN_EXPENSIVE: run after cheap scorers, on
 *        the survivors only); prepare (see every paper of a digest before
 *        scoring or enriching one: batching, corpus statistics).
 *   1.2  host: PW_HTTP_SPOOL and response_fd (a body of any size read
 *        from a file, never held in memory); emit_begin/emit_end (what a
 *        source emitted from one body is kept or dropped as a whole, so a
 *        truncated body yields no records); report_note (why a source's
 *        day was empty).
 *   1.3  host: fetch_since (catch-up: where a source's last successful
 *        fetch began, or the day given with `paperwire run --since`).
 *   1.4  host: effect_begin (a sink records what a later run needs to
 *        finish or redo its external effect, right before it); delivery
 *        info "attempt" and "recovery".
 *   1.5  host: config_given (whether the user wrote an option, so a plugin
 *        can refuse one its chosen mode ignores); canonical_id (the host's
 *        own id parsing); emit answers PW_REJECTED for a refused record;
 *        delivery info "failed_sources".
 *   2.0  the option schema can grow: a descriptor names the size of its
 *        option entries (PW_OPTIONS sets it), and an option declares its
 *        allowed values (choices) and numeric range, checked by the host
 *        with the option's place in the config.  Members of ABI structs
 *        are fixed-width integers, no enums.  A descriptor can name its
 *        licence and author.  Every 1.x service is in every 2.x host.
 *   2.1  host: field_declare/field_declaration (an enricher says how each
 *        field it adds is shown: display name, where, in what form; sinks
 *        render any plugin's fields from that, with no names hard-coded).
 *        llm writes a translation as two fields, a label with its reason
 *        and related papers as structured items (PW_X_* below).
 *   2.2  host: ratings_each (the reader's likes and dislikes of the digest
 *        a scorer works for, from `paperwire like` and `dislike`).
 *   2.3  host: response_header answers any header of the final answer
 *        (Link, Total-Results, Zotero's Last-Modified-Version), not four;
 *        the client honours a Backoff header on any answer.
 *   2.4  host: rating_put (a sink records what its readers rated, e.g.
 *        Telegram's buttons); a sink's prepare, when it has one, is called
 *        once a run before its digest weighs.
 *   2.5  delivery_info: PW_D_SCORE_HISTOGRAM (how the day's candidates
 *        scored) and PW_D_MIN_SCORE, for a page that charts the selection.
 */
#ifndef PAPERWIRE_PLUGIN_H
#define PAPERWIRE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PW_ABI_MAJOR 2
#define PW_ABI_MINOR 5

/* The name of the one symbol a plugin exports. */
#define PW_PLUGIN_ENTRY_SYMBOL "pw_plugin_entry"

typedef struct pw_abi_header {
	uint16_t major;
	uint16_t minor;
	uint32_t size; /* sizeof the whole struct this header starts */
} pw_abi_header;

#define PW_ABI_HEADER_FOR(type)                                    \
	{                                                          \
		PW_ABI_MAJOR, PW_ABI_MINOR, (uint32_t)sizeof(type) \
	}

/* Status codes returned by every callback and most services. */
typedef enum pw_status {
	PW_OK = 0,
	PW_RETRY = 1,        /* transient: worth trying again on a later run */
	PW_ERROR = 2,        /* failed; the host reports it and goes on */
	PW_CONFIG_ERROR = 3, /* the instance's options are unusable */
	PW_REJECTED = 4      /* (1.5) emit only: this record was refused (no usable id); the
	                      * host has logged and counted it; go on with the next */
} pw_status;

typedef enum pw_kind { PW_KIND_SOURCE = 1, PW_KIND_SCORER = 2, PW_KIND_ENRICHER = 3, PW_KIND_SINK = 4 } pw_kind;

/* Option types; the host validates the config against them before any run. */
typedef enum pw_option_type {
	PW_OPT_STRING = 1,
	PW_OPT_INT = 2,
	PW_OPT_NUMBER = 3,
	PW_OPT_BOOL = 4,
	PW_OPT_STRING_LIST = 5, /* array of strings */
	PW_OPT_NUMBER_MAP = 6   /* object whose values are numbers: term -> weight */
} pw_option_type;

typedef struct pw_option {
	const char *key;
	uint32_t type; /* a pw_option_type */
	/* The default as text, NULL when there is none: a string option's
	 * value itself ("tldr"); for every other type JSON text of that type
	 * ("200", "2.5", "true", "[\"new\", \"cross\"]", "{}").  A default
	 * that does not parse as its type, or lies outside its choices or
	 * range, makes the host refuse the plugin, naming the option. */
	const char *default_value;
	uint32_t required; /* 1: the config must give it */
	const char *help;
	/* (2.0) The values allowed, '|'-separated ("listing|api|oai"): for a
	 * string, its value; for a list of strings, each item.  NULL: any.
	 * The host refuses any other value at `check` time, with the option's
	 * place in the config and the nearest choice. */
	const char *choices;
	/* (2.0) The numeric range allowed, "MIN..MAX" with either end left
	 * out for none ("1..30000", "0..", "..1", "0.5..2"), both ends
	 * included: for an integer or a number, its value; for a map of
	 * numbers, each value.  NULL: any. */
	const char *range;
} pw_option;

/* Write each entry as { PW_OPTION(key, type, default, required, help) },
 * adding .choices = "..." or .range = "..." inside the braces: the macro
 * names every member, so an entry still compiles without warnings
 * (-Wmissing-field-initializers) when a later minor adds members.  A
 * plugin's option array ends with PW_OPTIONS_END (an entry whose key is
 * NULL); name it in the descriptor with PW_OPTIONS(array), which also
 * records the size of one entry, so that a host of a later minor reads
 * entries that have grown.
 * The keys "plugin" and "name" (and, for scorers, "weight") belong to the
 * host: a plugin declaring one is refused. */

#define PW_OPTION(key_, type_, default_, required_, help_) \
	.key = (key_), .type = (type_), .default_value = (default_), .required = (required_), .help = (help_)
#define PW_OPTIONS_END      \
	{                   \
		.key = NULL \
	}

typedef enum pw_log_level { PW_LOG_ERROR = 0, PW_LOG_WARNING = 1, PW_LOG_INFO = 2, PW_LOG_DEBUG = 3 } pw_log_level;

/* How many later state_get/cache_get calls a returned string survives. */
#define PW_BORROWED_GETS 8

/* Extension fields the bundled plugins share: a plugin that fills one
 * gives every sink (and every other plugin) what it expects there. */
#define PW_X_SUMMARY             "summary"              /* llm: a summary (Markdown) */
#define PW_X_TRANSLATION         "translation"          /* before 2.1: title and abstract translated, in one */
#define PW_X_TRANSLATED_TITLE    "translation_title"    /* (2.1) llm translate: the title */
#define PW_X_TRANSLATED_ABSTRACT "translation_abstract" /* (2.1) llm translate: the abstract */
#define PW_X_LABEL               "label"                /* llm classify: one of its labels */
#define PW_X_LABEL_REASON        "label_reason"         /* llm classify: why that label */
#define PW_X_RELATED             "related"      /* list of PW_FORM_RELATED items (before 2.1: "id: Title (0.42)") */
#define PW_X_RELATION            "relation"     /* related source: "cites arXiv:1706.03762" */
#define PW_X_AFFILIATIONS        "affiliations" /* list: the authors' affiliations */
#define PW_X_LICENSE             "license"      /* the licence's URL */

/* (2.1) How a field a plugin adds is shown: see field_declare. */
typedef struct pw_field {
	const char *name;    /* the record field it describes: "translation_title" */
	const char *display; /* what readers see: "Title (Japanese)", "AI Summary (by qwen-long)" */
	uint32_t attach;     /* PW_ATTACH_*: where sinks show it */
	uint32_t form;       /* PW_FORM_*: how its value is written */
	/* PW_FORM_LABEL: the field holding the label's reason, shown on the
	 * label's line and nowhere else; NULL for none. */
	const char *detail;
} pw_field;

#define PW_ATTACH_PAPER    0u /* a block of its own after the paper's details */
#define PW_ATTACH_TITLE    1u /* right under the title */
#define PW_ATTACH_ABSTRACT 2u /* right after the abstract */

#define PW_FORM_TEXT     0u /* plain text: every sink escapes all of it */
#define PW_FORM_MARKDOWN 1u /* a model's Markdown: headings, bold, lists and line breaks kept, the rest escaped */
#define PW_FORM_LABEL    2u /* one label, shown with its reason on one line; sinks can group by it */
/* A list field, one related paper an item, each a JSON object:
 * {"id": "2302.01318", "title": "...", "url": "https://arxiv.org/abs/2302.01318",
 *  "date": "2023-02-02", "similarity": 0.42, "line": "a summary or translation"}
 * id and title are required; the others may be left out. */
#define PW_FORM_RELATED 3u

/* Opaque host objects. */
typedef struct pw_instance pw_instance; /* one configured use of a plugin */
typedef struct pw_record pw_record;     /* one paper */
typedef struct pw_delivery pw_delivery; /* what a sink is asked to deliver */
typedef struct pw_response pw_response; /* one HTTP answer */

/*
 * Record fields.  Core fields have these names; anything else is an extension
 * field (summary, translation, tags, related...).  Single-valued fields are
 * read with record_get; list fields (authors, categories and any extension
 * added with record_add) with record_count/record_get_at.
 */
#define PW_F_ID          "id"      /* canonical: arXiv id without version, else DOI or URL */
#define PW_F_VERSION     "version" /* "3" */
#define PW_F_TITLE       "title"
#define PW_F_ABSTRACT    "abstract"
#define PW_F_AUTHORS     "authors"    /* list */
#define PW_F_CATEGORIES  "categories" /* list */
#define PW_F_PRIMARY     "primary_category"
#define PW_F_URL         "url"
#define PW_F_PDF_URL     "pdf_url"
#define PW_F_DOI         "doi"
#define PW_F_SOURCE      "source"        /* name of the source instance; set by the host */
#define PW_F_ANNOUNCE    "announce_type" /* new, cross, replace, replace-cross, ... */
#define PW_F_COMMENT     "comment"
#define PW_F_JOURNAL_REF "journal_ref"
/* Times are int64 seconds since the Unix epoch, UTC. */
#define PW_T_PUBLISHED "published"
#define PW_T_UPDATED   "updated"

/* HTTP request flags. */
#define PW_HTTP_CONDITIONAL 0x1u /* send stored ETag / Last-Modified; a 304 has an empty body */
#define PW_HTTP_SPOOL       0x2u /* (1.2) body to a temporary file: read it with response_fd */

/* Keys of pw_host.delivery_info. */
#define PW_D_DIGEST       "digest"       /* digest name */
#define PW_D_RUN_TIME     "run_time"     /* RFC 3339 UTC */
#define PW_D_FETCHED      "fetched"      /* papers fetched this run, all sources */
#define PW_D_NEW          "new"          /* papers new to this digest */
#define PW_D_SELECTED     "selected"     /* papers passed to this sink */
#define PW_D_SOURCES      "sources"      /* "ml (arxiv: cs.LG, cs.CL)", comma separated */
#define PW_D_CATEGORIES   "categories"   /* categories monitored, comma separated */
#define PW_D_EMPTY_REASON "empty_reason" /* set when nothing was selected: why */
#define PW_D_DRY_RUN      "dry_run"      /* "1" on --dry-run: write nothing */
/* (1.5) The sources that failed this run, comma separated; absent when
 * none did.  A page should say so at its
 * top: what it shows may be incomplete. */
#define PW_D_FAILED_SOURCES "failed_sources"
/* (1.4) A stable id of this delivery (32 hex digits): the same digest,
 * sink and set of papers give the same id on any run, so a redone
 * delivery carries the id of the first try (use it in a Message-ID). */
#define PW_D_ATTEMPT "attempt"
/* (1.4) Set only when this delivery redoes one a run died during, after
 * its effect had begun: what that run passed to effect_begin.  The
 * records are exactly that delivery's.  Finish or undo what it did (cut
 * a file back to the recorded offset), then deliver again. */
#define PW_D_RECOVERY "recovery"
/* (2.5) How this run's candidates scored (vetoed ones left out): "LOW
 * HIGH N1 N2 ... N20", the counts of 20 equal bins of [LOW, HIGH];
 * absent when nothing was weighed (and from older hosts). */
#define PW_D_SCORE_HISTOGRAM "score_histogram"
/* (2.5) The digest's select.min_score; absent when it has none. */
#define PW_D_MIN_SCORE "min_score"

/* The host's services.  Every function takes the calling instance first. */
typedef struct pw_host {
	pw_abi_header abi;

	/* Logging, prefixed with the instance name. Secrets are masked. */
	void (*log)(pw_instance *inst, pw_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
	        __attribute__((format(printf, 3, 4)))
#endif
	        ;

	/* Typed config getters; defaults from the schema apply.  Strings are
	 * borrowed for the life of the instance.  The int/number/bool getters
	 * return 1 when the option has a value, 0 when it has none. */
	const char *(*config_string)(pw_instance *inst, const char *key);
	int (*config_int)(pw_instance *inst, const char *key, int64_t *out);
	int (*config_number)(pw_instance *inst, const char *key, double *out);
	int (*config_bool)(pw_instance *inst, const char *key, int *out);
	size_t (*config_list_count)(pw_instance *inst, const char *key);
	const char *(*config_list_at)(pw_instance *inst, const char *key, size_t i);
	size_t (*config_map_count)(pw_instance *inst, const char *key);
	const char *(*config_map_at)(pw_instance *inst, const char *key, size_t i, double *value);

	/* Records. */
	pw_record *(*record_new)(pw_instance *inst);
	void (*record_free)(pw_instance *inst, pw_record *rec);
	pw_status (*record_set)(pw_instance *inst, pw_record *rec, const char *field, const char *value);
	pw_status (*record_add)(pw_instance *inst, pw_record *rec, const char *field, const char *value);
	pw_status (*record_set_time)(pw_instance *inst, pw_record *rec, const char *field, int64_t unix_utc);
	const char *(*record_get)(pw_instance *inst, const pw_record *rec, const char *field);
	size_t (*record_count)(pw_instance *inst, const pw_record *rec, const char *field);
	const char *(*record_get_at)(pw_instance *inst, const pw_record *rec, const char *field, size_t i);
	/* A time field (PW_T_*), or 0 when the record has none: test for 0
	 * before showing a date. */
	int64_t (*record_get_time)(pw_instance *inst, const pw_record *rec, const char *field);
	/* The combined score and each scorer's part (name, value, reason). */
	double (*record_score)(pw_instance *inst, const pw_record *rec);
	size_t (*record_score_count)(pw_instance *inst, const pw_record *rec);
	const char *(*record_score_at)(pw_instance *inst, const pw_record *rec, size_t i, double *value,
	                               const char **reason);

	/* Sources hand each record over here; the host always takes it (frees
	 * it whatever the answer).  PW_OK: stored.  PW_REJECTED (1.5): refused,
	 * e.g. no usable id; logged and counted by the host: go on with the next
	 * record.  PW_ERROR: the host could not store it (a failed write): stop
	 * fetching and return PW_ERROR; what this fetch stored is dropped.
	 * Hosts before 1.5 answer PW_ERROR for both. */
	pw_status (*emit)(pw_instance *inst, pw_record *rec);

	/* HTTP through the host's polite client (User-Agent, per-host spacing,
	 * retries, validators, timeouts, size cap).  On PW_OK *out holds the
	 * answer, whatever its status code; free it with response_free.  The
	 * host has already retried 429, 5xx and dropped connections; judge the
	 * final code yourself: 408, 429 and 5xx are transient (return
	 * PW_RETRY), any other 4xx is not (PW_ERROR).  Without an answer:
	 * PW_RETRY when a later run may succeed (a timeout, a refused or dropped
	 * connection, an interrupted run), PW_ERROR when it cannot (a bad or
	 * unsupported URL, a missing file:// file, a redirect refused because
	 * the request carries a secret, a body over the size cap); the host has
	 * logged which.  Return either as it is from fetch. */
	pw_status (*http_get)(pw_instance *inst, const char *url, uint32_t flags, pw_response **out);
	long (*response_code)(pw_instance *inst, const pw_response *resp);
	const char *(*response_body)(pw_instance *inst, const pw_response *resp, size_t *len);
	/* The value of a header of the final answer (after redirects), by
	 * name in any case, the last one when repeated; NULL when absent or
	 * for file://.  Hosts before 2.3 answer only ETag, Last-Modified,
	 * Content-Type and Retry-After: a plugin that reads another header
	 * (Link, Total-Results) needs host->abi.minor >= 3.  A Backoff header
	 * (seconds) on any answer holds the host's next request to that host
	 * until then. */
	const char *(*response_header)(pw_instance *inst, const pw_response *resp, const char *name);
	void (*response_free)(pw_instance *inst, pw_response *resp);

	/* Key/value state (cursors, last run) kept in the store per instance,
	 * and a cache shared by every instance of the plugin (so two digests
	 * never compute the same thing twice: put the model, version, etc. in
	 * the key).  A returned string is borrowed until the callback returns or
	 * until PW_BORROWED_GETS more state_get/cache_get calls, whichever comes
	 * first: copy what you keep longer. */
	const char *(*state_get)(pw_instance *inst, const char *key);
	pw_status (*state_set)(pw_instance *inst, const char *key, const char *value);
	const char *(*cache_get)(pw_instance *inst, const char *key);
	pw_status (*cache_put)(pw_instance *inst, const char *key, const char *value);

	/* What a sink delivers: the records, and facts about the run. */
	size_t (*delivery_count)(pw_instance *inst, const pw_delivery *d);
	const pw_record *(*delivery_record)(pw_instance *inst, const pw_delivery *d, size_t i);
	const char *(*delivery_info)(pw_instance *inst, const pw_delivery *d, const char *key);

	/* The instance name (config "name", else the plugin name). */
	const char *(*instance_name)(pw_instance *inst);

	/* The services below came with the minors of ABI 1 (named in each
	 * group's mark); every 2.x host has all of them.  Test
	 * PW_HOST_HAS(host, member) only for members a later 2.x minor adds. */

	/* ---- 1.1 ---- */

	/* Every field of a record, in the order it was set. */
	size_t (*record_field_count)(pw_instance *inst, const pw_record *rec);
	const char *(*record_field_name)(pw_instance *inst, const pw_record *rec, size_t i);
	int (*record_field_is_list)(pw_instance *inst, const pw_record *rec, size_t i);

	/* Sinks: calls fn for each paper this sink delivered at or after
	 * `since` (Unix UTC), newest first, with the time it was delivered.
	 * The records are borrowed for the call of fn. */
	pw_status (*delivered_each)(pw_instance *inst, int64_t since,
	                            void (*fn)(void *ud, const pw_record *rec, int64_t delivered_at), void *ud);

	/* Any method, with request headers ("Name: value", NULL-terminated
	 * array) and a body, through the same polite client as http_get. */
	pw_status (*http_request)(pw_instance *inst, const char *method, const char *url, const char *const *headers,
	                          const char *body, size_t body_len, uint32_t flags, pw_response **out);

	/* Calls fn for the papers the store has seen, most recent first, at
	 * most max of them.  The records are borrowed for the call of fn. */
	pw_status (*history_each)(pw_instance *inst, size_t max, void (*fn)(void *ud, const pw_record *rec), void *ud);

	/* Adds delta to a counter of this instance ("calls", "tokens", "pages"),
	 * shown in the run's summary line and kept in the run log. */
	void (*report_count)(pw_instance *inst, const char *counter, int64_t delta);

	/* ---- 1.2 ---- */

	/* A response fetched with PW_HTTP_SPOOL: a read-only descriptor at the
	 * start of the body, owned by the response (do not close it); -1 for
	 * a response held in memory.  response_body returns NULL for a spooled
	 * response and sets *len to the body's size. */
	int (*response_fd)(pw_instance *inst, const pw_response *resp);

	/* Sources: records emitted between emit_begin and emit_end(keep = 0)
	 * are dropped together, as if never emitted; keep = 1 keeps them.
	 * Use it around the records of one response body. */
	pw_status (*emit_begin)(pw_instance *inst);
	pw_status (*emit_end)(pw_instance *inst, int keep);

	/* A source's word on why it returned what it did ("no announcement:
	 * arXiv does not announce on weekends and holidays"), shown in the run
	 * report and, on an empty day, by the sinks.  The last note wins. */
	void (*report_note)(pw_instance *inst, const char *note);

	/* ---- 1.3 ---- */

	/* Sources: the time (Unix seconds, UTC) from which to fetch, so that a
	 * missed run loses nothing: the day given with `paperwire run --since
	 * DATE`, else when this instance's last successful fetch began (the
	 * host records it when fetch returned PW_OK and the run committed),
	 * else -1 on an instance's first run. */
	int64_t (*fetch_since)(pw_instance *inst);

	/* ---- 1.4 ---- */

	/* Sinks: call right before the external effect (appending to a file,
	 * sending a message; not needed for a file replaced by rename, which
	 * is all or nothing), with what a later run needs to finish or redo it
	 * should this run die during it ("offset 1234", a Message-ID).  The
	 * host commits it with the delivery's papers marked in flight and
	 * keeps the store's write lock until the sink returns, so recording
	 * the papers as delivered afterwards cannot fail on a lock.  If the
	 * sink then fails, or the run dies, the next run calls write again
	 * with exactly these papers and the note as PW_D_RECOVERY.  On any
	 * other status than PW_OK do not perform the effect: return PW_RETRY. */
	pw_status (*effect_begin)(pw_instance *inst, const char *recovery);

	/* ---- 1.5 ---- */

	/* 1 when the config gives key for this instance, 0 when its value (if
	 * any) is the schema's default: a plugin can then refuse an option its
	 * chosen mode would ignore, instead of ignoring it silently. */
	int (*config_given)(pw_instance *inst, const char *key);

	/* The host's canonical form of a paper id, the one it keys papers by:
	 * from any spelling of an arXiv id ("arXiv:2401.01234v2", an abs or pdf
	 * URL, "oai:arXiv.org:...", the arXiv DOI 10.48550/arXiv.ID) the id
	 * without version ("2401.01234"; an old-style id loses its subject
	 * class: "math/0611800"), with the version in *version (0 when none);
	 * another DOI lower-cased; anything else as given.  Returns 1 for an
	 * arXiv id, 0 for another id, -1 when raw is empty or out too small. */
	int (*canonical_id)(pw_instance *inst, const char *raw, char *out, size_t size, int *version);

	/* ---- 2.1 ---- */

	/* Any plugin, in create(): how a field it adds to records is shown
	 * (field_size: sizeof(pw_field) as the plugin was built).  One name,
	 * one declaration per digest (a source's holds in every digest):
	 * declaring a field again the same way is harmless, another way is
	 * PW_CONFIG_ERROR (the host logs both declarers).  A core field's name, an empty display or an unknown
	 * attach or form is PW_CONFIG_ERROR too. */
	pw_status (*field_declare)(pw_instance *inst, const pw_field *field, size_t field_size);
	/* Sinks: the declaration of the field called name, or NULL when no
	 * plugin of this run declared it (show it as plain text under its own
	 * name).  Owned by the host for the run. */
	const pw_field *(*field_declaration)(pw_instance *inst, const char *name);

	/* ---- 2.2 ---- */

	/* Scorers and enrichers: calls fn for each rating the reader gave in
	 * this instance's digest (`paperwire like`, `dislike`), newest first:
	 * the paper's id (an arXiv id without version, or a DOI), +1 or -1,
	 * when (Unix UTC), and its record when the store holds the paper
	 * (borrowed for the call), else NULL.  PW_ERROR for an instance
	 * outside a digest (a source) or when the store cannot be read. */
	pw_status (*ratings_each)(pw_instance *inst,
	                          void (*fn)(void *ud, const char *id, int rating, int64_t rated_at,
	                                     const pw_record *rec),
	                          void *ud);

	/* ---- 2.4 ---- */

	/* Sinks: records a rating of this instance's digest, as `paperwire
	 * like` (+1), `dislike` (-1) and `unrate` (0) do: id in any form those
	 * take (an arXiv id, a DOI).  For readers who rate where the digest
	 * reaches them (chat buttons); call it from prepare, so that this
	 * run's scorers learn from it.  PW_ERROR for an id that is neither an
	 * arXiv id nor a DOI, or when the store cannot be written. */
	pw_status (*rating_put)(pw_instance *inst, const char *id, int rating);
} pw_host;

/* True when the host's table is long enough to hold MEMBER. */
#define PW_HOST_HAS(host, member) \
	((host)->abi.size >= offsetof(pw_host, member) + sizeof((host)->member) && (host)->member != NULL)

/*
 * The descriptor.  Fill the callbacks of your kind; leave the others NULL.
 *   create  : read options, allocate state; *state may stay NULL.
 *   fetch   : source; emit() each record.
 *   score   : scorer; write the score in *value and a short reason into
 *             reason[reason_size] ("title has 'speculative decoding' +3").
 *             Set *veto to 1 to exclude the paper.
 *   enrich  : enricher; add extension fields with record_set/record_add.
 *   write   : sink; deliver every record of the delivery, or fail.
 *   prepare : optional (1.1), scorers and enrichers; see the whole batch
 *             first (build statistics, batch remote calls).  Sinks (2.4):
 *             called once a run, before the digest weighs, with an empty
 *             delivery: read what the readers said (rating_put).  A
 *             sink's prepare that fails is a warning; the run goes on.
 */
/* pw_plugin.flags */
#define PW_PLUGIN_EXPENSIVE 0x1u /* a scorer that costs time or money: runs last, on survivors */

typedef struct pw_plugin {
	pw_abi_header abi;
	const char *name;
	uint32_t kind; /* a pw_kind */
	const char *version;
	const char *description;
	/* Set both with PW_OPTIONS(array). */
	const pw_option *options;
	uint32_t option_size; /* sizeof(pw_option) as the plugin was built */

	pw_status (*create)(const pw_host *host, pw_instance *inst, void **state);
	void (*destroy)(const pw_host *host, pw_instance *inst, void *state);

	pw_status (*fetch)(const pw_host *host, pw_instance *inst, void *state);
	pw_status (*score)(const pw_host *host, pw_instance *inst, void *state, const pw_record *rec, double *value,
	                   int *veto, char *reason, size_t reason_size);
	pw_status (*enrich)(const pw_host *host, pw_instance *inst, void *state, pw_record *rec);
	pw_status (*write)(const pw_host *host, pw_instance *inst, void *state, const pw_delivery *d);

	/* Optional: a descriptor may end after write (the host reads the
	 * members below as zero). */
	uint32_t flags; /* PW_PLUGIN_* */
	/* Scorers and enrichers: every paper this instance is about to see in
	 * this digest, before the first score()/enrich() call. */
	pw_status (*prepare)(const pw_host *host, pw_instance *inst, void *state, const pw_delivery *papers);
	/* Shown by `paperwire plugins` and `paperwire help`: the licence (an
	 * SPDX identifier: "MIT", "GPL-3.0-or-later") and who to ask. */
	const char *license;
	const char *author;
} pw_plugin;

/* The descriptor's option members: .options and .option_size. */
#define PW_OPTIONS(array) .options = (array), .option_size = (uint32_t)sizeof((array)[0])

typedef const pw_plugin *(*pw_plugin_entry_fn)(void);

#if defined(_WIN32)
#define PW_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define PW_EXPORT __attribute__((visibility("default")))
#else
#define PW_EXPORT
#endif

/* The one symbol a plugin exports (PW_PLUGIN_DEFINE defines it); declared
 * here so that a plugin's own tests can call it. */
PW_EXPORT const pw_plugin *pw_plugin_entry(void);

/* Defines the entry function; use as:  PW_PLUGIN_DEFINE(my_descriptor) */
#define PW_PLUGIN_DEFINE(descriptor)                     \
	PW_EXPORT const pw_plugin *pw_plugin_entry(void) \
	{                                                \
		return &(descriptor);                    \
	}

#ifdef __cplusplus
}
#endif

#endif /* PAPERWIRE_PLUGIN_H */
