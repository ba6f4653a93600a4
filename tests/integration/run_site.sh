#!/bin/sh
# The html sink's site and `paperwire serve`, in the real binary: a site of
# two days (the hostile feed two days ago, the demo sample today) with the
# llm and related enrichers' fields, validated by tidy, checked for inert
# papers, then read in Debian's chromium (tests/browser/site_test.mjs, with
# playwright-core and axe-core) from file:// and from `paperwire serve`,
# whose API is also checked request by request: bad requests get a 4xx
# with a message, the store is read while a run writes it.  The screenshots
# are kept beside this script's log, in run_site.shots/ of the build tree.
# Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"
MODULES=${PW_NODE_MODULES:-$PW_SRCDIR/tests/browser/node_modules}
for need in node /usr/bin/chromium tidy; do
	if ! command -v "$need" >/dev/null 2>&1; then
		echo "SKIP run_site.sh: $need is not installed (scripts/setup installs it)"
		exit 77
	fi
done
if [ ! -f "$MODULES/playwright-core/package.json" ] || [ ! -f "$MODULES/axe-core/axe.min.js" ]; then
	echo "SKIP run_site.sh: no playwright-core and axe-core in $MODULES (scripts/setup installs them with npm)"
	exit 77
fi
"$PY" "$PW_SRCDIR/tests/integration/make_hostile_feed.py" "$work/hostile.rss"

dir="$work/site"
mkdir -p "$dir"
# site_config SOURCE: the digest with every enricher, into the html sink.
site_config() {
	cat > "$dir/pw.json" <<JSON
{
  "store": "pw.db",
  "http": {"retries": 1, "backoff": 0.2, "timeout": 5, "spacing": 0},
  "sources": [$1],
  "digests": [{"name": "daily",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 2, "speculative": 2, "attention": 1, "marker": 2}}],
     "select": {"min_score": 1},
     "enrichers": [
       {"plugin": "llm", "name": "label", "task": "classify", "labels": ["Inference", "Training"],
        "endpoint": "$BASE/llm/site/ok/v1", "model": "m"},
       {"plugin": "llm", "name": "summary", "task": "summary", "endpoint": "$BASE/llm/site/ok/v1", "model": "m"},
       {"plugin": "llm", "name": "french", "task": "translate", "language": "French",
        "endpoint": "$BASE/llm/site/ok/v1", "model": "m"},
       {"plugin": "related", "k": 2, "min_similarity": 0.01}],
     "sinks": [{"plugin": "html", "dir": "site", "keep_days": 30}]},
    {"name": "plain", "select": {"min_score": 0}, "sinks": [{"plugin": "json", "path": "plain.jsonl"}]}]
}
JSON
}
sql() { "$PY" -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print('|'.join(str(v) for v in row))
db.commit()" "$dir/pw.db" "$1"; }
TODAY=$(date -u +%Y-%m-%d)
EARLIER=$(date -u -d '2 days ago' +%Y-%m-%d)

# --- day one (two days ago): the hostile feed
site_config "{\"plugin\": \"feed\", \"name\": \"hostile\", \"url\": \"file://$work/hostile.rss\"}"
run
check "day one: the hostile feed's 3 papers delivered to the site" \
	'[ "$(rc)" = 0 ] && grep -q "html: wrote 1 day page (3 papers, 3 new) to site/" "$dir/err"'
# Two days pass: the deliveries and the day's facts move back.
sql "UPDATE ledger SET delivered_at = delivered_at - 172800 WHERE delivered_at IS NOT NULL" >/dev/null
sql "UPDATE state SET key = 'day $EARLIER' WHERE key = 'day $TODAY'" >/dev/null
rm -f "$dir/site/$TODAY.html"
touch "$dir/site/2001-01-01.html" "$dir/site/notes.html"
: > "$dir/site/index.html.tmp.abcdef"

# --- day two (today): the demo sample
site_config "{\"plugin\": \"arxiv\", \"name\": \"src\", \"query\": \"x\", \"base_url\": \"$SAMPLE\", \"max_results\": 50}"
run
NSEL=$(sql "SELECT count(*) FROM ledger WHERE digest = 'daily' AND delivered_at > strftime('%s','now') - 3600")
check "day two: the demo sample's papers that reach min_score 1 delivered ($NSEL), two day pages" \
	'[ "$(rc)" = 0 ] && [ "$NSEL" -ge 5 ] && grep -q "html: wrote 2 day pages ($((NSEL + 3)) papers, $NSEL new)" "$dir/err"'
check "the site: index, archive, both days, the stylesheet, the script and the search index" \
	'(for f in index.html archive.html $TODAY.html $EARLIER.html paperwire.css paperwire.js search-index.js; do
		[ -s "$dir/site/$f" ] || { echo "missing $f" >&2; exit 1; }; done)'
