#!/bin/sh
# Exactly once, even when killed: the real binary is killed with SIGKILL at
# every point between a store commit and an external effect (the test hook
# PAPERWIRE_CRASH_AT), then run twice more; every selected paper must have
# reached every sink (Markdown, RSS, appended JSON Lines, e-mail through a
# real SMTP server) once, the store must pass its integrity check and no
# temporary file may be left.  Also: a kill in the middle of an append (a
# file-size limit), a full disk during one, and Ctrl-C during an LLM
# enricher's retries followed by a run that gets a 304.
# Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
T="$PW_SRCDIR/tests/integration"
"$PY" "$T/make_atom.py" 10 "$work/day.atom"
start_smtp "$work/mailserver"

# kill_case NAME: a work dir with the config (two digests, four sinks each)
kill_case() {
	dir="$work/$1"
	mkdir -p "$dir/out" "$dir/mail"
	sinks() { # digest
		cat <<JSON
       {"plugin": "markdown", "path": "$dir/out/$1.md"},
       {"plugin": "rss", "path": "$dir/out/$1.xml", "keep_days": 30},
       {"plugin": "json", "path": "$dir/out/$1.jsonl", "append": true},
       {"plugin": "email", "url": "smtp://127.0.0.1:$SMTP_PORT", "tls": "none", "from": "bot@example.org",
        "to": ["$1@example.org"]}
JSON
	}
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "file://$work/day.atom",
               "max_results": 10, "page_size": 10}],
  "digests": [
    {"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3}}],
     "select": {"min_score": 1}, "sinks": [
$(sinks daily)
     ]},
    {"name": "lab", "scorers": [{"plugin": "keyword", "keywords": {"world model": 3, "part 2": 2}}],
     "select": {"min_score": 1}, "sinks": [
$(sinks lab)
     ]}
  ]
}
JSON
}

