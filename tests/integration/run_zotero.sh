#!/bin/sh
# The embedding scorer's profile from a Zotero library, against a local
# server that answers as the Zotero Web API v3 documents (fake_zotero.py):
# a first sync in pages of 100 following Link, a second that gets 304, an
# incremental one with new, trashed and deleted items, Backoff and a 429,
# a refused key with and without a copy in the store, a collection and
# what leaves it, the desktop's local API, and the key kept out of every
# log and the store.  Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
# Each run needs new papers (a run with nothing new scores nothing and so
# syncs nothing): each run reads the demo sample with the ids' last two
# digits made the run's number.
runs=0
new_day() {
	runs=$((runs + 1))
	sed -E "s#(arxiv.org/abs/[0-9]{4}\.[0-9]{3})[0-9]{2}#\1$(printf %02d $runs)#g" \
		"$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom" > "$work/day.atom"
}
LIB_BIB="$PW_SRCDIR/tests/fixtures/library.bib"
KEY="zkey-7Hq2LmP9sW4xR8vT"
export ZOTERO_API_KEY="$KEY"
zlib="$work/zotero-library.json"
zlog="$work/zotero-requests.jsonl"

# The library: the three decoding papers of library.bib, 117 papers on
# other subjects (five without an abstract), a trashed paper, a standalone
# note and an attachment: 120 items a profile takes, in two pages.
"$PY" - "$zlib" <<'PY'
import json, sys
subjects = ["soil microbiome nitrogen fixation in wheat fields", "coral reef bleaching and ocean heat",
            "medieval trade routes across the baltic sea", "glacier retreat measured by satellite altimetry",
            "bird migration timing under warmer springs", "volcanic ash dispersion forecasts"]
items = [
    {"key": "LEVI2023", "itemType": "conferencePaper", "date": "2023-07-01",
     "title": "Fast Inference from Transformers via Speculative Decoding",
     "abstractNote": "Inference from large autoregressive models like Transformers is slow. We introduce speculative decoding, an algorithm to sample from autoregressive models faster without any changes to the outputs, by computing several tokens in parallel with a draft model."},
    {"key": "CHEN2023", "itemType": "preprint", "date": "2023",
     "title": "Accelerating Large Language Model Decoding with Speculative Sampling",
     "abstractNote": "We present speculative sampling, an algorithm for accelerating transformer decoding by enabling the generation of multiple tokens from each transformer call, using a draft model and a modified rejection sampling scheme."},
    {"key": "CAIM2024", "itemType": "journalArticle", "date": "January 2024",
     "title": "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads",
     "abstractNote": "Large language models employ sequential decoding; Medusa adds extra decoding heads to predict multiple subsequent tokens in parallel and verifies them with tree attention, speeding up inference."},
]
for n in range(117):
    s = subjects[n % len(subjects)]
    items.append({"key": "F%07d" % n, "itemType": "journalArticle", "date": str(1990 + n % 30),
                  "title": "A field study of %s, part %d" % (s, n),
                  "abstractNote": "" if n < 5 else "We report observations of %s over %d seasons." % (s, n + 2)})
for i in items:
    i["version"] = 5
    i["collections"] = ["ABCD2345"] if i["key"] in ("LEVI2023", "CHEN2023", "CAIM2024") else []
items += [
    {"key": "TRASHED1", "version": 6, "itemType": "journalArticle", "title": "A paper in the trash",
     "abstractNote": "Trashed.", "deleted": True, "collections": []},
    {"key": "NOTE0001", "version": 6, "itemType": "note", "title": "", "note": "<p>a note</p>", "collections": []},
    {"key": "ATTACH01", "version": 6, "itemType": "attachment", "parentItem": "LEVI2023",
     "title": "Full Text PDF", "collections": []},
]
json.dump({"version": 10, "key": "zkey-7Hq2LmP9sW4xR8vT", "items": items, "deleted": {}}, open(sys.argv[1], "w"))
PY
"$PY" "$PW_SRCDIR/tests/integration/fake_zotero.py" --library "$zlib" --port-file "$work/zport" \
	--request-log "$zlog" --lifetime 600 &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$work/zport" ] && break; sleep 0.1; done
ZBASE="http://127.0.0.1:$(cat "$work/zport")"

