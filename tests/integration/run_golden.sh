#!/bin/sh
# A day with every enricher (a translation into Japanese, a label with its
# reason, a structured summary, related papers) through every sink, against
# golden files: the Markdown page and the e-mail's plain part exactly (run
# times masked), and what readers' tools make of them: the page through
# GitHub's renderer (cmark-gfm), the e-mail through Python's parser, the
# feed through feedparser.  PW_UPDATE_GOLDEN=1 rewrites the golden files
# (then read the diff before committing it).
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"
GOLDEN="$PW_SRCDIR/tests/golden"
start_smtp "$work/mail"
dir="$work/day"
mkdir -p "$dir"
LLM="$BASE/llm/golden/ok/v1"
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 0, "timeout": 5, "spacing": 0},
  "sources": [{"plugin": "arxiv", "name": "src", "query": "x", "base_url": "$SAMPLE", "max_results": 50}],
  "digests": [
    {"name": "today",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 2, "speculative": 2, "attention": 1}}],
     "select": {"min_score": 2},
     "enrichers": [
       {"plugin": "llm", "name": "japanese", "task": "translate", "language": "Japanese", "endpoint": "$LLM",
        "model": "qwen-long"},
       {"plugin": "llm", "name": "label", "task": "classify", "labels": ["Inference", "Training"],
        "endpoint": "$LLM", "model": "qwen-long"},
       {"plugin": "llm", "name": "summary", "task": "summary", "style": "structured", "endpoint": "$LLM",
        "model": "qwen-long"},
       {"plugin": "related", "k": 2, "min_similarity": 0.01}
     ],
     "sinks": [
       {"plugin": "markdown", "path": "$dir/README.md", "title": "Papers of the day", "group_by": "label"},
       {"plugin": "rss", "path": "$dir/feed.xml", "link": "https://example.org/papers"},
       {"plugin": "json", "path": "$dir/papers.jsonl"},
       {"plugin": "email", "url": "smtp://127.0.0.1:$SMTP_PORT", "tls": "none", "from": "bot@example.org",
        "to": ["reader@example.org"]}
     ]}
  ]
}
JSON
run
check "the day runs: 5 papers selected, each enriched" '[ "$(rc)" = 0 ] && [ "$(wc -l < "$dir/papers.jsonl")" = 5 ]'

# Run times change from run to run; nothing else may.
mask() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/RUN_TIME/g' "$1"; }
mail=$(ls "$work/mail"/*.eml | head -n 1)
"$PY" -c '
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
text, html = (p.get_payload(decode=True).decode(p.get_content_charset()) for p in m.get_payload())
open(sys.argv[2], "w").write(text)
open(sys.argv[3], "w").write(html)
' "$mail" "$dir/mail.txt" "$dir/mail.html"
mask "$dir/README.md" > "$dir/README.masked"
mask "$dir/mail.txt" > "$dir/mail.masked"
if [ -n "${PW_UPDATE_GOLDEN:-}" ]; then
	cp "$dir/README.masked" "$GOLDEN/enriched_day.md"
	cp "$dir/mail.masked" "$GOLDEN/enriched_day.txt"
fi
check "the Markdown page is the golden one (tests/golden/enriched_day.md)" \
	'diff -u "$GOLDEN/enriched_day.md" "$dir/README.masked" >&2'
check "the e-mail's plain part is the golden one (tests/golden/enriched_day.txt)" \
	'diff -u "$GOLDEN/enriched_day.txt" "$dir/mail.masked" >&2'

gfm() { cmark-gfm --unsafe -e table -e strikethrough -e autolink -e tagfilter "$1"; }
gfm "$dir/README.md" > "$dir/README.html"
check "GitHub's renderer: the label with its reason, the translated title as a line, the summary's structure kept, related papers as links" \
	'"$PY" - "$dir/README.html" <<"PY"
import re, sys
html = open(sys.argv[1]).read()
assert "<h3>Inference (5)</h3>" in html, html
assert "<strong>Label</strong>: Inference \u2014 It is about Inference." in html, html
assert "<strong>Title (Japanese)</strong>: [Japanese] Fast Inference from Transformers" in html, html
summary = html[html.index("<h4>AI Summary (by qwen-long)</h4>"):]
summary = summary[:summary.index("<h4>Related papers</h4>")]
assert "<strong>Problem</strong>: Fast Inference" in summary and "<li>2x faster</li>" in summary, summary
assert "**" not in summary and "&lt;" not in summary, summary
assert re.search(r"<li><a href=\"https://arxiv.org/abs/\d{4}\.\d{5}\">[^<]+</a> \(\d{4}-\d{2}-\d{2}, similarity 0\.\d\d\)", html), html
assert "<details>" not in html and "label_reason" not in html and "translation_" not in html, html
PY'
check "the e-mail's HTML part: display names, the label with its reason, the summary as bold and bullets" \
	'"$PY" - "$dir/mail.html" <<"PY"
import sys
html = open(sys.argv[1]).read()
assert "<b>Title (Japanese):</b> [Japanese] Fast Inference" in html, html
assert "<b>Label:</b> Inference &#8212; It is about Inference." in html, html
assert "<b>AI Summary (by qwen-long)</b><br><b>Problem</b>: Fast Inference" in html, html
assert "&#8226; 2x faster" in html and "**" not in html, html
PY'
check "feedparser reads the feed: each entry's summary has the translated title first and the related papers" \
	'"$PY" - "$dir/feed.xml" <<"PY"
import sys, feedparser
feed = feedparser.parse(sys.argv[1])
assert not feed.bozo and len(feed.entries) == 5, feed.bozo_exception if feed.bozo else len(feed.entries)
for e in feed.entries:
    assert e.summary.startswith("<p><b>Title (Japanese):</b> [Japanese] "), e.summary
    assert "<b>Label:</b> Inference" in e.summary and "<b>Related papers</b>" in e.summary, e.summary
PY'
finish
