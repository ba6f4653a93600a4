#!/bin/sh
# The llm enricher with input "fulltext", in the real binary, against a
# local server of full texts we made (make_paper_files.py: an arXiv HTML
# rendering, a PDF, a "PDF" that is an error page) and the local
# OpenAI-compatible endpoint, whose requests are logged so the prompts can
# be read: the sections reach the prompt in order, without references,
# figures, tables or page furniture; the budget is kept; a failed or
# unreadable full text falls back to the abstract with a warning and fails
# nothing; one download per paper and version, shared by every digest and
# task.  Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"
papers="$work/papers"
"$PY" "$PW_SRCDIR/tests/integration/make_paper_files.py" "$papers"
"$PY" "$PW_SRCDIR/tests/integration/fake_server.py" --root "$papers" --routes "$papers/routes.json" \
	--request-log "$work/requests.log" --port-file "$work/pport" --lifetime 600 &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$work/pport" ] && break; sleep 0.1; done
PBASE="http://127.0.0.1:$(cat "$work/pport")"

dir="$work/fulltext"
mkdir -p "$dir"
# Two digests over the same papers: a summary with the full text (6,000
# tokens), and a translation with a budget of 100 tokens.
cat > "$dir/pw.json" <<JSON
{
  "store": "pw.db",
  "http": {"retries": 1, "backoff": 0.2, "timeout": 5, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [
    {"name": "full",
     "scorers": [{"plugin": "keyword", "keywords": {"speculative": 3, "medusa": 3, "attention": 1}}],
     "select": {"min_score": 3},
     "enrichers": [{"plugin": "llm", "task": "summary", "style": "structured", "input": "fulltext",
                    "fulltext_base": "$PBASE", "endpoint": "$PBASE/llm/full/ok/v1", "model": "m"}],
     "sinks": [{"plugin": "json", "path": "full.jsonl"}]},
    {"name": "short",
     "scorers": [{"plugin": "keyword", "keywords": {"speculative": 3, "medusa": 3, "attention": 1}}],
     "select": {"min_score": 3},
     "enrichers": [{"plugin": "llm", "task": "translate", "language": "French", "input": "fulltext",
                    "max_input_tokens": 100, "fulltext_base": "$PBASE", "endpoint": "$PBASE/llm/short/ok/v1",
                    "model": "m"}],
     "sinks": [{"plugin": "json", "path": "short.jsonl"}]}]
}
JSON
run
# prompt KEY ID: the prompt sent to endpoint KEY about paper ID (found by its title).
cat > "$work/prompt.py" <<'PY'
import json, sys
log, key, title = sys.argv[1], sys.argv[2], sys.argv[3]
entries = open(log, encoding="utf-8", errors="replace").read().split("\nPOST ")
for e in entries:
    if not e.lstrip("POST ").startswith("/llm/%s/" % key):
        continue
    body = next(l for l in e.split("\n") if l.startswith("{"))
    prompt = json.loads(body)["messages"][-1]["content"]
    if title in prompt:
        print(prompt)
        break
PY
prompt() { "$PY" "$work/prompt.py" "$work/requests.log" "$1" "$2"; }
SPEC="Fast Inference from Transformers via Speculative Decoding"
SAMP="Accelerating Large Language Model Decoding with Speculative Sampling"
MEDUSA="Medusa: Simple LLM Inference Acceleration Framework"
prompt full "$SPEC" > "$dir/spec.prompt"
prompt full "$SAMP" > "$dir/samp.prompt"
prompt full "$MEDUSA" > "$dir/medusa.prompt"
prompt short "$SPEC" > "$dir/spec-short.prompt"
check "the run succeeds and delivers every selected paper with its summary, whatever the full texts did" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c "Problem" "$dir/full.jsonl")" = "$(grep -c . "$dir/full.jsonl")" ] &&
	 [ "$(grep -c . "$dir/full.jsonl")" -ge 3 ]'
check "HTML rendering: the sections reach the prompt in order, with their headings and the math's TeX" \
	'"$PY" -c "
