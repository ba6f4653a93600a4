#!/bin/sh
# Integration tests of the scorers in the real binary: keyword and the
# embedding scorer together, cheap scorers first; the embedding "openai"
# backend against a local server that speaks /v1/embeddings (including a
# 429, a slow answer and malformed JSON), and its cache across digests.
# Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"
LIB="$PW_SRCDIR/tests/fixtures/library.bib"

# scorer_case NAME EMBEDDING-EXTRA: two digests over the demo sample
scorer_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 2, "backoff": 0.2, "timeout": 3, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [
    {"name": "first",
     "scorers": [
       {"plugin": "embedding", "weight": 10, "profile": ["$LIB"] $2},
       {"plugin": "keyword", "keywords": {"decoding": 1}, "exclude": ["quantization", "Mamba"]}
     ],
     "select": {"min_score": 1},
     "sinks": [{"plugin": "json", "path": "$dir/first.jsonl"}]},
    {"name": "second",
     "scorers": [{"plugin": "embedding", "profile": ["$LIB"] $2}],
     "sinks": [{"plugin": "json", "path": "$dir/second.jsonl"}]}
  ]
}
JSON
}
count() { curl -s "$BASE/count/$1"; }
inputs() { curl -s "$BASE/inputs/$1"; }

scorer_case builtin ""
run
check "builtin: the library's neighbours rank first, with the nearest library paper as reason" \
	'[ "$(rc)" = 0 ] && "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