check "a day page older than keep_days is removed, a file not of ours stays, a dead run's temporary file goes" \
	'[ ! -e "$dir/site/2001-01-01.html" ] && [ -e "$dir/site/notes.html" ] && ! ls "$dir/site" | grep -q "\.tmp\."'
rm -f "$dir/site/notes.html"
check "every page is valid HTML to tidy (no error, no warning)" \
	'(for f in "$dir"/site/*.html; do tidy -q -e "$f" 2>"$dir/tidy.err" || { echo "$f:"; cat "$dir/tidy.err"; exit 1; }; done)'
check "paperwire.js parses" 'node --check "$dir/site/paperwire.js"'

# The facts the browser checks need, read from the store and the site.
"$PY" - "$dir" "$TODAY" "$EARLIER" > "$dir/facts.json" 2>"$dir/err" <<'PY'
import json, re, sqlite3, sys
d, today, earlier = sys.argv[1:4]
db = sqlite3.connect(d + "/pw.db")
index = json.loads(re.search(r"= (\[.*\]);", open(d + "/site/search-index.js").read(), re.S).group(1))
mine = [p for p in index if p["day"] == today]
words = lambda p: set(re.findall(r"[a-z]{6,}", (p["title"] + " " + p["authors"]).lower()))
absw = lambda p: set(re.findall(r"[a-z]{6,}", p["abstract"].lower()))
pick = None
for p in mine:
    others = set().union(*[words(q) | absw(q) for q in index if q is not p])
    only = sorted(absw(p) - others - words(p))
    if only:
        pick = (p, only[0]); break
site_ids = {p["id"] for p in index}
store = [{"id": r[0], "title": r[1]} for r in db.execute("SELECT id, title FROM papers")]
outside = [r for r in store if r["id"] not in site_ids]
tw = lambda r: set(re.findall(r"[a-z]{5,}", r["title"].lower()))
store_pick = None
for r in outside:
    rest = set().union(*[tw(q) for q in store if q is not r])
    only = sorted(tw(r) - rest)
    if only:
        store_pick = (r, only[0]); break
print(json.dumps({
  "ids": [p["id"] for p in mine], "abstractWord": pick[1], "abstractTitle": pick[0]["title"],
  "storeWord": store_pick[1], "storeTitle": store_pick[0]["title"],
  "categories": sorted({c for p in mine for c in p["categories"]}),
  "hostile": [p["title"] for p in index if "marker-one" in p["title"]][0], "total": len(index)}))
PY
check "the search index holds every paper of the site, with its abstract" \
	'"$PY" -c "import json,sys; f = json.load(open(sys.argv[1])); assert f[\"total\"] == $NSEL + 3, f" "$dir/facts.json"'

# The papers' parts of each page: no active content, links only to the web
# or to a paper's place on the site; every enricher's field there.
check "papers are inert: no script, no handler, no link but http(s) or a paper's anchor, on every page" \
	'"$PY" - "$dir/site" <<PY
