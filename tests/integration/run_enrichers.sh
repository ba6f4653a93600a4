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
check "the summary and the translation are in the Markdown page (folded in <details>)" \
	'grep -q "TL;DR: Fast Inference from Transformers via Speculative Decoding." "$dir/README.md" && grep -q "<summary><strong>translation</strong></summary>" "$dir/README.md" && grep -qF "\[French\] Fast Inference" "$dir/README.md"'
check "... in the RSS description" \
	'grep -q "summary:&lt;/b&gt; TL;DR: Fast Inference" "$dir/feed.xml" && grep -q "translation:&lt;/b&gt; \[French\]" "$dir/feed.xml"'
check "... in the JSON Lines" \
	'"$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert all(r[\"summary\"].startswith(\"TL;DR: \") for r in rows), rows
assert all(r[\"translation\"].startswith(\"[French] \") for r in rows), rows
assert all(isinstance(r.get(\"related\"), list) and r[\"related\"] for r in rows), rows
" "$dir/papers.jsonl"'
check "... in both parts of the e-mail" \
	'"$PY" -c "
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], \"rb\"))
text, html = (p.get_payload(decode=True).decode() for p in m.get_payload())
for part in (text, html):
    assert \"TL;DR: Fast Inference\" in part and \"[French] Fast Inference\" in part, part
" "$(last_mail)"'
check "related papers from the store appear under each paper" \
	'grep -q "<summary><strong>related</strong></summary>" "$dir/README.md" && grep -Eq "^- [0-9]{4}\.[0-9]{5}: .* \(0\.[0-9]{2}\)$" "$dir/README.md"'
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
	'[ "$(rc)" = 0 ] && grep -q "cap reached (1 calls" "$dir/err" && [ "$(grep -c "TL;DR" "$dir/papers.jsonl")" = 1 ]'

finish