top = [r[\"id\"] for r in rows[:3]]
assert set(top) == {\"2401.10774\", \"2302.01318\", \"2211.17192\"}, top
assert rows[0][\"scores\"][\"embedding\"][\"reason\"].startswith(\"like \\\"\"), rows[0]
" "$dir/first.jsonl"'
check "keyword vetoes reach the report, and vetoed papers are not delivered" \
	'grep -q "digest first: 12 scored, 3 vetoed" "$dir/err" && ! grep -q "GPTQ" "$dir/first.jsonl"'

scorer_case openai ", \"backend\": \"openai\", \"endpoint\": \"$BASE/emb/ok/ok/v1\", \"api_key\": \"sk-test\", \"model\": \"bow\""
run -v
check "openai: a run against a local /v1/embeddings server succeeds" '[ "$(rc)" = 0 ] && [ -s "$dir/first.jsonl" ]'
check "cheap scorers first: the embedding server saw only the 9 papers the keyword scorer let through, plus the profile" \
	'[ "$(inputs ok)" = $((4 + 9 + 3)) ]'
check "the second digest over the same papers made no new call for what was cached" \
	'[ "$(count ok)" = 3 ]'
check "openai: the classifier (its default) learns on the endpoint's vectors, the background the stored papers whose vectors are cached (no library paper): the library's neighbours first, values in [0, 1]" \
	'"$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert {r[\"id\"] for r in rows[:3]} == {\"2401.10774\", \"2302.01318\", \"2211.17192\"}, [r[\"id\"] for r in rows[:3]]
assert all(0 <= r[\"scores\"][\"embedding\"][\"value\"] <= 1 for r in rows) and len(rows) == 12
" "$dir/second.jsonl" &&
	 grep -q "embedding: classifier: trained on 4 library papers, 0 disliked, 6 background" "$dir/err" &&
	 grep -q "embedding: classifier: trained on 4 library papers, 0 disliked, 9 background" "$dir/err"'

scorer_case r429 ", \"backend\": \"openai\", \"endpoint\": \"$BASE/emb/r429/429/v1\", \"api_key\": \"sk-test\""
run
check "openai: a 429 is retried after Retry-After and the run succeeds" \
	'[ "$(rc)" = 0 ] && grep -q "HTTP 429, retry 1 of 2 in 1.0 s" "$dir/err" && [ -s "$dir/first.jsonl" ]'

scorer_case slow ", \"backend\": \"openai\", \"endpoint\": \"$BASE/emb/slow/slow/v1\", \"api_key\": \"sk-test\""
sed -i 's/"retries": 2/"retries": 0/' "$dir/pw.json"
run
check "openai: a slow answer times out; the papers count 0 there and are still delivered; a scorer that scored nothing fails the run (exit 1), named in the summary" \
	'[ "$(rc)" = 1 ] && grep -qi "timed out" "$dir/err" && grep -q "embedding: could not prepare; its 9 papers count 0 here" "$dir/err" && grep -q "Speculative" "$dir/first.jsonl" && grep -q "digest first: .*(FAILED to score: embedding)" "$dir/err"'

scorer_case bad ", \"backend\": \"openai\", \"endpoint\": \"$BASE/emb/bad/bad/v1\", \"api_key\": \"sk-test\""
run
check "openai: malformed JSON is reported, not scored, and fails the run" \
	'[ "$(rc)" = 1 ] && grep -q "malformed answer: not JSON" "$dir/err"'

# a scorer that fails leaves its papers to be weighed again, not lost
scorer_case again ", \"backend\": \"openai\", \"endpoint\": \"$BASE/emb/again/bad/v1\", \"api_key\": \"sk-test\""
sed -i 's/"select": {"min_score": 1}/"select": {"min_score": 5}/' "$dir/pw.json"
run
check "papers a failing scorer could not score are announced for another weighing" \
	'[ "$(rc)" = 1 ] && grep -q "first: 9 papers could not be fully scored; unless selected, the next run weighs them again" "$dir/err"'
sed -i "s|$BASE/emb/again/bad/v1|$BASE/emb/again/ok/v1|" "$dir/pw.json"
run
check "the next run, with the endpoint back, weighs them again and selects the library's neighbours" \
	'[ "$(rc)" = 0 ] && grep -q "first: weighing again 9 papers an earlier run could not score" "$dir/err" && grep -q "2401.10774" "$dir/first.jsonl"'
run
check "and once weighed, they are not weighed again" '! grep -q "weighing again" "$dir/err"'

# a profile item that cannot be read costs that item; a profile of arXiv ids
# alone, with arXiv unreachable, leaves the scorer nothing: exit 1, named
scorer_case partial ""
sed -i "s|\"profile\": \\[\"$LIB\"\\]|\"profile\": [\"$LIB\", \"$dir/missing.bib\", \"arXiv:1706.03762\"], \"arxiv_api\": \"$BASE/status/503\"|" "$dir/pw.json"
run
check "an unreadable profile file and unreachable arXiv ids cost themselves: warnings, the rest of the library scores, exit 0" \
	'[ "$(rc)" = 0 ] && grep -q "warning: embedding: profile\[1\]: .*missing.bib.*; the rest of the profile is used" "$dir/err" &&
	 grep -q "warning: embedding: profile: some of its 1 arXiv ids and DOIs could not be looked up (asked again next run); scoring with the" "$dir/err" &&
	 "$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert {r[\"id\"] for r in rows[:3]} == {\"2401.10774\", \"2302.01318\", \"2211.17192\"}, [r[\"id\"] for r in rows[:3]]
" "$dir/first.jsonl"'
scorer_case only_ids ""
sed -i "s|\"profile\": \\[\"$LIB\"\\]|\"profile\": [\"arXiv:1706.03762\"], \"arxiv_api\": \"$BASE/status/503\"|" "$dir/pw.json"
run
check "a profile of arXiv ids only, arXiv unreachable: the scorer scores nothing, says why, and the run exits 1" \
	'[ "$(rc)" = 1 ] && grep -q "error: embedding: profile: its 1 arXiv ids and DOIs could not be looked up and it holds nothing else" "$dir/err" &&
	 grep -q "(FAILED to score: embedding)" "$dir/err"'

# DOIs rated before any run fetched them are looked up on OpenAlex: the
# liked one (about selective state spaces) lifts Mamba in the second digest
scorer_case dois ", \"openalex_api\": \"$BASE/openalex\""
(cd "$dir" && "$BIN" like -c pw.json --digest second 10.1000/Selective.SSM >/dev/null 2>&1 &&
	"$BIN" dislike -c pw.json --digest second doi:10.1000/nobody.knows >/dev/null 2>&1)
run
rank_of() { "$PY" -c "
import json, sys
print([i + 1 for i, l in enumerate(open(sys.argv[2])) if json.loads(l)['title'].startswith(sys.argv[1])][0])" "$@"; }
check "rated DOIs the store lacks are looked up on OpenAlex (abstract rebuilt); one it does not know is named and left out" \
	'[ "$(rc)" = 0 ] && grep -q "info: embedding: ratings: 1 like, 1 dislike (2 not in the store, looked up on arXiv or OpenAlex)" "$dir/err" &&
	 grep -q "warning: embedding: OpenAlex knows no work with the DOI 10.1000/nobody.knows: it is left out" "$dir/err"'
check "... and the liked work counts: Mamba ranks higher than without the rating" \
	'echo "Mamba #$(rank_of Mamba "$work/builtin/second.jsonl") without, #$(rank_of Mamba "$dir/second.jsonl") with the like" >&2 &&
	 [ "$(rank_of Mamba "$dir/second.jsonl")" -lt "$(rank_of Mamba "$work/builtin/second.jsonl")" ]'

scorer_case nokey ", \"backend\": \"openai\", \"endpoint\": \"$BASE/emb/nokey/ok/v1\", \"api_key\": \"\${PW_TEST_API_KEY}\""
(cd "$dir" && PW_TEST_API_KEY=sk-test "$BIN" -v run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "the API key comes from the environment and never reaches a log" \
	'[ "$(rc)" = 0 ] && [ "$(count nokey)" -ge 1 ] && ! grep -q "sk-test" "$dir/err"'

# --- every config shown in README.md passes `paperwire check`
dir="$work/readme"
mkdir -p "$dir"
cp "$LIB" "$dir/library.bib"
"$PY" - "$PW_SRCDIR/README.md" "$dir" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = [b for b in re.findall(r"```json\n(.*?)```", text, re.S) if '"sources"' in b]
for i, b in enumerate(blocks):
    open("%s/readme%d.json" % (sys.argv[2], i), "w").write(b)
PY
for f in "$PW_SRCDIR"/scripts/examples/*.json; do cp "$f" "$dir/readme-example-$(basename "$f")"; done
sed "s|@SAMPLE@|$SAMPLE|" "$PW_SRCDIR/scripts/examples/demo.json.in" > "$dir/readme-example-demo.json"
cp "$LIB" "$dir/my-papers.bib"
n=$(ls "$dir"/readme*.json | wc -l)
bad=0
for f in "$dir"/readme*.json; do
	(cd "$dir" && SMTP_PASSWORD=x DEEPSEEK_API_KEY=x S2_API_KEY=x "$BIN" check -c "$f" >"$dir/out" 2>"$dir/err") || { bad=1; cat "$dir/err"; }
done
check "the $n configs in README.md and scripts/examples pass 'paperwire check'" '[ "$n" -ge 6 ] && [ "$bad" = 0 ]'

# ... and each digest of them that ranks by the embedding scorer selects
# papers of the demo sample with the weight and min_score it shows (the
# sources become the sample, the sinks a json file, enrichers are left out,
# lookups of the profile's ids go to the local server)
"$PY" - "$dir" "$SAMPLE" "$BASE" <<'PY'
import glob, json, os, sys
d, sample, base = sys.argv[1], sys.argv[2], sys.argv[3]
for f in sorted(glob.glob(os.path.join(d, "readme*.json"))):
    cfg = json.load(open(f))
    digests = [g for g in cfg.get("digests", []) if any(s["plugin"] == "embedding" for s in g.get("scorers", []))]
    if not digests:
        continue
    name = os.path.basename(f)[:-5]
    cfg["store"] = os.path.join(d, name + ".db")
    cfg["sources"] = [{"plugin": "arxiv", "name": "demo", "query": "x", "base_url": sample, "max_results": 50}]
    for g in digests:
        g.pop("enrichers", None)
        for sc in g["scorers"]:  # lookups stay on this machine
            if sc["plugin"] == "embedding":
                sc.update(arxiv_api=base + "/status/404", openalex_api=base + "/openalex", zotero_api=base)
        g["sinks"] = [{"plugin": "json", "path": os.path.join(d, "sel-%s-%s.jsonl" % (name, g["name"]))}]
    cfg["digests"] = digests
    json.dump(cfg, open(os.path.join(d, "sel-" + name + ".json"), "w"))
PY
sel_bad=""
sel_n=0
for f in "$dir"/sel-*.json; do
	(cd "$dir" && "$BIN" -q run -c "$f" >/dev/null 2>"$dir/err") || sel_bad="$sel_bad $(basename "$f")"
	for g in $("$PY" -c "import json, sys; print(' '.join(g['name'] for g in json.load(open(sys.argv[1]))['digests']))" "$f"); do
		sel_n=$((sel_n + 1))
		out="$dir/$(basename "$f" .json | sed 's/^sel-//')"
		[ -s "$dir/sel-$(basename "$out")-$g.jsonl" ] || sel_bad="$sel_bad $(basename "$out")/$g"
	done
done
check "the $sel_n embedding digests of README.md and scripts/examples select demo papers with the thresholds they show" \
	'[ "$sel_n" -ge 3 ] && [ -z "$sel_bad" ] || { echo "selected nothing:$sel_bad" >&2; false; }'

# --- the man pages render without a warning; paperwire.json(5) has every plugin's options
(cd "$PW_BUILDDIR" && make -s man/paperwire.json.5 >/dev/null 2>&1)
warnings=$(for m in "$PW_SRCDIR/man/paperwire.1" "$PW_SRCDIR/man/paperwire-plugin.7" "$PW_BUILDDIR/man/paperwire.json.5"; do
	groff -man -ww -z "$m" 2>&1; done)
check "the man pages render without warnings" '[ -z "$warnings" ] && [ -s "$PW_BUILDDIR/man/paperwire.json.5" ]'
check "paperwire.json(5) documents every bundled plugin from its schema" \
	'(for p in arxiv keyword embedding llm related markdown rss json email chat; do grep -q "^\.SS $p (" "$PW_BUILDDIR/man/paperwire.json.5" || exit 1; done) && grep -q "^\.B max_results$" "$PW_BUILDDIR/man/paperwire.json.5"'

finish