import html.parser, os, re, sys
class C(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.depth = 0; s.bad = []
    def handle_starttag(s, tag, attrs):
        if tag == "article": s.depth += 1
        if not s.depth: return
        if tag in ("script", "style", "iframe", "img", "svg", "object", "embed", "form", "base", "link", "meta"):
            s.bad.append(tag)
        for k, v in attrs:
            if k.startswith("on"): s.bad.append(k)
            if k in ("href", "src") and not re.match(r"https?://|\d{4}-\d\d-\d\d\.html#p-[\w.-]+$", v or ""):
                s.bad.append("%s=%s" % (k, v))
    def handle_endtag(s, tag):
        if tag == "article": s.depth -= 1
for f in os.listdir(sys.argv[1]):
    if f.endswith(".html"):
        c = C(); c.feed(open(os.path.join(sys.argv[1], f)).read())
        assert not c.bad, (f, c.bad)
PY'
check "the hostile abstract's script is text, the title's TeX set as math (x<sub>1</sub> &lt; y)" \
	'grep -q "&lt;script&gt;alert(&#39;abstract&#39;)&lt;/script&gt;" "$dir/site/$EARLIER.html" &&
	 grep -q "<span class=\"math\">x<sub>1</sub> &lt; y</span>" "$dir/site/$EARLIER.html"'
check "each paper shows its label with the reason, summary, translation and related papers; score reasons" \
	'grep -q "<b>Label:</b> Inference &#8212; It is about Inference." "$dir/site/$TODAY.html" &&
	 grep -q "TL;DR: " "$dir/site/$TODAY.html" && grep -q "\[French\]" "$dir/site/$TODAY.html" &&
	 grep -q "<b>Related papers</b>" "$dir/site/$TODAY.html" && grep -q "<li>keyword +" "$dir/site/$TODAY.html" &&
	 grep -q "data-label=\"Inference\"" "$dir/site/$TODAY.html"'
check "the day's score chart marks the selection; the index charts categories per day" \
	'grep -q "Scores of the 12 papers weighed on $TODAY" "$dir/site/index.html" &&
	 grep -q "class=\"threshold\"" "$dir/site/index.html" &&
	 grep -q "Papers per day by primary category" "$dir/site/index.html" &&
	 grep -q "Scores of the 3 papers weighed on $EARLIER" "$dir/site/$EARLIER.html"'

# --- a run with nothing new keeps the site and says so on the index
run
check "a run with nothing new: the site stays, index.html still shows today's papers" \
	'[ "$(rc)" = 0 ] && [ "$(grep -c "<article" "$dir/site/index.html")" = "$NSEL" ]'

# --- paperwire serve
serve_start() { # ARGS: starts serve, sets SURL
	 (cd "$dir" && exec "$BIN" serve -c pw.json --digest daily --port 0 "$@" >"$dir/serve.out" 2>"$dir/serve.err") &
	spid=$!
	pids="$pids $spid"
	for _ in $(seq 100); do grep -q "^serving" "$dir/serve.out" 2>/dev/null && break; sleep 0.1; done
	SURL=$(sed -n 's/.* on \(http:[^ ]*\) .*/\1/p' "$dir/serve.out")
}
serve_start
check "serve: says where it serves, on 127.0.0.1" 'case "$SURL" in http://127.0.0.1:*/) true;; *) false;; esac'
"$PY" - "$dir/facts.json" "$dir/cases.json" "file://$dir/site" "$SURL" "$TODAY" "$EARLIER" "$NSEL" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
site, url, today, earlier, nsel = sys.argv[3:8]
cat = [c for c in f["categories"] if c != "cs.LG"][0]
json.dump({"static": {"url": site + "/index.html", "archive": site + "/archive.html",
                      "hostileUrl": site + "/" + earlier + ".html", "ids": f["ids"],
                      "abstractWord": f["abstractWord"], "abstractTitle": f["abstractTitle"], "category": cat,
                      "hostileTitle": "Evil [click](javascript:alert(1))", "days": [today, earlier]},
           "served": {"url": url, "count": int(nsel), "rateId": "2211.17192",
                      "rateTitle": "Fast Inference from Transformers via Speculative Decoding",
                      "dislikeId": "1706.03762", "similarTitle": "Accelerating Large Language Model Decoding",
                      "storeWord": f["storeWord"], "storeTitle": f["storeTitle"]}},
          open(sys.argv[2], "w"))
PY
shots="$PW_BUILDDIR/tests/integration/run_site.shots"
rm -rf "$shots"
mkdir -p "$shots"
node "$PW_SRCDIR/tests/browser/site_test.mjs" "$MODULES" "$shots" "$dir/cases.json" > "$dir/browser.out" 2>&1
sed 's/^/  /' "$dir/browser.out" | grep -v "^  \(ok\|FAIL\) " || true
browser_ok=$(grep -c "^ok " "$dir/browser.out" 2>/dev/null || true)
browser_failed=$(grep -c "^FAIL " "$dir/browser.out" 2>/dev/null || true)
pass=$((pass + ${browser_ok:-0}))
fail=$((fail + ${browser_failed:-0}))
grep "^\(ok\|FAIL\) " "$dir/browser.out"
check "the browser run ended and left its screenshots" \
	'grep -q "^browser: " "$dir/browser.out" && [ "$(ls "$shots" | grep -c png)" -ge 10 ]'
(cd "$dir" && "$BIN" ratings -c pw.json --digest daily > "$dir/ratings.out" 2>"$dir/err")
check "the ratings given in the page are the ones 'paperwire ratings' lists" \
	'grep -q "^like  *2211.17192 " "$dir/ratings.out" && grep -q "^dislike  *1706.03762 " "$dir/ratings.out" &&
	 [ "$(grep -c . "$dir/ratings.out")" = 2 ]'

# The API, request by request (status, then body).
api() { # METHOD PATH [HEADERS...] with BODY in $body
	method=$1; path=$2; shift 2
	"$PY" - "$SURL" "$method" "$path" "${body:-}" "$@" <<'PY'
import http.client, sys, urllib.parse
url, method, path, body = sys.argv[1:5]
u = urllib.parse.urlsplit(url)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
headers = dict(h.split(": ", 1) for h in sys.argv[5:])
c.putrequest(method, path, skip_host="Host" in headers)
for k, v in headers.items():
    c.putheader(k, v)
data = body.encode()
if method == "POST":
    c.putheader("Content-Length", str(len(data)))
c.endheaders(data if method == "POST" else None)
r = c.getresponse()
print(r.status, r.read().decode(errors="replace"))
PY
}
TOKEN=$(api GET /api/session | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
ORIGIN=${SURL%/}
body='{"id": "2302.01318", "rating": 1}'
check "serve: a rating with the token from the page's origin is saved" \
	'api POST /api/rate "Origin: $ORIGIN" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" | grep -q "^200 "'
check "serve: without the token: 403, saying so" \
	'api POST /api/rate "Origin: $ORIGIN" "Content-Type: application/json" | grep -q "^403 .*token"'
check "serve: from another origin: 403" \
	'api POST /api/rate "Origin: http://evil.example" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" | grep -q "^403 .*Origin"'
check "serve: under another Host name (DNS rebinding): 421" \
	'api GET /api/session "Host: evil.example:80" | grep -q "^421 "'
body='{"id": "2302.01318", "rating": 5}'
check "serve: a rating that is not 1, -1 or 0: 400" \
	'api POST /api/rate "Origin: $ORIGIN" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" | grep -q "^400 .*rating"'
body='{"id": "not an id", "rating": 1}'
check "serve: an id that is neither arXiv's nor a DOI: 400" \
	'api POST /api/rate "Origin: $ORIGIN" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" | grep -q "^400 .*id"'
body='{"id": "2302.01318", "rating": 1'
check "serve: a body that is not JSON: 400" \
	'api POST /api/rate "Origin: $ORIGIN" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" | grep -q "^400 "'
body=$(head -c 20000 /dev/zero | tr '\0' 'x')
check "serve: a body over 8 KB: 413" \
	'api POST /api/rate "Origin: $ORIGIN" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" | grep -q "^413 "'
body=""
check "serve: an unknown API: 404; a method it does not take: 405" \
	'api GET /api/nothing | grep -q "^404 " && api DELETE /index.html | grep -q "^405 "'
check "serve: no way out of the site's directory, no dot file, no store" \
	'api GET /../pw.json | grep -q "^404 " && api GET /%2e%2e/pw.json | grep -q "^404 " &&
	 api GET /.hidden | grep -q "^404 " && api GET /pw.db | grep -q "^404 "'
check "serve: search without words: 400; similar to a paper the store lacks: 404" \
	'api GET /api/search | grep -q "^400 " && api GET "/api/similar?id=2501.99999" | grep -q "^404 "'
check "serve: a search with FTS5 syntax in it is taken as words" \
	'api GET "/api/search?q=%22OR%20NEAR(%20*%20-" | grep -q "^200 {\"results\":\[\]}"'
check "serve: pages carry a Content-Security-Policy and nosniff" \
	'curl -sI "$SURL" | grep -qi "^content-security-policy: default-src .self." && curl -sI "$SURL" | grep -qi "nosniff"'
# A run while serve reads: both go on; a paper the run brings is found at once.
site_config "{\"plugin\": \"feed\", \"name\": \"hostile\", \"url\": \"file://$work/hostile.rss\"}, {\"plugin\": \"feed\", \"name\": \"late\", \"url\": \"file://$work/late.rss\"}"
sed 's/marker-one/zanzibarite marker-six/; s/hostile-1/late-1/' "$work/hostile.rss" | grep -v "marker-two\|marker-three" > "$work/late.rss"
body='{"id": "2205.14135", "rating": -1}'
api POST /api/rate "Origin: $ORIGIN" "X-Paperwire-Token: $TOKEN" "Content-Type: application/json" > "$dir/rate-during" &
run
wait $! 2>/dev/null || true
check "serve: a run beside it succeeds, and so does a rating given meanwhile" \
	'[ "$(rc)" = 0 ] && grep -q "^200 " "$dir/rate-during"'
check "serve: the run's new paper is found by the next search" \
	'api GET "/api/search?q=zanzibarite" | grep -q "marker-six"'
check "serve: still up after all of it" 'api GET / | grep -q "^200 "'
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
check "serve: SIGTERM stops it, saying so" 'grep -q "stopped by SIGTERM" "$dir/serve.err"'

# --listen: the key is needed, printed loudly.
serve_start --listen 127.0.0.1
KEY=$(sed -n 's/.*?key=\([0-9a-f]*\).*/\1/p' "$dir/serve.err")
check "serve --listen: warns that every request needs the key, with the URL and the key" \
	'grep -q "warning: serve: with --listen every request needs the key; open http://127.0.0.1:" "$dir/serve.err" &&
	 [ ${#KEY} = 64 ]'
check "serve --listen: without the key: 403; with it: a cookie and back to the page; with the cookie: 200" \
	'api GET / | grep -q "^403 .*key" &&
	 curl -s -o /dev/null -w "%{http_code}" -c "$dir/jar" "${SURL}?key=$KEY" | grep -q 303 &&
	 curl -s -o /dev/null -w "%{http_code}" -b "$dir/jar" "$SURL" | grep -q 200'
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null

# Usage errors.
(cd "$dir" && "$BIN" serve -c pw.json --digest plain >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "serve: a digest without an html sink: exit 2, saying what to add" \
	'[ "$(rc)" = 2 ] && grep -q "digest plain has no html sink" "$dir/err"'
(cd "$dir" && "$BIN" serve -c pw.json --port 70000 >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "serve: --port 70000: exit 2" '[ "$(rc)" = 2 ] && grep -q "not a port" "$dir/err"'
finish