# run_n N [ENV...]: run N of the case; keeps the Markdown pages as they were after it.
# With LIMIT set: a file-size limit of LIMIT blocks; with NOXFSZ, SIGXFSZ ignored.
run_n() {
	n=$1; shift
	rm -rf "$work/mailserver"/*
	(
		[ -z "${NOXFSZ:-}" ] || trap '' XFSZ
		[ -z "${LIMIT:-}" ] || ulimit -f "$LIMIT"
		cd "$dir" && exec env "$@" "$BIN" run -c pw.json >"$dir/out.$n" 2>"$dir/err.$n"
	); echo $? > "$dir/rc.$n"
	for d in daily lab; do [ -f "$dir/out/$d.md" ] && cp "$dir/out/$d.md" "$dir/out/$d.md.$n"; done
	# The SMTP server's messages, numbered across runs.
	for m in "$work/mailserver"/*.eml; do
		[ -f "$m" ] || continue
		k=$(ls "$dir/mail" | grep -c '\.eml$'); k=$((k + 1))
		mv "$m" "$dir/mail/$k.eml"; mv "${m%.eml}.json" "$dir/mail/$k.json"
	done
	cp "$dir/err.$n" "$dir/err"
}

# The reference: what a run that is never killed selects.
kill_case reference
run_n 1 PAPERWIRE_CRASH_AT=
"$PY" - "$dir/pw.db" > "$work/expected.json" <<'PYEOF'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(json.dumps({d: sorted(r[0] for r in db.execute(
    "SELECT DISTINCT paper_id FROM ledger WHERE digest = ? AND status = 2", (d,))) for d in ("daily", "lab")}))
PYEOF
check "the reference run delivers to all eight sinks" \
	'[ "$(cat "$dir/rc.1")" = 0 ] && grep -q "digest daily: 10 scored, 0 vetoed, 5 selected" "$dir/err" && grep -q "digest lab: 10 scored, 0 vetoed, 6 selected" "$dir/err"'
check "and passes the exactly-once check itself" '"$PY" "$T/check_exactly_once.py" "$dir" "$work/expected.json" >&2'

# Every point, each time it is reached: 2 selections, 8 sinks, 4 of which
# (JSON Lines, e-mail) record their effect before it.
points="fetch-committed:1 selection-committed:1 selection-committed:2"
for i in 1 2 3 4 5 6 7 8; do points="$points in-flight:$i effect-done:$i delivered:$i"; done
for i in 1 2 3 4; do points="$points effect-begun:$i"; done
for p in $points; do
	kill_case "kill-$(echo "$p" | tr : -)"
	run_n 1 PAPERWIRE_CRASH_AT="$p"
	run_n 2
	run_n 3
	check "killed at $p: then every paper reaches every sink once" \
		'[ "$(cat "$dir/rc.1")" = 137 ] && grep -q "crash point $p reached" "$dir/err.1" && [ "$(cat "$dir/rc.2")" = 0 ] && [ "$(cat "$dir/rc.3")" = 0 ] && "$PY" "$T/check_exactly_once.py" "$dir" "$work/expected.json" > "$dir/check" || { cat "$dir/check" "$dir/err.1" "$dir/err.2" >&2; false; }'
done
check "a redone e-mail keeps its Message-ID (the kill after the relay accepted it)" \
	'grep -q "finishing the delivery of 5 papers an earlier run was stopped in" "$work/kill-effect-done-4/err.2" && [ "$(ls "$work/kill-effect-done-4/mail" | grep -c eml)" = 3 ]'

# An e-mail sink that also reports empty days (send_empty), killed after
# the relay took the message: the next run sends it again under the same
# Message-ID and nothing else (no "nothing new" after the redo).
dir="$work/send-empty"
mkdir -p "$dir/mail"
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "file://$work/day.atom",
               "max_results": 10, "page_size": 10}],
  "digests": [{"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3}}],
     "select": {"min_score": 1},
     "sinks": [{"plugin": "email", "url": "smtp://127.0.0.1:$SMTP_PORT", "tls": "none", "from": "bot@example.org",
                "to": ["daily@example.org"], "send_empty": true}]}]
}
JSON
run_n 1 PAPERWIRE_CRASH_AT=effect-done:1
run_n 2
check "send_empty: a redone e-mail is the only message of the next run" \
	'[ "$(cat "$dir/rc.2")" = 0 ] && [ "$(ls "$dir/mail" | grep -c eml)" = 2 ] && [ "$(grep -h "^Message-ID" "$dir/mail"/*.eml | sort -u | wc -l)" = 1 ]'

# A kill in the middle of an append: the file-size limit stops the write
# half-way with SIGXFSZ.  Then a full disk (the same limit, the signal
# ignored: write fails with EFBIG): cut back, nothing half-written.  The
# limit applies to every file, so the JSON Lines file starts with 16 MiB
# of padding: the store and the other outputs stay far below it.
pad() { "$PY" -c 'import json, sys; print(json.dumps({"padding": True, "x": "p" * (16 << 20)}))' > "$dir/out/daily.jsonl"; }
kill_case xfsz
pad
run_n 1
"$PY" "$T/make_atom.py" 10 "$work/day2.atom" 11
sed -i "s|file://$work/day.atom|file://$work/day2.atom|" "$dir/pw.json"
size=$(stat -c %s "$dir/out/daily.jsonl")
LIMIT=$(( (size + 700) / 512 )) run_n 2
check "a write past the file-size limit kills the run mid-append (SIGXFSZ)" \
	'[ "$(cat "$dir/rc.2")" -gt 128 ] && [ "$(stat -c %s "$dir/out/daily.jsonl")" -gt "$size" ]'
run_n 3
"$PY" - "$work/expected.json" "$work/expected2.json" <<'PYEOF'
import json, sys
e = json.load(open(sys.argv[1]))
e["daily"] += ["2611.%05d" % i for i in range(12, 21, 2)]
e["lab"] += ["2611.%05d" % i for i in range(11, 21, 2)]
json.dump(e, open(sys.argv[2], "w"))
PYEOF
check "the next run cuts the half line away and appends once" \
	'[ "$(cat "$dir/rc.3")" = 0 ] && grep -q "removing the [0-9]* bytes an interrupted run appended" "$dir/err.3" && "$PY" "$T/check_exactly_once.py" "$dir" "$work/expected2.json" > "$dir/check" || { cat "$dir/check" >&2; false; }'

kill_case diskfull
pad
run_n 1
sed -i "s|file://$work/day.atom|file://$work/day2.atom|" "$dir/pw.json"
size=$(stat -c %s "$dir/out/daily.jsonl")
NOXFSZ=1 LIMIT=$(( (size + 700) / 512 )) run_n 2
check "a full disk during an append: exit 1, the file cut back to whole lines" \
	'[ "$(cat "$dir/rc.2")" = 1 ] && [ "$(stat -c %s "$dir/out/daily.jsonl")" = "$size" ] && grep -q "daily.jsonl: File too large" "$dir/err.2"'
run_n 3
check "the next run delivers what the full disk kept back, once" \
	'[ "$(cat "$dir/rc.3")" = 0 ] && "$PY" "$T/check_exactly_once.py" "$dir" "$work/expected2.json" > "$dir/check" || { cat "$dir/check" >&2; false; }'

# Ctrl-C while the LLM enricher retries a dead endpoint, then a run whose
# fetch gets a 304: that day's papers are delivered all the same.
dir="$work/sigint"
mkdir -p "$dir"
dead=$(closed_port)
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 4, "backoff": 2},
  "sources": [{"plugin": "arxiv", "name": "src", "categories": ["cs.LG"],
               "base_url": "$BASE/fixture/listing_small.xml?"}],
  "digests": [{"name": "daily", "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3}}],
     "select": {"min_score": 1},
     "enrichers": [{"plugin": "llm", "task": "summary", "endpoint": "http://127.0.0.1:$dead/v1", "model": "m"}],
     "sinks": [{"plugin": "json", "path": "$dir/papers.jsonl", "append": true}]}]
}
JSON
(cd "$dir" && exec "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err") &
victim=$!
sleep 1.5
kill -INT $victim
wait $victim; echo $? > "$dir/rc"
check "SIGINT during the enricher's retries: exit 130, and it says what is left" \
	'[ "$(rc)" = 130 ] && grep -q "interrupted by SIGINT: stopped at a safe point; .*digest daily: 2 papers to weigh, 0 deliveries to make" "$dir/err" && [ ! -s "$dir/papers.jsonl" ]'
sed -i "s|http://127.0.0.1:$dead/v1|$BASE/llm/sigint/ok/v1|" "$dir/pw.json"
run
check "the next run gets a 304 and still delivers the day's paper, summarised" \
	'[ "$(rc)" = 0 ] && grep -q "HTTP 304" "$dir/err" && [ "$(grep -c . "$dir/papers.jsonl")" = 1 ] && grep -q "TL;DR" "$dir/papers.jsonl"'
(cd "$dir" && exec "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err") &
victim=$!
sleep 0.3
kill -TERM $victim 2>/dev/null
wait $victim; echo $? > "$dir/rc"
check "SIGTERM: exit 143 or a finished run (0), never a half state" \
	'{ [ "$(rc)" = 143 ] || [ "$(rc)" = 0 ]; } && [ "$(grep -c . "$dir/papers.jsonl")" = 1 ]'

finish
