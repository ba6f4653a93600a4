#!/bin/sh
# Integration tests: the real paperwire binary against a local HTTP server
# (127.0.0.1 only) serving our fixtures, with the faults arXiv really has.
# Prints "integration: N passed, M failed" and exits non-zero on failure.
. "$PW_SRCDIR/tests/integration/lib.sh"

# new_case NAME URL [SOURCE-EXTRA] [HTTP-EXTRA]: a config in its own dir
new_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "contact": "tests@example.org",
  "http": {"timeout": 3, "connect_timeout": 2, "retries": 2, "backoff": 0.2, "spacing": 0 ${4:-}},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "$2",
               "max_results": 10, "page_size": 2 ${3:-}}],
  "digests": [{"name": "daily",
    "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3, "RL": 2, "world model": 1}, "exclude": ["survey"]}],
    "select": {"min_score": 1, "max_papers": 10},
    "sinks": [{"plugin": "markdown", "path": "$dir/digest.md"}]}]
}
JSON
}

# --- a normal run, then a second one that finds nothing new
new_case normal "$BASE/fixture/api_paged.atom"
run
check "a normal run exits 0" '[ "$(rc)" = 0 ]'
check "it pages through both pages" 'grep -q "3 fetched, 3 new" "$dir/err"'
check "the digest lists the speculative decoding paper with its reason" \
	'grep -q "Speculative Decoding with Tiny Drafts" "$dir/digest.md" && grep -q "title has .speculative decoding. +6" "$dir/digest.md"'
check "'RL' in 'world' does not match; 'world model' does" \
	'grep -q "A World Model for Robots" "$dir/digest.md" && grep -q "title has .world model. +2)" "$dir/digest.md"'
check "the survey is vetoed" '! grep -q "Revisited" "$dir/digest.md" && grep -q "1 vetoed" "$dir/err"'
check "no temporary file is left" '[ -z "$(ls "$dir" | grep tmp)" ]'
run
check "a second run exits 0" '[ "$(rc)" = 0 ]'
check "a second run delivers nothing new and says so" \
	'grep -q "0 selected (nothing new: all 3 papers fetched were seen before); sink markdown: 0 delivered" "$dir/err" && grep -q "nothing new (all 3 papers fetched were seen before)\. The 2 papers below" "$dir/digest.md"'

# --- dry run writes and marks nothing
new_case dry "$BASE/fixture/api_paged.atom"
run --dry-run
check "a dry run exits 0 and prints what it would deliver" \
	'[ "$(rc)" = 0 ] && grep -q "2 papers would be delivered" "$dir/out"'
check "a dry run writes no digest" '[ ! -e "$dir/digest.md" ]'
run
check "a real run after a dry run still delivers everything" 'grep -q "2 delivered" "$dir/err"'

# --- 429 with Retry-After, then success
new_case r429 "$BASE/flaky/a429/2/429/api_paged.atom"
run
check "429 with Retry-After is retried and the run succeeds" \
	'[ "$(rc)" = 0 ] && grep -q "HTTP 429, retry 1" "$dir/err" && grep -q "3 fetched" "$dir/err"'
check "Retry-After: 1 was honoured (the wait is logged as 1.0 s)" 'grep -q "retry 1 of 2 in 1.0 s" "$dir/err"'

# --- 503 until the retries run out: the source fails, the sink still runs, exit 1
new_case r503 "$BASE/status/503?retry_after=0"
run
check "503 after every retry: exit 1" '[ "$(rc)" = 1 ]'
check "the failure is reported, and the page says why it is empty" \
	'grep -q "HTTP 503" "$dir/err" && grep -q "source src: FAILED" "$dir/err" && grep -q "did not complete\*\*: source src failed" "$dir/digest.md"'

# --- a truncated body
new_case trunc "$BASE/truncated"
run
check "a truncated body is an error (exit 1) after retries" \
	'[ "$(rc)" = 1 ] && grep -qi "partial\|transfer closed" "$dir/err"'

