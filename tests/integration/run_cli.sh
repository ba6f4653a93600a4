#!/bin/sh
# The command line through the real binary: help for each command, errors
# that name the unknown command or argument, `paperwire preview`, which
# weighs a stored day with the config as it is now and changes nothing, and
# the rating commands.
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"

dir="$work/cli"
mkdir -p "$dir"
pw() { (cd "$dir" && "$BIN" "$@" >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"; }

for c in run check preview like dislike unrate ratings plugins help; do
	pw help "$c"
	a=$(cat "$dir/out")
	pw "$c" --help
	check "'paperwire help $c' and 'paperwire $c --help' print that command's usage, exit 0" \
		'[ "$(rc)" = 0 ] && [ "$(cat "$dir/out")" = "$a" ] && head -n 1 "$dir/out" | grep -q "^usage: paperwire $c"'
done
pw --help
check "'paperwire --help' lists every command and the exit codes" \
	'[ "$(rc)" = 0 ] && grep -q "preview" "$dir/out" && grep -q "3 another run holds the store" "$dir/out"'
pw frobnicate
check "an unknown command is named, exit 2" \
	'[ "$(rc)" = 2 ] && grep -q "unknown command \"frobnicate\"" "$dir/err"'
pw run surplus
check "an unexpected argument is named, exit 2" \
	'[ "$(rc)" = 2 ] && grep -q "run: unexpected argument \"surplus\"" "$dir/err"'
pw check --dry-run
check "an option of another command is named with its command, exit 2" \
	'[ "$(rc)" = 2 ] && grep -q "check takes no --dry-run (it is an option of .run.)" "$dir/err"'
pw run --bogus
check "an unknown option is named, and where to look" \
	'[ "$(rc)" = 2 ] && grep -q "unrecognized option .--bogus" "$dir/err" && grep -q "paperwire run --help" "$dir/err"'
pw help nothing
check "help for a command that does not exist: exit 2, named" \
	'[ "$(rc)" = 2 ] && grep -q "help nothing: no such command" "$dir/err"'

# --- preview
write_config() { # keywords, exclude
	cat > "$dir/paperwire.json" <<JSON
{
  "store": "pw.db",
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [{"name": "daily",
     "scorers": [{"plugin": "keyword", "keywords": $1, "exclude": $2}],
     "select": {"min_score": 1, "max_papers": 5},
     "sinks": [{"plugin": "json", "path": "papers.jsonl"}]}]
}
JSON
}
write_config '{"speculative": 3, "quantiz*": 2, "inference": 1}' '["survey"]'
pw preview
check "preview on an empty store: says to run first, exit 1" \
	'[ "$(rc)" = 1 ] && grep -q "the store has no papers yet" "$dir/err"'
pw run
check "a first run delivers" '[ "$(rc)" = 0 ] && [ -s "$dir/papers.jsonl" ]'
cp "$dir/papers.jsonl" "$dir/delivered.jsonl"
ledger() { "$PY" -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute('SELECT count(*), coalesce(sum(status), 0) FROM ledger').fetchone(),
      db.execute('SELECT * FROM digests').fetchall(), db.execute('SELECT count(*) FROM runs').fetchone())
" "$dir/pw.db"; }
before=$(ledger)
pw preview
check "preview with the config unchanged: the same selection, nothing gained or lost" \
	'[ "$(rc)" = 0 ] && grep -q "digest daily: 12 papers first seen on $(date -u +%Y-%m-%d) (UTC)" "$dir/out" && grep -q "selected now: 5; given to its sinks then: 5 (0 gained, 0 lost, 0 moved, 5 unchanged)" "$dir/out"'
write_config '{"speculative": 3, "attention": 4, "inference": 1}' '["survey", "quantiz*"]'
pw preview --digest daily
check "after a keyword change: the papers gained, with their reasons" \
	'[ "$(rc)" = 0 ] && grep -A2 "^gained" "$dir/out" | grep -q "+ #1  .*1706.03762  Attention Is All You Need" && grep -q "now: keyword +8: title has .attention. +8" "$dir/out"'
check "... the papers lost, with why (vetoed by the new exclusion)" \
	'grep -A3 "^lost" "$dir/out" | grep -q "was #.*2210.17323  GPTQ" && grep -q "now: vetoed (keyword: excluded: .quantiz\*. in title)" "$dir/out"'
check "... and the papers that moved, with both scores" \
	'grep -A1 "^moved" "$dir/out" | grep -Eq "(\^|v) #[0-9] -> #[0-9]  [0-9.]+ -> [0-9.]+  "'
check "preview wrote and marked nothing: ledger, digests, runs and the sink's file unchanged" \
	'[ "$(ledger)" = "$before" ] && cmp -s "$dir/papers.jsonl" "$dir/delivered.jsonl"'
pw preview --day 2020-01-01
check "preview of a day with no papers says so" \
	'[ "$(rc)" = 0 ] && grep -q "digest daily: 0 papers first seen on 2020-01-01" "$dir/out"'
pw preview --digest weekly
check "preview of a digest the config does not have: exit 2, named" \
	'[ "$(rc)" = 2 ] && grep -q "preview --digest weekly: the config has no digest of that name" "$dir/err"'
pw preview --day tomorrow
check "preview --day that is not a date: exit 2" '[ "$(rc)" = 2 ] && grep -q "\-\-day tomorrow: not a date" "$dir/err"'

# --- config mistakes, each named with its place and what to do
cfg_case() { # name, text: writes $dir/NAME.json and runs check on it
	printf '%s\n' "$2" > "$dir/$1.json"
	pw check -c "$1.json"
}
cfg_case dup '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}],
 "digests": [{"name": "d", "select": {"min_score": 1,
   "min_score": 2}, "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "a key given twice is an error at the second, naming the first" \
	'[ "$(rc)" = 2 ] && grep -q "^dup.json:3:4: digests\[0\].select.min_score: given again (first at line 2)" "$dir/err"'
cfg_case shellvar '{"contact": "$SMTP_USER", "sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}]}'
check "\"\$NAME\" (the shell's way) is refused, with how to write it" \
	'[ "$(rc)" = 2 ] && grep -q "contact: \"\$SMTP_USER\" would be taken literally: write \${SMTP_USER}" "$dir/err"'
cfg_case unclosed '{"contact": "${SMTP_USER", "sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}]}'
check "an unclosed \${NAME is refused" '[ "$(rc)" = 2 ] && grep -q "contact: \"\${SMTP_USER\" has no closing" "$dir/err"'
cfg_case dollar '{"contact": "cost: $$5 and $6", "sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}]}'
check "\$\$ is a literal dollar, and \$6 stays as it is" '[ "$(rc)" = 0 ]'
cfg_case typo '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"], "max_result": 5}], "htpp": {}}'
check "an unknown top-level key gets a 'did you mean'" \
	'[ "$(rc)" = 2 ] && grep -q "htpp: unknown option; did you mean \"http\"?" "$dir/err"'
cfg_case typo2 '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"], "max_result": 5}]}'
check "an unknown plugin option gets a 'did you mean'" \
	'[ "$(rc)" = 2 ] && grep -q "sources\[0\].max_result: unknown option; did you mean \"max_results\"?" "$dir/err"'
cfg_case comma '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"],}]}'
check "a trailing comma is named as such, at the comma" \
	'[ "$(rc)" = 2 ] && grep -q "^comma.json:1:57: malformed JSON: a trailing comma" "$dir/err"'
cfg_case comment '{"sources": [] // none yet
}'
check "a comment is named as such" '[ "$(rc)" = 2 ] && grep -q "malformed JSON: a comment: JSON has none" "$dir/err"'
cfg_case quote "{'sources': []}"
check "single quotes are named as such" '[ "$(rc)" = 2 ] && grep -q "malformed JSON: a single quote" "$dir/err"'
cfg_case yaml 'sources:
  - plugin: arxiv'
check "a YAML file is named as such" '[ "$(rc)" = 2 ] && grep -q "malformed JSON: this looks like YAML" "$dir/err"'
printf '\377\376{\000}\000' > "$dir/utf16.json"
pw check -c utf16.json
check "a UTF-16 file is named as such" '[ "$(rc)" = 2 ] && grep -q "the config is UTF-16" "$dir/err"'
printf '\357\273\277{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}]}' > "$dir/bom.json"
pw check -c bom.json
check "a UTF-8 byte-order mark is harmless" '[ "$(rc)" = 0 ]'
cfg_case nopath '{"plugin_path": "no-such-dir", "sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}]}'
check "a plugin_path that does not exist is an error" \
	'[ "$(rc)" = 2 ] && grep -q "plugin_path \"no-such-dir\": No such file or directory" "$dir/err"'

cfg_case nosinks '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}],
 "digests": [{"name": "d", "scorers": [{"plugin": "keyword", "keywords": {"x": 1}}]}]}'
check "a digest with no sinks is an error" '[ "$(rc)" = 2 ] && grep -q "digests\[0\]: no \"sinks\": what the digest selects would go nowhere" "$dir/err"'
cfg_case samefile '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}],
 "digests": [{"name": "a", "sinks": [{"plugin": "markdown", "path": "out/README.md"}]},
             {"name": "b", "sinks": [{"plugin": "json", "path": "./out/README.md"}]}]}'
check "two sinks writing one file is an error naming both" \
	'[ "$(rc)" = 2 ] && grep -q "digests\[1\].sinks\[0\].path: \"./out/README.md\" is also written by digests\[0\].sinks\[0\]" "$dir/err"'
cfg_case ignored '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"], "max_results": 50}],
 "digests": [{"name": "d", "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "an option the chosen mode ignores is refused (max_results in listing mode), at the option" \
	'[ "$(rc)" = 2 ] && grep -q "^ignored.json:1:74: sources\[0\].max_results: mode listing does not read it (only mode api does)" "$dir/err"'
pw run -c ignored.json
check "... and at run time too, with the same position" \
	'[ "$(rc)" = 2 ] && grep -q "^ignored.json:1:74: sources\[0\].max_results: mode listing does not read it" "$dir/err"'
cfg_case lowercat '{"sources": [{"plugin": "arxiv", "categories": ["cs.lg"]}],
 "digests": [{"name": "d", "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "a category in the wrong case is refused with the right one, at the item's place" \
	'[ "$(rc)" = 2 ] && grep -q "^lowercat.json:1:49: sources\[0\].categories\[0\]: \"cs.lg\" is not an arXiv category; did you mean \"cs.LG\"?" "$dir/err"'
cfg_case nocat '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG", "quantum-stuff"]}],
 "digests": [{"name": "d", "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "a category arXiv does not have is refused" \
	'[ "$(rc)" = 2 ] && grep -q "categories\[1\]: \"quantum-stuff\" is not an arXiv category" "$dir/err"'
cfg_case badurl '{"sources": [{"plugin": "arxiv", "query": "x", "base_url": "htp://export.arxiv.org/api/query"}],
 "digests": [{"name": "d", "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "a mistyped URL scheme is refused at check, not reported later as transient" \
	'[ "$(rc)" = 2 ] && grep -q "base_url: \"htp://export.arxiv.org/api/query\" is not an http:// or https:// (or file://) URL" "$dir/err"'

# --- a library that would lose data is named, at check
printf '@article{a,\n  title = {Speculative Decoding}\n  abstract = {lost without the comma},\n}\n' > "$dir/nocomma.bib"
printf '@article{s, title = {Schr\366dinger and the wave equation}, abstract = {Wave mechanics.}}\n' > "$dir/latin1.bib"
cfg_case lib_comma '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}],
 "digests": [{"name": "d", "scorers": [{"plugin": "embedding", "profile": ["nocomma.bib"]}],
   "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "a BibTeX field without its comma: check fails, naming the file, line and field" \
	'[ "$(rc)" = 2 ] && grep -q "nocomma.bib:3: a .,. is missing after the field \"title\"" "$dir/err"'
cfg_case lib_latin1 '{"sources": [{"plugin": "arxiv", "categories": ["cs.LG"]}],
 "digests": [{"name": "d", "scorers": [{"plugin": "embedding", "profile": ["latin1.bib"]}],
   "sinks": [{"plugin": "json", "path": "x.jsonl"}]}]}'
check "a Latin-1 library: read as Latin-1 and said, not turned into U+FFFD in silence" \
	'[ "$(rc)" = 0 ] && grep -q "warning: embedding: profile: latin1.bib is not UTF-8: read as Latin-1" "$dir/err"'

# --- relative paths follow the config file, not the working directory
mkdir -p "$dir/deploy"
cat > "$dir/deploy/pw.json" <<JSON
{"store": "state/pw.db",
 "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
 "digests": [{"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative": 3}}],
   "select": {"min_score": 1}, "sinks": [{"plugin": "markdown", "path": "site/README.md"}]}]}
JSON
mkdir -p "$dir/deploy/state"
(cd / && "$BIN" run -c "$dir/deploy/pw.json" >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "run from elsewhere: the store and the page land beside the config" \
	'[ "$(rc)" = 0 ] && [ -s "$dir/deploy/state/pw.db" ] && [ -s "$dir/deploy/site/README.md" ] && [ ! -e /state ] && [ ! -e /site ]'

# --- plugins that do not load say why, in the system loader's words
junk="$work/junk"
mkdir -p "$junk"
head -c 2000 /dev/urandom > "$junk/junk.so"
printf '# not a libtool file\n' > "$junk/bad.la"
printf "# Generated by libtool\ndlname='gone.so'\n" > "$junk/gone.la"
(PAPERWIRE_PLUGIN_PATH="$junk" "$BIN" plugins >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a junk .so is refused with the loader's reason, not 'file not found'" \
	'grep -q "junk.so: refused: cannot load: .*invalid ELF header" "$dir/err"'
check "a bad .la says what is wrong with it" \
	'grep -q "bad.la: refused: cannot load: not a libtool library file" "$dir/err" && grep -q "gone.la: refused: cannot load: the object it names, gone.so, is in neither" "$dir/err"'
check "no plugin found at all: says how to point paperwire at them" \
	'grep -q "no plugin found (searched $junk): point PAPERWIRE_PLUGIN_PATH at them" "$dir/err"'

# --- long work is not silent; -v says what happens; long URLs are cut
dir="$work/progress"
mkdir -p "$dir"
cat > "$dir/pw.json" <<JSON
{"store": "pw.db", "http": {"retries": 0},
 "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "$BASE/fixture/api_paged.atom",
              "max_results": 10, "page_size": 2}],
 "digests": [{"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative": 3}}],
   "sinks": [{"plugin": "json", "path": "papers.jsonl"}]}]}
JSON
(cd "$dir" && PAPERWIRE_PROGRESS_EVERY=0 "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "not on a terminal: a progress line per step (requests, pages, papers, rate)" \
	'[ "$(rc)" = 0 ] && grep -q "src: still fetching: 1 request, 0 papers (0/s), 0s" "$dir/err" && grep -q "src: still fetching: 2 requests, 1 page, 2 papers ([0-9]*/s), [0-9]*s" "$dir/err"'
(cd "$dir" && rm -f pw.db* papers.jsonl && script -qec "$BIN run -c pw.json" /dev/null > "$dir/tty" 2>&1); echo $? > "$dir/rc"
check "on a terminal: one line redrawn in place, cleared before the report" \
	'[ "$(rc)" = 0 ] && grep -q "$(printf "\r")src: fetching" "$dir/tty" && grep -q "run 1 in" "$dir/tty"'
(cd "$dir" && rm -f pw.db* papers.jsonl && "$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "-v logs each request with its status, size and time, and each source's totals" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c "debug: http: GET $BASE/fixture/api_paged.atom?.*: HTTP 200, [0-9]* bytes in [0-9.]* s" "$dir/err")" = 2 ] && grep -q "debug: src: fetched 3 papers (3 new) with 2 requests in" "$dir/err"'
long=$(printf 'x%.0s' $(seq 600))
sed -i "s|\"query\": \"all:test\", \"base_url\": \"$BASE/fixture/api_paged.atom\"|\"query\": \"all:$long\", \"base_url\": \"$BASE/status/404\"|" "$dir/pw.json"
(cd "$dir" && "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a long URL in a message is cut to its start and how much was left out" \
	'[ "$(rc)" = 1 ] && grep -q "$BASE/status/404?search_query=%28all:xxx*\.\.\.\[[0-9]* more bytes\]" "$dir/err" && ! grep -q "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" "$dir/err"'
(cd "$dir" && "$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "... and shown whole with -v" '[ "$(rc)" = 1 ] && grep -q "$long" "$dir/err"'

# --- the contract's failures, told apart
dir="$work/contract"
mkdir -p "$dir"
cat > "$dir/feed.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>t</title><link>https://example.org/</link><description>d</description>
<item><title>First paper</title><link>https://arxiv.org/abs/2611.20001</link></item>
<item><title>A paper with nothing to know it by</title></item>
<item><title>Third paper</title><link>https://arxiv.org/abs/2611.20003</link></item>
</channel></rss>
XML
source_case() { # SOURCE-JSON
	cat > "$dir/pw.json" <<JSON
{"store": "pw.db", "http": {"retries": 0},
 "sources": [$1],
 "digests": [{"name": "d", "sinks": [{"plugin": "json", "path": "papers.jsonl"}]}]}
JSON
	rm -f "$dir"/pw.db* "$dir/papers.jsonl"
	(cd "$dir" && "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
}
source_case "{\"plugin\": \"feed\", \"name\": \"src\", \"url\": \"file://$dir/feed.xml\"}"
check "a record the host refuses (no usable id) is skipped; the source goes on and succeeds" \
	'[ "$(rc)" = 0 ] && grep -q "a record without a usable id was dropped (title: A paper with nothing" "$dir/err" && [ "$(grep -c . "$dir/papers.jsonl")" = 2 ] && grep -q "Third paper" "$dir/papers.jsonl"'
source_case "{\"plugin\": \"feed\", \"name\": \"src\", \"url\": \"file://$dir/no-such-feed.xml\"}"
check "a missing file:// file is a permanent failure, not 'transient'" \
	'[ "$(rc)" = 1 ] && grep -q "src: source failed; the other sources still run" "$dir/err" && ! grep -q "transient" "$dir/err"'
source_case "{\"plugin\": \"feed\", \"name\": \"src\", \"url\": \"$BASE/status/404\"}"
check "a 404 is a permanent failure" '[ "$(rc)" = 1 ] && grep -q "HTTP 404" "$dir/err" && ! grep -q "transient" "$dir/err"'
port=$(closed_port)
source_case "{\"plugin\": \"feed\", \"name\": \"src\", \"url\": \"http://127.0.0.1:$port/feed.xml\"}"
check "a refused connection is transient: the next run will try again" \
	'[ "$(rc)" = 1 ] && grep -q "src: source failed (transient: the next run will try again)" "$dir/err"'
source_case "{\"plugin\": \"feed\", \"name\": \"src\", \"url\": \"$BASE/status/503\"}"
check "a 503 after the retries is transient" \
	'[ "$(rc)" = 1 ] && grep -q "src: source failed (transient: the next run will try again)" "$dir/err"'

# --- ratings: like, dislike, unrate, ratings
rdir="$work/ratings"
mkdir -p "$rdir"
rate() { (cd "$rdir" && "$BIN" "$@" >"$rdir/out" 2>"$rdir/err"); echo $? > "$rdir/rc"; }
rrc() { cat "$rdir/rc"; }
cat > "$rdir/paperwire.json" <<JSON
{
  "store": "pw.db",
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [
    {"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"decoding": 1}}],
     "sinks": [{"plugin": "json", "path": "daily.jsonl"}]},
    {"name": "weekly", "scorers": [{"plugin": "keyword", "keywords": {"decoding": 1}}],
     "sinks": [{"plugin": "json", "path": "weekly.jsonl"}]}
  ]
}
JSON
rate like 2211.17192
check "like with several digests and no --digest: exit 2, the digests listed" \
	'[ "$(rrc)" = 2 ] && grep -q "like: the config has 2 digests (daily, weekly): say which with --digest NAME" "$rdir/err"'
rate like --digest daly 2211.17192
check "a digest the config lacks: exit 2, with the nearest name" \
	'[ "$(rrc)" = 2 ] && grep -q "no digest \"daly\" in paperwire.json (its digests: daily, weekly); did you mean \"daily\"?" "$rdir/err"'
rate dislike --digest daily 2302.01318 not-an-id
check "an id that is neither an arXiv id nor a DOI: exit 2, named, and nothing rated" \
	'[ "$(rrc)" = 2 ] && grep -q "\"not-an-id\" is neither an arXiv id" "$rdir/err" && grep -q "nothing was rated" "$rdir/err" && [ ! -e "$rdir/pw.db" ]'
rate like --digest daily https://arxiv.org/abs/2211.17192v2 10.48550/arXiv.2401.10774 10.1000/ABC.Def
check "like takes arXiv ids in any form and DOIs, stored in canonical form; a paper not yet fetched is said so" \
	'[ "$(rrc)" = 0 ] && grep -q "^liked 2211.17192 in digest daily (not in the store yet" "$rdir/out" && grep -q "^liked 2401.10774 in digest daily" "$rdir/out" && grep -q "^liked 10.1000/abc.def in digest daily" "$rdir/out"'
rate run
rate dislike --digest daily 2302.01318
check "a paper the store holds is named by its title" \
	'[ "$(rrc)" = 0 ] && grep -q "^disliked 2302.01318 in digest daily (\"Accelerating Large Language Model Decoding with Speculative Sampling\")" "$rdir/out"'
rate unrate --digest daily 10.1000/abc.def 10.1000/abc.def
check "unrate takes a rating back, and says when there was none" \
	'[ "$(rrc)" = 0 ] && grep -q "^unrated 10.1000/abc.def in digest daily" "$rdir/out" && grep -q "^10.1000/abc.def was not rated in digest daily" "$rdir/out"'
rate ratings --digest daily
check "ratings lists the digest's likes and dislikes, newest first, with titles" \
	'[ "$(rrc)" = 0 ] && [ "$(grep -c . "$rdir/out")" = 3 ] && head -n 1 "$rdir/out" | grep -q "^dislike  2302.01318 .* Accelerating Large Language Model" && grep -q "^like     2211.17192 .* Fast Inference from Transformers" "$rdir/out"'
rate ratings --digest weekly
check "ratings are per digest" '[ "$(rrc)" = 0 ] && grep -q "no ratings in digest weekly" "$rdir/out"'

finish
