#!/bin/sh
# Integration tests of the sinks: one run delivering to Markdown, RSS,
# Atom, JSON Lines and e-mail (a real SMTP server on 127.0.0.1), with the
# feeds read back by real consumers (feedparser, sfeed) and the message by
# Python's email parser.  Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
T="$PW_SRCDIR/tests/integration"

start_smtp "$work/mail"

# sinks_case NAME SOURCE-URL SMTP-PORT: every sink in one digest, an Atom feed in a second
sinks_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 0, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "all:test", "base_url": "$2",
               "max_results": 2, "page_size": 2}],
  "digests": [
    {"name": "daily",
     "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3, "world model": 1}}],
     "select": {"min_score": 1},
     "sinks": [
       {"plugin": "markdown", "path": "$dir/README.md"},
       {"plugin": "rss", "path": "$dir/feed.xml", "url": "https://example.org/feed.xml"},
       {"plugin": "json", "path": "$dir/papers.jsonl"},
       {"plugin": "email", "url": "smtp://127.0.0.1:$3", "tls": "none", "from": "bot@example.org",
        "to": ["reader@example.org", "lab@example.org"]}
     ]},
    {"name": "lab",
     "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 1}}],
     "select": {"min_score": 1},
     "sinks": [{"plugin": "rss", "name": "atom", "format": "atom", "path": "$dir/feed.atom",
                "url": "https://example.org/lab.atom"}]}
  ]
}
JSON
}

mails() { ls "$work/mail" | grep -c '\.eml$'; }

sinks_case all "$BASE/fixture/api_hostile.atom" "$SMTP_PORT"
run
check "one run delivers to all five sinks" \
	'[ "$(rc)" = 0 ] && grep -q "sink markdown: 2 delivered; sink rss: 2 delivered; sink json: 2 delivered; sink email: 2 delivered" "$dir/err" && grep -q "sink atom: 1 delivered" "$dir/err"'
check "the e-mail arrived" '[ "$(mails)" = 1 ]'
check "the e-mail passes the MIME checks (structure, headers, parts, recipients, no injection)" \
	'"$PY" "$T/check_email.py" "$work/mail/1.eml" reader@example.org lab@example.org > "$dir/mime" || { cat "$dir/mime"; false; }'
check "the subject says how many papers" \
	'"$PY" -c "import email,sys; m=email.message_from_binary_file(open(sys.argv[1],\"rb\")); sys.exit(m[\"Subject\"] != \"paperwire: daily: 2 new papers\")" "$work/mail/1.eml"'
check "the RSS feed passes feedparser (bozo 0, fields)" \
	'"$PY" "$T/check_feed.py" "$dir/feed.xml" rss20 2 "Speculative Decoding with Tiny Drafts" > "$dir/fp" || { cat "$dir/fp"; false; }'
check "the Atom feed passes feedparser" \
	'"$PY" "$T/check_feed.py" "$dir/feed.atom" atom10 1 "Speculative Decoding with Tiny Drafts" > "$dir/fp" || { cat "$dir/fp"; false; }'
check "sfeed reads both feeds, one line per item" \
	'[ "$(sfeed < "$dir/feed.xml" | wc -l)" = 2 ] && [ "$(sfeed < "$dir/feed.atom" | wc -l)" = 1 ]'
check "the hostile title is escaped text in the feed" \
	'grep -q "Evil &lt;script&gt;" "$dir/feed.xml" && ! grep -q "<script>" "$dir/feed.xml"'
check "the guid is the versionless abs page, a permalink" \
	'grep -q "<guid isPermaLink=\"true\">https://arxiv.org/abs/2611.00001</guid>" "$dir/feed.xml"'
check "dates are RFC 822 in English, the self link is there" \
	'grep -Eq "<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9:]{8} \+0000</pubDate>" "$dir/feed.xml" && grep -q "<atom:link rel=\"self\" type=\"application/rss+xml\" href=\"https://example.org/feed.xml\"/>" "$dir/feed.xml"'
check "JSON Lines: one object per paper, with id, version, authors, score and reasons" \
	'"$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2, rows