# --- a body slower than the timeout
new_case slow "$BASE/slow" "" ', "timeout": 1'
sed -i 's/"timeout": 3, //' "$dir/pw.json"
run
check "a body slower than the timeout fails the source (exit 1)" \
	'[ "$(rc)" = 1 ] && grep -qi "timed out\|timeout" "$dir/err"'

# --- the API's error entry
new_case apierr "$BASE/fixture/api_error.atom"
run
check "an API error entry is an error, not a paper" \
	'[ "$(rc)" = 1 ] && grep -q "arXiv API error (HTTP 200).*max_results must be an integer" "$dir/err" && grep -q "0 fetched" "$dir/err"'

# --- malformed XML: no partial records
new_case malformed "$BASE/fixture/api_malformed.atom"
run
check "malformed XML fails with its line, and no partial record comes out" \
	'[ "$(rc)" = 1 ] && grep -q "malformed XML at line" "$dir/err" && grep -q "0 fetched" "$dir/err"'

# --- hostile XML
new_case bomb "$BASE/fixture/api_bomb.atom"
run
check "an entity-expansion bomb is refused" '[ "$(rc)" = 1 ] && grep -q "refused: the document has a DTD" "$dir/err"'
new_case xxe "$BASE/fixture/api_xxe.atom"
run
check "an external entity is refused and no file is read" \
	'[ "$(rc)" = 1 ] && grep -q "refused: the document has a DTD" "$dir/err" && ! grep -rq "root:x" "$dir"'

# --- bytes that are not UTF-8
new_case latin1 "$BASE/fixture/api_latin1.atom"
run
check "a document that is not valid UTF-8 is an error naming the line" \
	'[ "$(rc)" = 1 ] && grep -q "malformed XML at line 5: Input is not proper UTF-8" "$dir/err" && grep -q "0 fetched" "$dir/err"'

# --- a throttled 200 that is not Atom
new_case notatom "$BASE/fixture/api_rate_exceeded.txt"
run
check "a 200 whose body is 'Rate exceeded.' is not parsed as papers" \
	'[ "$(rc)" = 1 ] && grep -q "not an Atom feed: the body starts with \"Rate exceeded.\"" "$dir/err"'

# --- an oversized body
new_case big "$BASE/big" "" ', "max_bytes": 1048576'
run
check "a body over max_bytes is cut off in the write callback" \
	'[ "$(rc)" = 1 ] && grep -q "larger than the 1048576-byte cap" "$dir/err"'

# --- a refused protocol
new_case proto "ftp://127.0.0.1:$PORT/x"
run
check "protocols other than http, https and file are refused before anything runs" \
	'[ "$(rc)" = 2 ] && grep -q "base_url: \"ftp://127.0.0.1:$PORT/x\" is not an http:// or https:// (or file://) URL" "$dir/err"'

# --- file:// works offline
new_case file "file://$PW_SRCDIR/tests/fixtures/api_paged.atom"
sed -i 's/"max_results": 10/"max_results": 2/' "$dir/pw.json"
run
check "file:// reads a page offline" '[ "$(rc)" = 0 ] && grep -q "2 fetched" "$dir/err"'

# --- config errors: exit 2 with FILE:LINE:COL
new_case cfg "$BASE/fixture/api_paged.atom"
sed -i 's/"max_results": 10/"max_results": "ten"/' "$dir/pw.json"
run
check "a wrong option type: exit 2 and FILE:LINE:COL: path: message" \
	'[ "$(rc)" = 2 ] && grep -q "^pw.json:6:31: sources\[0\].max_results: expected an integer$" "$dir/err"'
new_case cfg2 "$BASE/fixture/api_paged.atom"
sed -i 's/"plugin": "keyword"/"plugin": "keywrd"/' "$dir/pw.json"
run
check "an unknown plugin: exit 2, named with its position" \
	'[ "$(rc)" = 2 ] && grep -q "^pw.json:8:28: digests\[0\].scorers\[0\].plugin: no plugin named \"keywrd\"" "$dir/err"'
