#!/bin/sh
# Integration tests of the enrichers in the real binary: llm summaries and
# translations from a local OpenAI-compatible chat server, related papers
# from the store, shown by every sink; the cache across digests; failures
# that still deliver.  Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"
start_smtp "$work/mail"

# enrich_case NAME LLM-URL [LLM-EXTRA]
enrich_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 1, "backoff": 0.2, "timeout": 3, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [
    {"name": "first",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 2, "speculative": 2, "attention": 1}}],
     "select": {"min_score": 2},
     "enrichers": [
       {"plugin": "llm", "name": "summary", "task": "summary", "endpoint": "$2", "model": "m",
        "api_key": "\${PW_TEST_LLM_KEY}" ${3:-}},
       {"plugin": "llm", "name": "french", "task": "translate", "language": "French", "endpoint": "$2",
        "model": "m", "api_key": "\${PW_TEST_LLM_KEY}" ${3:-}},
       {"plugin": "related", "k": 2, "min_similarity": 0.01}
     ],
     "sinks": [
       {"plugin": "markdown", "path": "$dir/README.md"},
       {"plugin": "rss", "path": "$dir/feed.xml"},
       {"plugin": "json", "path": "$dir/papers.jsonl"},
       {"plugin": "email", "url": "smtp://127.0.0.1:$SMTP_PORT", "tls": "none", "from": "bot@example.org",
        "to": ["reader@example.org"]}
     ]},
    {"name": "second",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 2, "speculative": 2, "attention": 1}}],
     "select": {"min_score": 2},
     "enrichers": [{"plugin": "llm", "task": "summary", "endpoint": "$2", "model": "m",
                    "api_key": "\${PW_TEST_LLM_KEY}" ${3:-}}],
     "sinks": [{"plugin": "json", "path": "$dir/second.jsonl"}]}
  ]
}
JSON
}
run_key() { (cd "$dir" && PW_TEST_LLM_KEY=sk-llm-secret "$BIN" -v run -c pw.json "$@" >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"; }
calls() { curl -s "$BASE/count/$1"; }
last_mail() { ls "$work/mail"/*.eml | sort -t/ -k2 -V | tail -n 1; }

enrich_case all "$BASE/llm/all/ok/v1"
run_key
n=$(wc -l < "$dir/papers.jsonl")
check "a digest with summary and translate enrichers runs and selects papers" '[ "$(rc)" = 0 ] && [ "$n" -ge 3 ]'
check "the Markdown page shows each field as its enricher declared it: the summary headed with its model, the translated title under the title, the translated abstract after the abstract" \
	'"$PY" - "$dir/README.md" <<"PY"
import re, sys
page = open(sys.argv[1]).read()
paper = page[page.index("Fast Inference from Transformers via Speculative Decoding"):]
paper = paper[:paper.index("---")]
title_at = paper.index("**Title (French)**: \\[French\\] Fast Inference")
authors_at = paper.index("**Authors**")
abstract_at = paper.index("#### Abstract\n")
french_at = paper.index("#### Abstract (French)\n\\[French\\] ")
summary_at = paper.index("#### AI Summary (by m)\nTL;DR: Fast Inference")
assert title_at < authors_at < abstract_at < french_at < summary_at, paper
assert "<details>" not in paper and "translation" not in paper, paper
PY'
check "... and in the RSS description, the translated title first" \
	'"$PY" - "$dir/feed.xml" <<"PY"
import sys, xml.etree.ElementTree as ET
items = ET.parse(sys.argv[1]).getroot().iter("item")
d = next(i.findtext("description") for i in items if i.findtext("title").startswith("Fast Inference"))
assert d.startswith("<p><b>Title (French):</b> [French] Fast Inference"), d
assert "<p><b>Abstract (French):</b> [French] " in d and "<p><b>AI Summary (by m)</b><br>TL;DR: Fast Inference" in d, d
PY'
check "... in the JSON Lines, the translation as two fields and related papers as objects" \
	'"$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(r[\"summary\"].startswith(\"TL;DR: \") for r in rows), rows
assert all(r[\"translation_title\"].startswith(\"[French] \") and r[\"translation_abstract\"].startswith(\"[French] \") for r in rows), rows
related = [x for r in rows for x in r[\"related\"]]
assert related and all(x[\"id\"] and x[\"title\"] and 0 < x[\"similarity\"] <= 1 for x in related), related
assert all(x[\"url\"].startswith(\"http\") and len(x[\"date\"]) == 10 for x in related), related
" "$dir/papers.jsonl"'
check "... in both parts of the e-mail, with the display names" \
	'"$PY" -c "
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], \"rb\"))
text, html = (p.get_payload(decode=True).decode() for p in m.get_payload())
assert \"   Title (French): [French] Fast Inference\" in text and \"   AI Summary (by m):\\n   TL;DR: Fast Inference\" in text, text
assert \"<b>Title (French):</b> [French] Fast Inference\" in html and \"<b>AI Summary (by m)</b><br>TL;DR: Fast Inference\" in html, html
" "$(last_mail)"'
check "related papers from the store appear under each paper as links with date and similarity" \
	'grep -q "^#### Related papers$" "$dir/README.md" && grep -Eq "^- \[[^]]+\]\(<https://arxiv\.org/abs/[0-9.]+v?[0-9]*>\) \([0-9]{4}-[0-9]{2}-[0-9]{2}, similarity 0\.[0-9]{2}\)" "$dir/README.md"'
check "a related paper of the same day carries the first line of its summary (no new model call)" \
	'grep -q "^  TL;DR: " "$dir/README.md"'
check "the second digest over the same papers made no new LLM call (2 calls a paper, all in the first)" \
	'[ "$(calls all)" = $((2 * n)) ] && grep -q "summary\|TL;DR" "$dir/second.jsonl"'
check "the run report counts the enrichers' calls and tokens" \
	'grep -Eq "digest first: [0-9]+ scored, [0-9]+ vetoed, [0-9]+ selected \(summary: calls $n, tokens [0-9]+; french: calls $n, tokens [0-9]+\)" "$dir/err" && grep -q "digest second: .*(llm: cached $n)" "$dir/err"'
check "the API key never reaches a log or an output" \
	'! grep -rq "sk-llm-secret" "$dir" "$work/mail"'

enrich_case fail "$BASE/llm/fail/500/v1"
run_key
check "a failing endpoint still delivers every paper, with a warning" \
	'[ "$(rc)" = 0 ] && grep -q "summary: could not enrich 3 of $n papers; they are delivered without it" "$dir/err" && [ "$(wc -l < "$dir/papers.jsonl")" = "$n" ] && ! grep -q "TL;DR" "$dir/papers.jsonl"'
check "after 3 failed calls in a row the endpoint is not called again this run, said once per enricher" \
	'[ "$(grep -c "failed 3 times in a row: no more calls this run" "$dir/err")" = 3 ] && grep -q "summary: calls 3, not asked (endpoint down) $((n - 3))" "$dir/err" && [ "$(calls fail)" = $((3 * 3 * 2)) ]'

# A dry run calls no model: it uses answers already cached and says what it
# would have asked.
enrich_case dry "$BASE/llm/dry/ok/v1"
run_key --dry-run
check "a dry run makes no LLM call and says what it would have asked" \
	'[ "$(rc)" = 0 ] && [ "$(calls dry)" = 0 ] && grep -q "summary: dry run: would have asked m at $BASE/llm/dry/ok/v1 about $n papers (no call made)" "$dir/err"'
run_key
made=$(calls dry)
run_key --dry-run
check "after a real run, a dry run uses the cached answers and still calls nothing" \
	'[ "$(rc)" = 0 ] && [ "$(calls dry)" = "$made" ] && [ "$made" -gt 0 ] && ! grep -q "would have asked" "$dir/err"'

enrich_case bad "$BASE/llm/bad/bad/v1"
run_key
check "malformed JSON from the endpoint is a warning, not a lost paper" \
	'[ "$(rc)" = 0 ] && grep -q "malformed answer: not JSON" "$dir/err" && [ "$(wc -l < "$dir/papers.jsonl")" = "$n" ]'

enrich_case r429 "$BASE/llm/r429/429/v1"
run_key
check "a 429 is retried and the answers arrive" \
	'[ "$(rc)" = 0 ] && grep -q "HTTP 429, retry 1 of 1 in 1.0 s" "$dir/err" && grep -q "TL;DR" "$dir/papers.jsonl"'

enrich_case cap "$BASE/llm/cap/ok/v1" ', "max_calls": 1'
run_key
check "max_calls caps the calls of a run, and says so" \
	'[ "$(rc)" = 0 ] && grep -q "cap reached (1 calls" "$dir/err" && [ "$(grep -o "\"summary\": *\"TL;DR" "$dir/papers.jsonl" | wc -l)" = 1 ]'

# A third-party enricher made by the skeleton generator, built against the
# source tree's SDK header: its declared field is shown by every sink under
# the display name its user chose.
dir="$work/third_party"
mkdir -p "$dir/plugins"
sh "$PW_SRCDIR/scripts/new-plugin" my_note enricher "$dir/my_note" >/dev/null
${CC:-cc} -Wall -Wextra -Werror -Wno-unused-parameter -I"$PW_SRCDIR/sdk" -fPIC -shared \
	-o "$dir/plugins/my_note.so" "$dir/my_note/my_note.c" 2>"$dir/cc.err"
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "plugin_path": ["$dir/plugins"],
  "http": {"retries": 0, "timeout": 3, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [
    {"name": "notes",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 2, "speculative": 2}}],
     "select": {"min_score": 2},
     "enrichers": [{"plugin": "my_note", "note": "read the proofs <first>", "display": "Lisez-moi"}],
     "sinks": [
       {"plugin": "markdown", "path": "$dir/README.md"},
       {"plugin": "rss", "path": "$dir/feed.xml"},
       {"plugin": "json", "path": "$dir/papers.jsonl"},
       {"plugin": "email", "url": "smtp://127.0.0.1:$SMTP_PORT", "tls": "none", "from": "bot@example.org",
        "to": ["notes@example.org"]}
     ]}
  ]
}
JSON
run
check "a skeleton enricher that declares its field is shown by every sink under its display name" \
	'[ "$(rc)" = 0 ] && grep -qxF "**Lisez-moi**: read the proofs \\<first\\>  " "$dir/README.md" &&
	 "$PY" - "$dir/feed.xml" "$(last_mail)" "$dir/papers.jsonl" <<"PY"
import email, json, sys, xml.etree.ElementTree as ET
descriptions = [i.findtext("description") for i in ET.parse(sys.argv[1]).getroot().iter("item")]
assert descriptions and all("<p><b>Lisez-moi:</b> read the proofs &lt;first&gt;</p>" in d for d in descriptions), descriptions
m = email.message_from_binary_file(open(sys.argv[2], "rb"))
assert "notes@example.org" in m["To"], m["To"]
text, html = (p.get_payload(decode=True).decode() for p in m.get_payload())
assert "   Lisez-moi: read the proofs <first>" in text and "<b>Lisez-moi:</b> read the proofs &lt;first&gt;" in html
rows = [json.loads(l) for l in open(sys.argv[3])]
assert rows and all(r["my_note_note"] == "read the proofs <first>" for r in rows), rows
PY'

finish