# zcase NAME PROFILE-ITEMS [KEY-OPTION]: one digest over the demo sample
zcase() {
	dir="$work/$1"
	keyopt=${3-'"zotero_key": "${ZOTERO_API_KEY}",'}
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 2, "backoff": 0.2, "timeout": 5},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "file://$work/day.atom", "max_results": 50}],
  "digests": [{"name": "daily",
     "scorers": [{"plugin": "embedding", "weight": 10, "profile": [$2], $keyopt
                  "zotero_api": "$ZBASE", "zotero_local_api": "$ZBASE/api"}],
     "select": {"min_score": 0},
     "sinks": [{"plugin": "json", "path": "$dir/papers.jsonl"}]}]
}
JSON
}
# edit PYTHON: changes the library file (lib is its JSON)
edit() { "$PY" -c "
import json, sys
lib = json.load(open(sys.argv[1]))
$1
json.dump(lib, open(sys.argv[1], 'w'))
" "$zlib"; }
# requests [FILTER]: the server's log lines since mark, as "status path query-keys"
mark() { : > "$zlog"; }
requests() { "$PY" -c "
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    print(r['status'], r['path'], ' '.join('%s=%s' % kv for kv in sorted(r['query'].items()) if kv[0] in ('since', 'start', 'format')),
          'ims=%s' % r['if_modified_since_version'], 'v=%s' % r['version_header'], 'key=%s' % ('yes' if r['key_header'] else 'no'))
" "$zlog"; }
# The first words of the titles of the last run's three best papers.
top3() { "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(' / '.join(sorted(r['title'].split()[0] for r in rows[:3])))" "$dir/papers.jsonl"; }
rank() { "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[2])]
print([i + 1 for i, r in enumerate(rows) if r['title'].startswith(sys.argv[1])][0])" "$1" "$2"; }
best3() { [ "$(top3)" = "Accelerating / Fast / Medusa:" ]; }

zcase web '"zotero:users/12345"'
mark
new_day
run
requests > "$dir/requests"
check "first sync: two pages of items/top (following Link), each with Zotero-API-Version 3 and the key" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c " /users/12345/items/top " "$dir/requests")" = 2 ] &&
	 grep -q "^200 /users/12345/items/top format=json start=100 ims=None v=3 key=yes" "$dir/requests" &&
	 ! grep -v "v=3 key=yes" "$dir/requests" | grep -q .'
check "first sync: 120 items taken (not the trashed paper, the note or the attachment), counted in the log" \
	'grep -q "info: embedding: zotero:users/12345: synced to version 10: 120 new, 0 changed, 0 removed; 120 items" "$dir/err"'
check "items without an abstract are named as such" \
	'grep -q "warning: embedding: zotero:users/12345: 5 of its 120 items have no abstract; they count by their title alone" "$dir/err"'
check "the Zotero library ranks: its decoding papers neighbours come first" \
	'best3'
cp "$dir/papers.jsonl" "$dir/first.jsonl"

mark
new_day
run
requests > "$dir/requests"
check "second run, nothing changed: one request, sent with If-Modified-Since-Version 10, answered 304" \
	'[ "$(rc)" = 0 ] && [ "$(wc -l < "$dir/requests")" = 1 ] && grep -q "^304 /users/12345/items/top format=json since=10 ims=10 v=3" "$dir/requests" &&
	 grep -q "zotero:users/12345: unchanged since version 10 (120 items)" "$dir/err"'

# A new paper like Mamba, one paper deleted for good, one moved to the trash.
edit '
lib["items"].append({"key": "MAMBA001", "version": 11, "itemType": "preprint", "date": "2023-12-01", "collections": [],
  "title": "Selective state space models for linear-time sequence modeling",
  "abstractNote": "Mamba: state space models with selective state spaces give linear-time sequence modeling, a recurrent scan instead of attention, for language, audio and genomics."})
lib["items"] = [i for i in lib["items"] if i["key"] != "F0000010"]
lib["deleted"]["F0000010"] = 12
for i in lib["items"]:
    if i["key"] == "F0000011": i["deleted"] = True; i["version"] = 13
lib["version"] = 13'
mark
new_day
run
requests > "$dir/requests"
check "incremental sync: items since 10, the changed versions and the deletions, nothing more" \
	'[ "$(rc)" = 0 ] && [ "$(wc -l < "$dir/requests")" = 3 ] &&
	 grep -q "^200 /users/12345/items/top format=json since=10 ims=10" "$dir/requests" &&
	 grep -q "^200 /users/12345/items format=versions since=10 " "$dir/requests" &&
	 grep -q "^200 /users/12345/deleted since=10 " "$dir/requests"'
check "incremental sync: 1 new, the deleted and the trashed paper removed" \
	'grep -q "zotero:users/12345: synced to version 13: 1 new, 0 changed, 2 removed; 119 items" "$dir/err"'
check "the paper added in Zotero is a positive now: Mamba is selected, as it was not on the first run" \
	'echo "Mamba: #$(rank Mamba "$dir/first.jsonl") then, #$(rank Mamba "$dir/papers.jsonl") now" >&2 && [ "$(rank Mamba "$dir/papers.jsonl")" -le 4 ] && [ "$(rank Mamba "$dir/first.jsonl")" -gt 4 ]'

# Backoff on every answer and one 429: the requests wait as asked.
edit '
for i in lib["items"]:
    if i["key"] == "CAIM2024": i["version"] = 14
lib["version"] = 14; lib["backoff"] = 1; lib["throttle"] = 1'
mark
new_day
run
check "a 429 with Retry-After is retried; Backoff: 1 spaces every request by a second; the item change is taken" \
	'[ "$(rc)" = 0 ] && "$PY" -c "
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
assert [r[\"status\"] for r in rs] == [429, 200, 200, 200], [r[\"status\"] for r in rs]
gaps = [b[\"time\"] - a[\"time\"] for a, b in zip(rs, rs[1:])]
assert min(gaps) >= 0.95, gaps
" "$zlog" && grep -q "synced to version 14: 0 new, 1 changed, 0 removed; 119 items" "$dir/err" &&
	 grep -q "as it asked (Backoff)" "$dir/err"'
edit 'lib.pop("backoff")'

# A refused key: the copy of the last sync is used, and said so.
sed -i "s/\${ZOTERO_API_KEY}/\${ZOTERO_WRONG_KEY}/" "$dir/pw.json"
edit 'lib["version"] = 15'
mark
new_day
ZOTERO_WRONG_KEY=not-the-key run
check "a refused key (403): named with what to do; the 119 items of the last sync are used" \
	'[ "$(rc)" = 0 ] && grep -q "warning: embedding: zotero:users/12345: not synced: the key was refused (HTTP 403): give zotero_key a key with read access to this library" "$dir/err" &&
	 grep -q "using the 119 items of the last sync (version 14)" "$dir/err"'
check "the key never reached a log, the report or the store" \
	'! grep -q "$KEY" "$dir/out" "$dir/err" "$dir/pw.db"* && ! grep -rq "$KEY" "$work/web"'

zcase refused "\"zotero:users/12345\", \"$LIB_BIB\"" '"zotero_key": "${ZOTERO_WRONG_KEY}",'
new_day
ZOTERO_WRONG_KEY=not-the-key run
check "a refused key and no copy: the library is named, the rest of the profile scores" \
	'[ "$(rc)" = 0 ] && grep -q "zotero:users/12345: not read: the key was refused (HTTP 403)" "$dir/err" && best3'
zcase nokey '"zotero:users/12345"' ' '
new_day
run
check "no key for a private library and nothing else in the profile: said, and the scorer fails the run (exit 1)" \
	'[ "$(rc)" = 1 ] && grep -q "no zotero_key is given, and only public libraries can be read without one" "$dir/err" &&
	 grep -q "error: embedding: profile: 1 of its Zotero libraries could not be read and it holds nothing else" "$dir/err"'

zcase collection '"zotero:users/12345/collections/ABCD2345"'
mark
new_day
run
check "a collection: only its three items" \
	'[ "$(rc)" = 0 ] && grep -q "zotero:users/12345/collections/ABCD2345: synced to version 15: 3 new, 0 changed, 0 removed; 3 items" "$dir/err" &&
	 best3'
edit '
for i in lib["items"]:
    if i["key"] == "CHEN2023": i["collections"] = []; i["version"] = 16
lib["version"] = 16'
new_day
run
check "an item taken out of the collection leaves the profile" \
	'grep -q "collections/ABCD2345: synced to version 16: 0 new, 0 changed, 1 removed; 2 items" "$dir/err"'

zcase empty "\"zotero:users/12345/collections/EMPTY123\", \"$LIB_BIB\""
new_day
run
check "an empty collection is named as such; the rest of the profile is used" \
	'[ "$(rc)" = 0 ] && grep -q "warning: embedding: zotero:users/12345/collections/EMPTY123: no item of a paper.s type" "$dir/err"'

zcase local '"zotero:local"' ' '
mark
new_day
run
check "the desktop local API (user 0): read without a key" \
	'[ "$(rc)" = 0 ] && grep -q "zotero:local: synced to version 16: 119 new" "$dir/err" && requests | grep -q "^200 /api/users/0/items/top .*key=no"'
edit 'lib["local_disabled"] = True; lib["version"] = 17'
new_day
run
check "a local API that is turned off: says which setting turns it on" \
	'grep -q "the local API refused (HTTP 403): turn on \"Allow other applications on this computer to communicate with Zotero\"" "$dir/err" &&
	 grep -q "using the 119 items of the last sync (version 16)" "$dir/err"'

zcase typo '"zotero:user/12345"'
(cd "$dir" && "$BIN" check -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a profile item that is not a Zotero library: a config error saying how to write one" \
	'[ "$(rc)" = 2 ] && grep -q "profile\[0\]: \"zotero:user/12345\" names no Zotero library: write zotero:users/ID, zotero:groups/ID or zotero:local" "$dir/err"'

finish
