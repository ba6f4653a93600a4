#!/bin/sh
# The command line through the real binary: help for each command, errors
# that name the unknown command or argument, and `paperwire preview`,
# which weighs a stored day with the config as it is now and changes
# nothing.
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"

dir="$work/cli"
mkdir -p "$dir"
pw() { (cd "$dir" && "$BIN" "$@" >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"; }

for c in run check preview plugins help; do
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
	'[ "$(rc)" = 0 ] && grep -A2 "^gained" "$dir/out" | grep -q "+ #1  .*1706.03762  Attention Is All You Need" && grep -q "now: keyword: title has .attention. +8" "$dir/out"'
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

finish
