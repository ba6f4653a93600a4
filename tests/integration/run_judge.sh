#!/bin/sh
# The llm scorer (the judge) in the real binary against the local
# OpenAI-compatible endpoint (fake_server.py's judge: relevance from the
# interests' words, and answers that break the schema on request): only the
# best `judge` papers of the cheaper ranking are judged, `batch` to a call,
# with structured output asked for; an answer that does not match is asked
# again once, then its papers keep their cheaper scores; caps hold; a dead
# endpoint leaves the cheaper ranking as it was; verdicts are cached; calls,
# tokens and cost reach the run report.  Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"

# judge_case NAME ENDPOINT [EXTRA-OPTIONS]
judge_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "pw.db",
  "http": {"retries": 1, "backoff": 0.2, "timeout": 5, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [{"name": "daily",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 3, "attention": 2, "inference": 1, "model": 1}},
                 {"plugin": "llm", "interests": "speculative decoding and quantization, for faster inference",
                  "endpoint": "$2", "model": "m", "judge": 5, "batch": 2 ${3:-}}],
     "select": {"min_score": 0},
     "sinks": [{"plugin": "json", "path": "out.jsonl"}]}]
}
JSON
}
calls() { curl -s "$BASE/count/$1"; }
# scores_are_keywords: every delivered paper's score is its keyword score alone
scores_are_keywords() { "$PY" -c "
import json, sys
for l in open(sys.argv[1]):
    p = json.loads(l)
    assert p['score'] == p['scores']['keyword']['value'], p
" "$dir/out.jsonl"; }
# verdicts: "id keyword-value llm-value llm-reason" a line, best first
verdicts() { "$PY" -c "
import json, sys
for l in open(sys.argv[1]):
    p = json.loads(l); s = p['scores']
    print(p['id'], s['keyword']['value'] if 'keyword' in s else 0, s['llm']['value'], s['llm']['reason'])
" "$dir/out.jsonl"; }

judge_case ok "$BASE/llm/judge1/ok/v1" ', "price_input": 150, "price_output": 600'
run
verdicts > "$dir/verdicts"
check "judge 5, batch 2: three calls (2 + 2 + 1), structured output asked for (the server refuses without)" \
	'[ "$(rc)" = 0 ] && [ "$(calls judge1)" = 3 ]'
check "the 5 best of the keyword ranking are judged, with relevance and reason; the rest are not" \
	'[ "$(grep -c "relevance [0-9]*/10: " "$dir/verdicts")" = 5 ] &&
	 [ "$(grep -c "not judged (below the best 5)" "$dir/verdicts")" = 7 ] &&
	 "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
judged = [r for r in rows if r[\"scores\"][\"llm\"][\"reason\"].startswith(\"relevance\")]
rest = [r for r in rows if not r[\"scores\"][\"llm\"][\"reason\"].startswith(\"relevance\")]
assert min(r[\"scores\"][\"keyword\"][\"value\"] for r in judged) >= max(r[\"scores\"][\"keyword\"][\"value\"] for r in rest)
spec = [r for r in rows if r[\"id\"] == \"2211.17192\"][0]
assert spec[\"scores\"][\"llm\"][\"value\"] >= 6, spec[\"scores\"]
" "$dir/out.jsonl"'
check "the run report: calls, judged, tokens; the judge's line gives the cost at the configured prices" \
	'grep -q "(llm: calls 3, tokens [0-9]*, cost in millionths [0-9]*, judged 5)" "$dir/err" &&
	 grep -q "judged 5 papers: 3 calls, [0-9]* tokens ([0-9]* in, [0-9]* out), cost [0-9.]*, 0 from the cache" "$dir/err"'
(cd "$dir" && "$BIN" preview -c pw.json > "$dir/preview.out" 2>"$dir/err"); echo $? > "$dir/rc"
check "verdicts are cached by paper, version, model and prompt: weighing the day again makes no call" \
	'[ "$(rc)" = 0 ] && [ "$(calls judge1)" = 3 ] && grep -q "12 unchanged" "$dir/preview.out" &&
	 grep -q "judged 0 papers: 0 calls, 0 tokens (0 in, 0 out), cost 0.0000, 5 from the cache" "$dir/err"'

judge_case once "$BASE/llm/judge2/judgeonce/v1"
run
check "an answer leaving a paper out is asked again once, then used: 4 calls" \
	'[ "$(rc)" = 0 ] && [ "$(calls judge2)" = 4 ] && grep -q "does not match the schema (1 of the 2 papers judged); asking once more" "$dir/err" &&
	 [ "$(verdicts | grep -c "relevance [0-9]*/10: ")" = 5 ]'

judge_case bad "$BASE/llm/judge3/judgebad/v1"
run
check "answers that never match: each batch asked twice, its papers keep their cheaper scores, exit 0" \
	'[ "$(rc)" = 0 ] && [ "$(calls judge3)" = 6 ] && grep -q "relevance .high. of .* is not an integer from 0 to 10" "$dir/err" &&
	 grep -q "these papers keep their cheaper scores" "$dir/err" &&
	 [ "$(verdicts | grep -c "not judged (no valid answer or capped)")" = 5 ] &&
	 scores_are_keywords'

judge_case tail "$BASE/llm/judge6/judgetail/v1"
run
check "an answer valid but for its last paper is used for none of its papers (keyword scores stand)" \
	'[ "$(rc)" = 0 ] && [ "$(calls judge6)" = 6 ] && grep -q "relevance 11 of .* is not an integer from 0 to 10" "$dir/err" &&
	 [ "$(verdicts | grep -c "not judged (no valid answer or capped)")" = 5 ] &&
	 scores_are_keywords'

judge_case capped "$BASE/llm/judge4/ok/v1" ', "max_calls": 1'
run
check "max_calls 1: one call, 2 papers judged, the cap said once" \
	'[ "$(rc)" = 0 ] && [ "$(calls judge4)" = 1 ] && [ "$(grep -c "cap reached (1 calls" "$dir/err")" = 1 ] &&
	 [ "$(verdicts | grep -c "relevance [0-9]*/10: ")" = 2 ]'

judge_case plain "$BASE/llm/judge5/plain/v1" ', "structured": false'
run
check "structured false: no response_format sent, the answer validated all the same" \
	'[ "$(rc)" = 0 ] && [ "$(verdicts | grep -c "relevance [0-9]*/10: ")" = 5 ]'

judge_case down "http://127.0.0.1:$(closed_port)/v1"
run
check "the endpoint down: the cheaper ranking stands (score = keyword), exit 0, said once" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c "cannot be reached: the papers keep their cheaper scores" "$dir/err")" = 1 ] &&
	 scores_are_keywords'
check "the judge needs interests: an empty one is a config error (exit 2)" \
	'sed "s/\"interests\": \"[^\"]*\"/\"interests\": \"\"/" "$dir/pw.json" > "$dir/empty.json" &&
	 (cd "$dir" && "$BIN" check -c empty.json >/dev/null 2>"$dir/err"; [ $? = 2 ]) && grep -q "interests is empty" "$dir/err"'
finish