new_case cfg3 "$BASE/fixture/api_paged.atom"
printf '{"sources": [\n  {"plugin": "arxiv",}\n]}\n' > "$dir/pw.json"
run
check "malformed JSON: exit 2 with its line and column" '[ "$(rc)" = 2 ] && grep -q "^pw.json:2:21: malformed JSON: a trailing comma before the closing bracket: remove it" "$dir/err"'
new_case cfg4 "$BASE/fixture/api_paged.atom"
sed -i 's/"contact": "tests@example.org"/"contact": "${PW_TEST_SECRET_CONTACT}"/' "$dir/pw.json"
(cd "$dir" && PW_TEST_SECRET_CONTACT=hunter2-secret "$BIN" check -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "\${ENV} expansion works in check" '[ "$(rc)" = 0 ]'
sed -i 's/"max_results": 10/"max_results": "${PW_TEST_SECRET_CONTACT}"/' "$dir/pw.json"
(cd "$dir" && PW_TEST_SECRET_CONTACT=hunter2-secret "$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a value from the environment is never printed" '[ "$(rc)" = 2 ] && ! grep -q hunter2-secret "$dir/err" "$dir/out"'
(cd "$dir" && "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "an unset environment variable: exit 2, named" \
	'[ "$(rc)" = 2 ] && grep -q "environment variable PW_TEST_SECRET_CONTACT is not set" "$dir/err"'

# --- the store
new_case locked "$BASE/fixture/api_paged.atom"
( flock -x 9; sleep 3 ) 9>>"$dir/pw.db" &
holder=$!
sleep 0.5
run
check "a store locked by another run: exit 3 (busy, not a usage error), said plainly" \
	'[ "$(rc)" = 3 ] && grep -q "is locked: another paperwire run is using it; nothing was done, run again when it ends" "$dir/err"'
wait $holder
new_case garbage "$BASE/fixture/api_paged.atom"
head -c 5000 /dev/urandom > "$dir/pw.db"
run
check "a store that is not SQLite: exit 4, naming the file" '[ "$(rc)" = 4 ] && grep -q "store $dir/pw.db" "$dir/err"'

# --- a store of schema 1 (written by the code before schema 2) is migrated in place
dir="$work/migrate"
mkdir -p "$dir"
cp "$PW_SRCDIR/tests/fixtures/store_v1.db" "$dir/pw.db" && chmod u+w "$dir/pw.db"
check "the schema-1 store written by the earlier code is there" \
	'"$PY" -c "import sqlite3,sys; assert sqlite3.connect(sys.argv[1]).execute(\"PRAGMA user_version\").fetchone()[0] == 1" "$dir/pw.db"'
"$PY" "$PW_SRCDIR/tests/integration/make_atom.py" 10 "$dir/day.atom"
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "file://$dir/day.atom",
               "max_results": 10, "page_size": 10}],
  "digests": [
    {"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3}}],
     "select": {"min_score": 1},
     "sinks": [{"plugin": "json", "name": "delivered", "path": "$dir/daily.jsonl"},
               {"plugin": "json", "name": "stuck", "path": "$dir/stuck.jsonl"}]},
    {"name": "lab", "scorers": [{"plugin": "keyword", "keywords": {"world model": 3}}], "select": {"min_score": 1},
     "sinks": [{"plugin": "json", "path": "$dir/lab.jsonl"}]}
  ]
}
JSON
run
check "a schema-1 store: migrated to schema 2 in place, its pending papers delivered, nothing twice" \
	'[ "$(rc)" = 0 ] && grep -q "sink delivered: 0 delivered; sink stuck: 5 delivered" "$dir/err" && [ ! -s "$dir/daily.jsonl" ] && [ "$(grep -c . "$dir/stuck.jsonl")" = 5 ]'
