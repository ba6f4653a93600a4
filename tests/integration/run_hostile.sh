#!/bin/sh
# Nothing injects: a hostile corpus of our own (HTML, Markdown, TeX, CR LF,
# javascript: and data: links in titles, abstracts, authors, links and an
# LLM's answers) through the feed, related (Semantic Scholar JSON) and
# arxiv (API Atom) sources and the llm enricher into every sink, read back with real renderers: the Markdown through GitHub's
# renderer (cmark-gfm with its GitHub extensions, raw HTML let through, so
# only our escaping stands between the text and the page), the feeds
# through feedparser and sfeed, the e-mail through Python's email parser.
# No active content may survive and every paper must still be there.
# Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
T="$PW_SRCDIR/tests/integration"
start_smtp "$work/mail"
dir="$work/hostile"
mkdir -p "$dir"
"$PY" "$T/make_hostile_feed.py" "$dir/feed-in.xml" "$dir/s2"
cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 0},
  "sources": [{"plugin": "feed", "url": "file://$dir/feed-in.xml"},
              {"plugin": "related", "seeds": ["arXiv:2411.17700"], "base_url": "file://$dir/s2"},
              {"plugin": "arxiv", "query": "all:test", "base_url": "file://$PW_SRCDIR/tests/fixtures/api_hostile.atom",
               "max_results": 2, "page_size": 2}],
  "digests": [{"name": "daily", "scorers": [], "select": {"min_score": 0},
     "enrichers": [{"plugin": "llm", "task": "summary", "endpoint": "$BASE/llm/hostile/ok/v1", "model": "m"}],
     "sinks": [
       {"plugin": "markdown", "path": "$dir/README.md"},
       {"plugin": "rss", "path": "$dir/feed.xml"},
       {"plugin": "rss", "name": "atom", "format": "atom", "path": "$dir/feed.atom"},
       {"plugin": "json", "path": "$dir/papers.jsonl"},
       {"plugin": "email", "url": "smtp://127.0.0.1:$SMTP_PORT", "tls": "none", "from": "bot@example.org",
        "to": ["reader@example.org"]}]}]
}
JSON
run
MARKERS="marker-one marker-two marker-three marker-four marker-five Tiny Bcc"
check "the hostile corpus is delivered to every sink" \
	'[ "$(rc)" = 0 ] && grep -q "sink markdown: 7 delivered; sink rss: 7 delivered; sink atom: 7 delivered; sink json: 7 delivered; sink email: 7 delivered" "$dir/err"'
check "a control character is dropped and counted in the run report as invalid text" \
	'grep -q "source feed: 3 fetched.*invalid text 1" "$dir/err"'
check "a link that is not http(s) is dropped with a warning naming the paper" \
	'[ "$(grep -c "its link is not http(s)" "$dir/err")" -ge 4 ] && grep -q "paper 10.1000/hostile.4: its link is not http(s)" "$dir/err"'
check "an escaped NUL in Semantic Scholar's JSON cuts nothing: replaced and counted" \
	'grep -q "escaped NUL characters replaced" "$dir/err" && grep -q "source related: 2 fetched.*invalid text 1" "$dir/err" && grep -q "No: the rest" "$dir/papers.jsonl"'

gfm() { cmark-gfm --unsafe -e table -e strikethrough -e autolink -e tagfilter -e tasklist "$1"; }
check "Markdown as GitHub renders it (cmark-gfm, raw HTML on): no active content, every paper readable" \
	'gfm "$dir/README.md" > "$dir/README.html" && "$PY" "$T/check_inert_html.py" "$dir/README.html" $MARKERS "alert(1)" > "$dir/inert" || { cat "$dir/inert" >&2; false; }'
check "the LLM answer keeps its Markdown (bold), a title shows its asterisks as typed" \
	'grep -q "<strong>stars</strong>" "$dir/README.html" && grep -qF "with \*\*stars\*\* and" "$dir/README.md" && grep -qF "with **stars** and" "$dir/README.md"'
check "TeX math is kept readable: nothing escaped inside \$...\$ but what could form HTML" \
	'grep -qF "\$\\_3\$" "$dir/README.md" && grep -qF "\$x_1 \\lt  y\$" "$dir/README.md" && grep -qF "\$\$\\sum_i x_i\$\$" "$dir/README.md"'
check "the feeds: item links only http(s), feedparser reads them cleanly, sfeed one line per item" \
	'! grep -q "<link>javascript\|<link>data:\|href=\"javascript\|href=\"data:" "$dir/feed.xml" "$dir/feed.atom" && "$PY" -c "
import sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    assert not d.bozo and len(d.entries) == 7, (path, d.bozo, len(d.entries))
    hrefs = [l[\"href\"] for e in d.entries for l in e.get(\"links\", [])]
    assert hrefs and all(h.startswith((\"http://\", \"https://\")) for h in hrefs), (path, hrefs)
    for m in (\"marker-one\", \"marker-two\", \"marker-three\", \"marker-four\", \"marker-five\"):
        assert any(m in e.title for e in d.entries), (path, m)
" "$dir/feed.xml" "$dir/feed.atom" && [ "$(sfeed < "$dir/feed.xml" | wc -l)" = 7 ]'
check "the feeds' descriptions, rendered as a reader would, hold no active content" \
	'"$PY" -c "
import sys, xml.etree.ElementTree as ET
print(\"\".join(\"<div>%s</div>\" % (d.text or \"\") for d in ET.parse(sys.argv[1]).getroot().iter(\"description\")))
" "$dir/feed.xml" | "$PY" "$T/check_inert_html.py" - $MARKERS > "$dir/inert" || { cat "$dir/inert" >&2; false; }'
check "the e-mail: its HTML part holds no active content, its text part every paper" \
	'"$PY" -c "
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], \"rb\"))
parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in m.walk() if not p.is_multipart()}
open(sys.argv[2], \"w\").write(parts[\"text/html\"])
assert all(k in parts[\"text/plain\"] for k in sys.argv[3:])
" "$work/mail/1.eml" "$dir/mail.html" $MARKERS && "$PY" "$T/check_inert_html.py" "$dir/mail.html" $MARKERS > "$dir/inert" || { cat "$dir/inert" >&2; false; }'
check "JSON Lines: seven valid objects, the text as it came (data, not markup)" \
	'"$PY" -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 7 and any(\"<script>\" in r[\"abstract\"] for r in rows), rows
" "$dir/papers.jsonl"'
finish