r = rows[0]
assert r[\"id\"] == \"2611.00001\" and r[\"version\"] == 1, r
assert r[\"authors\"] == [\"Ada Lovelace\", \"Alan Turing\"] and r[\"categories\"] == [\"cs.CL\", \"cs.LG\"], r
assert r[\"score\"] == 6 and r[\"scores\"][\"keyword\"][\"reason\"] == \"title has '"'"'speculative decoding'"'"' +6\", r
assert r[\"affiliations\"] == [\"Ada Lovelace (Analytical Engines Ltd)\"] and isinstance(r[\"published\"], int), r
" "$dir/papers.jsonl"'

run
check "a second run delivers nothing new to any sink" \
	'[ "$(rc)" = 0 ] && grep -q "sink markdown: 0 delivered; sink rss: 0 delivered; sink json: 0 delivered; sink email: 0 delivered" "$dir/err"'
check "no second e-mail (send_empty is false)" '[ "$(mails)" = 1 ]'
check "the feed keeps the papers of earlier runs" \
	'"$PY" "$T/check_feed.py" "$dir/feed.xml" rss20 2 "Speculative Decoding with Tiny Drafts" >/dev/null'

# --- SMTP down: the others deliver, exit 1; the next run sends the e-mail once
down=$(closed_port)
sinks_case down "$BASE/fixture/api_paged.atom" "$down"
run
check "with the SMTP server down the run exits 1 and the other sinks deliver" \
	'[ "$(rc)" = 1 ] && grep -q "sink markdown: 2 delivered" "$dir/err" && grep -q "sink email: FAILED, 2 left pending" "$dir/err" && grep -q "Tiny Drafts" "$dir/README.md"'
sed -i "s|smtp://127.0.0.1:$down|smtp://127.0.0.1:$SMTP_PORT|" "$dir/pw.json"
before=$(mails)
run
check "the next run sends that e-mail, and delivers nothing again elsewhere" \
	'[ "$(rc)" = 0 ] && [ "$(mails)" = $((before + 1)) ] && grep -q "sink email: 2 delivered" "$dir/err" && grep -q "sink markdown: 0 delivered" "$dir/err"'
run
check "and a third run sends nothing" '[ "$(mails)" = $((before + 1)) ] && grep -q "sink email: 0 delivered" "$dir/err"'

# --- starttls is required by default: a server without it is refused, loudly
sinks_case tls "$BASE/fixture/api_paged.atom" "$SMTP_PORT"
sed -i 's/"tls": "none", //' "$dir/pw.json"
before=$(mails)
run
check "tls starttls (the default) fails against a server without STARTTLS, and sends nothing" \
	'[ "$(rc)" = 1 ] && grep -qi "email: sending to smtp://127.0.0.1:$SMTP_PORT failed" "$dir/err" && [ "$(mails)" = "$before" ]'

# --- a relay that requires STARTTLS: the default tls works, with its certificate trusted
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
plain_port=$SMTP_PORT
start_smtp "$work/tlsmail" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
sinks_case starttls "$BASE/fixture/api_paged.atom" "$SMTP_PORT"
sed -i "s|\"tls\": \"none\",|\"ca_file\": \"$work/cert.pem\",|" "$dir/pw.json"
run
check "tls starttls against a relay that requires it: the message is sent encrypted" \
	'[ "$(rc)" = 0 ] && grep -q "sink email: 2 delivered" "$dir/err" && [ "$(ls "$work/tlsmail" | grep -c "\.eml$")" = 1 ]'
sinks_case untrusted "$BASE/fixture/api_paged.atom" "$SMTP_PORT"
sed -i 's/"tls": "none", //' "$dir/pw.json"
run
check "a certificate that is not trusted fails the send, loudly, and sends nothing" \
	'[ "$(rc)" = 1 ] && grep -qi "certificate" "$dir/err" && [ "$(ls "$work/tlsmail" | grep -c "\.eml$")" = 1 ]'
SMTP_PORT=$plain_port

# --- send_empty: a short note saying why
sinks_case empty "$BASE/fixture/api_empty.atom" "$SMTP_PORT"
sed -i 's/"tls": "none",/"tls": "none", "send_empty": true,/' "$dir/pw.json"
before=$(mails)
run
check "send_empty sends a note saying why the day is empty" \
	'[ "$(rc)" = 0 ] && [ "$(mails)" = $((before + 1)) ] && grep -q "Nothing new today" "$dir/README.md"; true' 
last="$work/mail/$(mails).eml"
check "the note names the reason" \
	'"$PY" -c "import email,sys; m=email.message_from_binary_file(open(sys.argv[1],\"rb\")); t=m.get_payload()[0].get_payload(decode=True).decode(); sys.exit(\"Nothing new today: source src: submitted since \" not in t)" "$last"'

# --- dry run writes nothing anywhere
sinks_case dry "$BASE/fixture/api_paged.atom" "$SMTP_PORT"
before=$(mails)
run --dry-run
check "--dry-run writes no file and sends no mail" \
	'[ "$(rc)" = 0 ] && [ ! -e "$dir/README.md" ] && [ ! -e "$dir/feed.xml" ] && [ ! -e "$dir/papers.jsonl" ] && [ "$(mails)" = "$before" ]'

# --- bad sink options are config errors
sinks_case badtls "$BASE/fixture/api_paged.atom" "$SMTP_PORT"
sed -i 's/"tls": "none"/"tls": "implicit"/' "$dir/pw.json"
run
check "tls implicit with an smtp:// url is refused before anything runs (exit 2)" \
	'[ "$(rc)" = 2 ] && grep -q "tls \"implicit\" does not fit url" "$dir/err"'

"$BIN" plugins > "$work/plugins.out" 2>&1
check "'plugins' lists the four sinks" \
	'grep -q "^markdown  *sink" "$work/plugins.out" && grep -q "^rss  *sink" "$work/plugins.out" && grep -q "^json  *sink" "$work/plugins.out" && grep -q "^email  *sink" "$work/plugins.out"'

finish