check "its papers left to weigh again are weighed by the digest that could not score them" \
	'grep -q "lab: weighing again 10 papers an earlier run could not score" "$dir/err" && grep -q "digest lab: 10 scored, 0 vetoed, 5 selected" "$dir/err"'
latest=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$PW_SRCDIR/core/store.h")
check "the migrated store is at version $latest (the latest) and whole" \
	'"$PY" -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); assert db.execute(\"PRAGMA user_version\").fetchone()[0] == int(sys.argv[2]); assert db.execute(\"PRAGMA integrity_check\").fetchone()[0] == \"ok\"" "$dir/pw.db" "$latest"'
run
check "and the next run delivers nothing again" \
	'[ "$(rc)" = 0 ] && grep -q "sink delivered: 0 delivered; sink stuck: 0 delivered; digest lab: 0 scored" "$dir/err"'

# --- a store of schema 5 (papers as JSON records, written by the code before schema 6) is migrated in place
dir="$work/migrate5"
mkdir -p "$dir/v5"
cp "$PW_SRCDIR/tests/fixtures/store_v5.db" "$dir/pw.db" && chmod u+w "$dir/pw.db"
cp "$PW_SRCDIR/tests/fixtures/store_v5.db" "$dir/v5/pw.db"
"$PY" "$PW_SRCDIR/tests/integration/make_atom.py" 10 "$dir/day.atom"
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "file://$dir/day.atom",
               "max_results": 10, "page_size": 10},
              {"plugin": "arxiv", "name": "enr", "query": "all:test",
               "base_url": "file://$PW_SRCDIR/tests/fixtures/api_enrich.atom", "max_results": 10, "page_size": 10}],
  "digests": [
    {"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3, "learning": 1}}],
     "select": {"min_score": 1},
     "sinks": [{"plugin": "json", "name": "delivered", "path": "$dir/daily.jsonl"},
               {"plugin": "json", "name": "stuck", "path": "$dir/stuck.jsonl"}]}
  ]
}
JSON
run
check "a schema-5 store: migrated in place, the 6 papers its sink 'stuck' had pending delivered, nothing twice" \
	'[ "$(rc)" = 0 ] && grep -q "sink delivered: 0 delivered; sink stuck: 6 delivered (6 of them selected by an earlier run)" "$dir/err" && [ ! -s "$dir/daily.jsonl" ]'
check "each delivered paper is the one the schema-5 ledger held, field for field, scores and reasons included" \
	'"$PY" - "$dir/v5/pw.db" "$dir/stuck.jsonl" <<PY
import json, sqlite3, sys
want = {}
for pid, scored in sqlite3.connect(sys.argv[1]).execute("SELECT paper_id, scored FROM ledger WHERE sink = \"stuck\" AND status = 1"):
    d = json.loads(scored)
    for k in ("version", "published", "updated"):
        if k in d: d[k] = int(d[k])
    want[pid] = d
got = {json.loads(l)["id"]: json.loads(l) for l in open(sys.argv[2])}
assert len(want) == 6 and got == want, (sorted(want), sorted(got))
PY'
check "every paper's JSON record is now its columns: core fields one to a column, times and versions as integers, lists one item a line, the other fields in extra" \
	'"$PY" - "$dir/v5/pw.db" "$dir/pw.db" <<PY
import json, sqlite3, sys
old = sqlite3.connect(sys.argv[1]).execute("SELECT rowid, record FROM papers ORDER BY rowid").fetchall()
new = sqlite3.connect(sys.argv[2])
new.row_factory = sqlite3.Row
core = ["id", "version", "title", "abstract", "authors", "categories", "primary_category", "url", "pdf_url", "doi",
        "source", "announce_type", "comment", "journal_ref", "published", "updated"]