import sys
p = open(sys.argv[1]).read()
at = [p.index(m) for m in (\"## 1 Introduction\", \"INTRO-MARKER\", \"## 2 Method\", \"METHOD-MARKER\",
                           \"## 3 Results\", \"RESULTS-MARKER\", \"## 4 Limitations\", \"LIMITS-MARKER\")]
assert at == sorted(at), at
assert \"\$\\\\alpha=\\\\mathbb{E}[\\\\beta]\$\" in p, p
" "$dir/spec.prompt"'
check "HTML rendering: no references, figure, table, footnote, script, navigation, author block or footer" \
	'! grep -q "LEAK" "$dir/spec.prompt" && grep -q "INTRO-MARKER" "$dir/spec.prompt"'
check "no HTML rendering (404): the PDF's sections, without its references" \
	'grep -q "PDF-INTRO-MARKER" "$dir/samp.prompt" && grep -q "PDF-RESULTS-MARKER" "$dir/samp.prompt" &&
	 ! grep -q "PDF-REFERENCE-LEAK" "$dir/samp.prompt"'
check "a PDF that is not a PDF (and no rendering): the abstract, with a warning naming the paper and why" \
	'[ -s "$dir/medusa.prompt" ] && ! grep -q "paper'"'"'s text" "$dir/medusa.prompt" &&
	 grep -q "paper 2401.10774: no full text (.*html/2401.10774v3 answered 404; .*pdf/2401.10774v3 is not a PDF with text); the abstract is used" "$dir/err"'
check "the budget: 100 tokens send at most 400 bytes of the text, cut at a paragraph" \
	'"$PY" -c "
import sys
p = open(sys.argv[1]).read()
text = p.split(\"sections in order):\n\n\", 1)[1]
assert 0 < len(text.encode()) <= 400, len(text.encode())
assert \"## 1 Introduction\" in text and \"METHOD-MARKER\" not in text, text
" "$dir/spec-short.prompt"'
check "one download per paper and version, shared by both digests and tasks" \
	'[ "$(grep -c "^GET /html/2211.17192v2$" "$work/requests.log")" = 1 ] &&
	 [ "$(grep -c "^GET /pdf/2302.01318v1$" "$work/requests.log")" = 1 ]'
check "the run report counts full texts and fallbacks" \
	'grep -q "full texts 2" "$dir/err" && grep -q "abstract instead of full text 1" "$dir/err"'
calls_before=$(grep -c "^POST /llm/" "$work/requests.log")
gets_before=$(grep -c "^GET /\(html\|pdf\)/" "$work/requests.log")
run
check "a second run: nothing downloaded again but the unreadable PDF's lasting answer is remembered, no call" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c "^POST /llm/" "$work/requests.log")" = "$calls_before" ] &&
	 [ "$(grep -c "^GET /\(html\|pdf\)/" "$work/requests.log")" = "$gets_before" ]'
# A new version of a delivered paper: a digest with select.replacements
# weighs it again and delivers it once more, its summary made again for
# that version and marked so; a digest without keeps what it delivered.
dir="$work/replace"
mkdir -p "$dir"
cp "$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom" "$dir/sample.atom"
cat > "$dir/pw.json" <<JSON
{
  "store": "pw.db",
  "http": {"retries": 1, "backoff": 0.2, "timeout": 5, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "file://$dir/sample.atom", "max_results": 50}],
  "digests": [
    {"name": "swap", "scorers": [{"plugin": "keyword", "keywords": {"speculative": 3}}],
     "select": {"min_score": 3, "replacements": true},
     "enrichers": [{"plugin": "llm", "task": "summary", "endpoint": "$PBASE/llm/swap/ok/v1", "model": "m"},
                   {"plugin": "llm", "name": "fr", "task": "translate", "language": "French",
                    "endpoint": "$PBASE/llm/swap/ok/v1", "model": "m"}],
     "sinks": [{"plugin": "json", "path": "swap.jsonl", "append": true}]},
    {"name": "keep", "scorers": [{"plugin": "keyword", "keywords": {"speculative": 3}}],
     "select": {"min_score": 3},
     "sinks": [{"plugin": "json", "path": "keep.jsonl", "append": true}]}]
}
JSON
run
swap_first=$(grep -c . "$dir/swap.jsonl")
calls_first=$(curl -s "$PBASE/count/swap")
sed -i 's/2211\.17192v2/2211.17192v3/g; s/Speculative decoding runs a small/In its third version, speculative decoding runs a small/' "$dir/sample.atom"
run
check "a new version of a delivered paper: weighed again, delivered again with its summary and translation made anew and marked" \
	'[ "$(rc)" = 0 ] && grep -q "swap: 1 papers delivered before came in a new version: weighed again" "$dir/err" &&
	 [ "$(grep -c . "$dir/swap.jsonl")" = $((swap_first + 1)) ] &&
	 [ "$(curl -s "$PBASE/count/swap")" = $((calls_first + 2)) ] &&
	 tail -n 1 "$dir/swap.jsonl" | "$PY" -c "
import json, sys
p = json.loads(sys.stdin.read())
assert p[\"id\"] == \"2211.17192\" and p[\"version\"] == 3, p
assert p[\"summary\"].startswith(\"*Updated for v3.* TL;DR: \"), p[\"summary\"]
assert \"(Updated for v3.)\" in p[\"translation_abstract\"], p
"'
check "a digest without replacements delivers nothing again" \
	'[ "$(grep -c "2211.17192" "$dir/keep.jsonl")" = 1 ] && ! grep -q "keep: .* new version" "$dir/err"'
run
check "the same version again: nothing delivered again, no call" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c . "$dir/swap.jsonl")" = $((swap_first + 1)) ] &&
	 [ "$(curl -s "$PBASE/count/swap")" = $((calls_first + 2)) ]'

# A dead server: the full text cannot be fetched; the abstract is used.
dir="$work/dead"
mkdir -p "$dir"
sed "s|\"fulltext_base\": \"$PBASE\"|\"fulltext_base\": \"http://127.0.0.1:$(closed_port)\"|" \
	"$work/fulltext/pw.json" | sed 's|"store": "pw.db"|"store": "dead.db"|' > "$dir/pw.json"
run
check "full texts unreachable: every paper summarised from its abstract, exit 0, the reason said" \
	'[ "$(rc)" = 0 ] && grep -q "no full text (.*could not be fetched" "$dir/err" &&
	 [ "$(grep -c "Problem" "$dir/full.jsonl")" -ge 3 ]'
finish
