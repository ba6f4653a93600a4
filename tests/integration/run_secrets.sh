#!/bin/sh
# Secrets stay with the host they were configured for and never rest: a
# Semantic Scholar key (x-api-key, from the environment) and an OpenAlex key
# (in the query, written into the config) against servers that redirect to
# another port.  A second server logs every request it gets; the key must
# never arrive there, and no store, output or log may hold it, -v included.
# Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
OWN="$PW_SRCDIR/tests/fixtures"
S2KEY=sk-s2-secret-7f3c9a81
OAKEY=oa-secret-5521bb09
export PW_TEST_S2_KEY="$S2KEY"

# other: a server that only logs what reaches it.  api: one that answers
# Semantic Scholar's recommendations for one paper, and logs too.
serve() { # NAME [ARGS]
	name=$1; shift
	"$PY" "$PW_SRCDIR/tests/integration/fake_server.py" --root "$OWN" --port-file "$work/$name.port" \
		--request-log "$work/$name.log" --lifetime 900 "$@" &
	pids="$pids $!"
	for _ in $(seq 100); do [ -s "$work/$name.port" ] && break; sleep 0.1; done
}
cat > "$work/routes.json" <<JSON
[["GET", "/recommendations/v1/papers/forpaper/ARXIV:2411.17700", "", "$OWN/s2_recommendations_listing_paper.json", 200],
 ["GET", "/r401/recommendations/v1/papers/forpaper/ARXIV:2411.17700", "", "$OWN/s2_recommendations_listing_paper.json", 401],
 ["GET", "/r403/recommendations/v1/papers/forpaper/ARXIV:2411.17700", "", "$OWN/s2_recommendations_listing_paper.json", 403]]
JSON
serve other
serve api --routes "$work/routes.json"
OTHER=$(cat "$work/other.port")
API=$(cat "$work/api.port")
touch "$work/other.log" "$work/api.log"

# key_case NAME SOURCE-JSON
key_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 1, "backoff": 0.1},
  "sources": [$2],
  "digests": [{"name": "all", "scorers": [], "select": {"min_score": 0},
               "sinks": [{"plugin": "json", "path": "$dir/papers.jsonl"}, {"plugin": "markdown", "path": "$dir/README.md"}]}]
}
JSON
}
runv() { (cd "$dir" && "$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"; }
s2() { # BASE-URL
	echo "{\"plugin\": \"related\", \"seeds\": [\"arXiv:2411.17700\"], \"base_url\": \"$1\", \"api_key\": \"\${PW_TEST_S2_KEY}\"}"
}

key_case s2_same "$(s2 "http://127.0.0.1:$API/redirect/$API")"
runv
check "a redirect within the key's own host and port is followed, with the key" \
	'[ "$(rc)" = 0 ] && grep -q "source related: 2 fetched" "$dir/err" && grep -qi "^x-api-key: $S2KEY" "$work/api.log"'

key_case s2_other "$(s2 "http://127.0.0.1:$API/redirect/$OTHER")"
runv
check "a redirect of a keyed request to another port is refused, loudly (exit 1, says where and why)" \
	'[ "$(rc)" = 1 ] && grep -q "redirected to http://127.0.0.1:$OTHER, another host or port than http://127.0.0.1:$API; not followed, since the request carries a key" "$dir/err"'
check "and the other port never received a request" '[ ! -s "$work/other.log" ]'

key_case s2_localhost "$(s2 "http://127.0.0.1:$API/redirect/$API" | sed "s|127.0.0.1:$API/redirect/$API|localhost:$API/redirect/$OTHER|")"
runv
check "the same holds from another name of this host (localhost)" '[ "$(rc)" = 1 ] && [ ! -s "$work/other.log" ]'

key_case oa_other "{\"plugin\": \"related\", \"provider\": \"openalex\", \"seeds\": [\"arXiv:2312.07559\"], \"base_url\": \"http://127.0.0.1:$API/redirect/$OTHER\", \"api_key\": \"$OAKEY\"}"
runv
check "an OpenAlex key in the query, written into the config: the redirect elsewhere is refused" \
	'[ "$(rc)" = 1 ] && grep -q "not followed, since the request carries a key" "$dir/err" && [ ! -s "$work/other.log" ]'

# A 200 with an ETag for a URL that holds the key: the validators are kept
# under the URL with the key masked.
key_case oa_validators "{\"plugin\": \"related\", \"provider\": \"openalex\", \"seeds\": [\"arXiv:2312.07559\"], \"base_url\": \"$BASE/fixture/openalex_related_page1.json?x=\", \"api_key\": \"$OAKEY\"}"
runv
check "HTTP validators of a keyed URL are stored with the key masked" \
	'"$PY" -c "
import sqlite3, sys
rows = [r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT url FROM http_validators\")]
assert rows and all(sys.argv[2] not in u for u in rows) and any(\"api_key=***\" in u for u in rows), rows
" "$dir/pw.db" "$OAKEY"'

# Every other failure path: 401, 403, a closed port, a run killed after it
# committed what it fetched; all with -v.
key_case s2_401 "$(s2 "http://127.0.0.1:$API/r401")"
runv
check "a 401 fails loudly, naming the status" \
	'[ "$(rc)" = 1 ] && grep -q "HTTP 401" "$dir/err"'
key_case s2_403 "$(s2 "http://127.0.0.1:$API/r403")"
runv
check "a 403 too" '[ "$(rc)" = 1 ] && grep -q "HTTP 403" "$dir/err"'
key_case s2_closed "$(s2 "http://127.0.0.1:$(closed_port)")"
runv
check "a closed port fails loudly" '[ "$(rc)" = 1 ] && grep -q "Couldn.t connect" "$dir/err"'
key_case s2_timeout "$(s2 "$BASE/slow?")"
sed -i 's/"retries": 1, "backoff": 0.1/"retries": 0, "timeout": 1/' "$dir/pw.json"
runv
check "a timeout fails loudly" '[ "$(rc)" = 1 ] && grep -qi "timeout\|timed out" "$dir/err"'
key_case s2_crash "$(s2 "http://127.0.0.1:$API")"
(cd "$dir" && PAPERWIRE_CRASH_AT=fetch-committed "$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "a run killed after its fetch committed" '[ "$(rc)" = 137 ]'

dump() { "$PY" -c 'import sqlite3, sys; print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$1"; }
leaks=""
for d in s2_same s2_other s2_localhost oa_other oa_validators s2_401 s2_403 s2_closed s2_timeout s2_crash; do
	dump "$work/$d/pw.db" > "$work/$d/dump.sql"
	grep -l -r --exclude=pw.json -e "$S2KEY" -e "$OAKEY" "$work/$d" >/dev/null && leaks="$leaks $d"
done
check "no store (sqlite3 dump), output or log line (-v) holds either key" '[ -z "$leaks" ] || { echo "leaks in:$leaks" >&2; false; }'
finish