assert len(old) == 12
for rowid, record in old:
    r = json.loads(record)
    row = new.execute("SELECT * FROM papers WHERE rowid = ?", (rowid,)).fetchone()
    for k in core:
        v = r.get(k)
        if isinstance(v, list): v = "\n".join(v)
        elif k in ("version", "published", "updated") and v is not None: v = int(v)
        assert row[k] == v, (rowid, k, row[k], v)
    rest = {k: v for k, v in r.items() if k not in core}
    assert (json.loads(row["extra"]) if row["extra"] else {}) == rest, (rowid, row["extra"], rest)
assert "record" not in row.keys()
PY'
check "the migrated store's ledger keeps the version each paper was selected in" \
	'[ "$("$PY" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM ledger WHERE version = 1\").fetchone()[0])" "$dir/pw.db")" = 12 ]'
run
check "and the next run on the migrated store delivers nothing again" \
	'[ "$(rc)" = 0 ] && grep -q "10 fetched, 0 new" "$dir/err" && grep -q "sink delivered: 0 delivered; sink stuck: 0 delivered" "$dir/err"'

# --- a failing sink keeps papers pending; the next run delivers them once
new_case sinkfail "$BASE/fixture/api_paged.atom"
# (a missing directory is made; one that cannot be, where a file is, fails)
sed -i "s|\"path\": \"$dir/digest.md\"|\"path\": \"$dir/missing-dir/digest.md\"|" "$dir/pw.json"
: > "$dir/missing-dir"
run
check "a sink that cannot write: exit 1" '[ "$(rc)" = 1 ] && grep -q "sink failed; 2 papers stay pending" "$dir/err"'
rm "$dir/missing-dir"
run
check "the next run delivers the pending papers, and says they were selected by an earlier run" \
	'[ "$(rc)" = 0 ] && grep -q "0 selected (nothing new: all 3 papers fetched were seen before); sink markdown: 2 delivered (2 of them selected by an earlier run)" "$dir/err" && grep -q "Tiny Drafts" "$dir/missing-dir/digest.md"'
run
check "and then nothing again" 'grep -q "sink markdown: 0 delivered" "$dir/err"'

# --- kill -9 in the middle of a fetch (during a retry wait) loses nothing committed
new_case kill9 "$BASE/flaky/k9/1/503/api_paged.atom"
sed -i 's/"backoff": 0.2/"backoff": 2/' "$dir/pw.json"
(cd "$dir" && exec "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err") &
victim=$!
sleep 1
kill -9 $victim 2>/dev/null
wait $victim 2>/dev/null
run
check "after a kill -9 mid-run the next run delivers every paper once" \
	'[ "$(rc)" = 0 ] && grep -q "sink markdown: 2 delivered" "$dir/err"'
run
check "and a further run delivers none again" 'grep -q "sink markdown: 0 delivered" "$dir/err"'

# --- kill -9 at random moments, then a clean run: every paper delivered once
new_case killloop "file://$PW_SRCDIR/tests/fixtures/api_paged.atom"
sed -i 's/"max_results": 10/"max_results": 2/' "$dir/pw.json"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	rm -f "$dir/digest.md"
	(cd "$dir" && exec "$BIN" run -c pw.json >/dev/null 2>&1) &
	victim=$!
	sleep "0.0$(( (i * 7) % 10 ))"
	kill -9 $victim 2>/dev/null
	wait $victim 2>/dev/null
done
run
"$PY" - "$dir/pw.db" > "$dir/ledger" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("PRAGMA integrity_check").fetchone()[0])
print(db.execute("SELECT count(*) FROM papers").fetchone()[0])
print(db.execute("SELECT count(*) FROM ledger WHERE status = 2").fetchone()[0])
print(db.execute("SELECT count(*) FROM ledger WHERE status = 1").fetchone()[0])
PY
check "after twelve kill -9s the store is intact and both papers are delivered, none pending" \
	'[ "$(rc)" = 0 ] && [ "$(tr "\n" " " < "$dir/ledger")" = "ok 2 2 0 " ]'

# --- broken plugins are refused with their message
dir="$work/plugins"; mkdir -p "$dir"
PAPERWIRE_PLUGIN_PATH="$PW_BUILDDIR/tests/plugins/.libs:$PW_BUILDDIR/plugins" "$BIN" plugins >"$dir/out" 2>"$dir/err"
check "'plugins' lists arxiv, keyword and markdown" \
	'grep -q "^arxiv  *source" "$dir/out" && grep -q "^keyword  *scorer" "$dir/out" && grep -q "^markdown  *sink" "$dir/out"'
# The versions the test plugins declare, from the ABI this binary speaks.
abi_major=$("$BIN" --version | sed -n 's/.*plugin ABI \([0-9]*\)\.\([0-9]*\).*/\1/p')
abi_minor=$("$BIN" --version | sed -n 's/.*plugin ABI \([0-9]*\)\.\([0-9]*\).*/\2/p')
check "another ABI major is refused" \
	'grep -q "bad_major.[ls][ao]: refused: plugin .bad_major. was built for plugin ABI $((abi_major + 1))\.0, but this paperwire .* speaks ABI $abi_major\.$abi_minor" "$dir/err"'
check "a newer minor is refused" \
	'grep -q "newer_minor.[ls][ao]: refused: plugin .newer_minor. needs plugin ABI $abi_major\.$((abi_minor + 1))" "$dir/err"'
check "no entry symbol is refused" 'grep -q "no_entry.[ls][ao]: refused: not a paperwire plugin: no .pw_plugin_entry. symbol" "$dir/err"'
check "a missing callback is refused" 'grep -q "no_callback.[ls][ao]: refused: plugin .no_callback. is a sink but has no .write. callback" "$dir/err"'
check "a duplicate name is refused" 'grep -q "dup_second.[ls][ao]: refused: duplicate plugin name .dup." "$dir/err"'
check "an older minor loads" 'grep -q "^old_minor  *scorer" "$dir/out"'

# --- a run opens only the plugins its config names, directory by directory
# (each from the file of its name first); `check` still opens every file
new_case named "$BASE/fixture/api_paged.atom"
(cd "$dir" && PAPERWIRE_PLUGIN_PATH="$PW_BUILDDIR/plugins:$PW_BUILDDIR/tests/plugins/.libs" \
	"$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a run with broken plugins later in the path opens none of them: no refusal, exit 0" \
	'[ "$(rc)" = 0 ] && ! grep -q "refused" "$dir/err" && grep -q "3 fetched" "$dir/err"'
(cd "$dir" && PAPERWIRE_PLUGIN_PATH="$PW_BUILDDIR/plugins:$PW_BUILDDIR/tests/plugins/.libs" \
	"$BIN" check -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "check beside them reports every broken one" \
	'grep -q "bad_major.[ls][ao]: refused" "$dir/err" && grep -q "dup_second.[ls][ao]: refused: duplicate plugin name" "$dir/err"'
sed 's/"plugin": "keyword", "keywords": {[^}]*}, "exclude": \["survey"\]/"plugin": "dup"/' "$dir/pw.json" > "$dir/dup.json"
(cd "$dir" && PAPERWIRE_PLUGIN_PATH="$PW_BUILDDIR/plugins:$PW_BUILDDIR/tests/plugins/.libs" \
	"$BIN" run --dry-run -c dup.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a name no file carries is found by opening the directory's files, the first in order winning" \
	'[ "$(rc)" = 0 ] && grep -q "dup_second.[ls][ao]: refused: duplicate plugin name .dup., already provided by .*dup_first" "$dir/err"'
"$BIN" plugins arxiv >"$dir/out" 2>"$dir/err"
check "'plugins arxiv' prints every option with type, default and help" \
	'grep -q "max_results (integer, default 200, within 1\.\.30000)" "$dir/out" &&
	 grep -q "announce (array of strings, default \[\"new\", \"cross\"\], one of new|cross|replace|replace-cross|all)" "$dir/out" &&
	 grep -q "^licence MIT, by the paperwire developers" "$dir/out"'

finish
