#!/bin/sh
# What the reader sees over several days, through the real binary: a page
# never blanked by a day with nothing new, true reasons for an empty day,
# a failed run saying so at the top, and the page's details (PDF links,
# sections, monitored categories, a feed without a file:// self link).
. "$PW_SRCDIR/tests/integration/lib.sh"

gfm() { cmark-gfm --unsafe -e table -e strikethrough -e autolink -e tagfilter "$1"; }

dir="$work/days"
mkdir -p "$dir"
write_config() { # base_url
	cat > "$dir/pw.json" <<JSON
{
  "store": "pw.db",
  "http": {"retries": 1, "backoff": 0.1},
  "sources": [{"plugin": "arxiv", "name": "src", "categories": ["physics", "cs"], "base_url": "$1"}],
  "digests": [{"name": "daily",
     "scorers": [{"plugin": "keyword", "keywords": {"speculative decoding": 3, "sparse attention": 2}}],
     "select": {"min_score": 1},
     "sinks": [{"plugin": "markdown", "path": "site/page/README.md", "group_by": "category"},
               {"plugin": "json", "path": "site/papers.jsonl"},
               {"plugin": "rss", "name": "feed", "path": "site/feed.xml", "link": "https://example.org/"},
               {"plugin": "rss", "name": "atom", "path": "site/feed.atom", "format": "atom",
                "link": "https://example.org/", "url": "https://example.org/feed.atom"}]}]
}
JSON
}
write_config "$BASE/fixture/listing_small.xml?"
run
page="$dir/site/page/README.md"
check "the first day: exit 0, and the sinks' missing directories were made" \
	'[ "$(rc)" = 0 ] && [ -s "$page" ] && [ -s "$dir/site/papers.jsonl" ]'
check "the monitored categories keep 'cs' after 'physics' (a whole-item test, not a substring)" \
	'grep -q "Categories Monitored\*\*: physics, cs$" "$page"'
check "sections by category, in alphabetical order, below the Papers heading, with their counts" \
	'[ "$(grep "^### " "$page" | tr "\n" "|")" = "### cs.CL (1)|### cs.LG (1)|" ] && grep -q "^#### 1\. \[Sparse Attention" "$page" && grep -q "^#### 2\. \[Draft Trees" "$page"'
check "each paper has its PDF link and its arXiv id under that name" \
	'grep -q "^\*\*PDF\*\*: \[https://arxiv.org/pdf/2611.10001v1\]" "$page" && grep -q "^\*\*ArXiv ID\*\*: 2611.10001v1" "$page"'
check "an RSS feed without 'url' has no rel=self link (no file:// path); an Atom feed with it has" \
	'! grep -q "rel=\"self\"" "$dir/site/feed.xml" && ! grep -q "file://" "$dir/site/feed.xml" && grep -q "rel=\"self\".*href=\"https://example.org/feed.atom\"\|href=\"https://example.org/feed.atom\".*rel=\"self\"" "$dir/site/feed.atom"'
cp "$page" "$dir/day1.md"
cp "$dir/site/papers.jsonl" "$dir/day1.jsonl"

# The next day the listing is unchanged (the server answers 304).
run
check "an unchanged listing: exit 0, and the report says so instead of guessing a weekend" \
	'[ "$(rc)" = 0 ] && grep -q "0 selected (nothing new: source src: listing unchanged since the last run (HTTP 304))" "$dir/err" && ! grep -qi "weekend" "$dir/err"'
check "the page keeps the last digest's papers under a status line saying when and why" \
	'grep -q "^> \*\*Checked .*\*\*: nothing new (source src: listing unchanged since the last run (HTTP 304))\. The 2 papers below are from the digest of 20" "$page" && grep -q "Draft Trees for Speculative Decoding" "$page" && grep -q "Sparse Attention" "$page"'
check "the kept papers are exactly the last digest's" \
	'[ "$(sed -n "/<!-- paperwire:papers/,/<!-- paperwire:end/p" "$page")" = "$(sed -n "/<!-- paperwire:papers/,/<!-- paperwire:end/p" "$dir/day1.md")" ]'
check "the JSON Lines file is not blanked" 'cmp -s "$dir/site/papers.jsonl" "$dir/day1.jsonl"'
check "the kept page renders in GitHub's renderer with the papers and the status" \
	'gfm "$page" > "$dir/page.html" && grep -q "<blockquote>" "$dir/page.html" && grep -q "Draft Trees for Speculative Decoding</a>" "$dir/page.html"'

# The day after, arXiv fails.
write_config "$BASE/status/503?retry_after=0"
run
check "a failed fetch: exit 1, and the page says at the top that the run did not complete" \
	'[ "$(rc)" = 1 ] && sed -n "3p" "$page" | grep -q "^> ⚠️ \*\*The run of .* did not complete\*\*: source src failed; the next run fetches again\.$"'
check "and still keeps the papers, saying why nothing is new" \
	'grep -q "nothing new (source src: failed)\. The 2 papers below" "$page" && grep -q "Draft Trees for Speculative Decoding" "$page"'

# A page from an older paperwire (no markers) on an empty day: nothing to
# keep, and it says so rather than showing nothing.
printf '# an old page\n\nhand-written\n' > "$page"
write_config "$BASE/fixture/listing_small.xml?"
run
check "an old page without markers: replaced by a status page, nothing invented" \
	'[ "$(rc)" = 0 ] && grep -q "No papers yet" "$page" && ! grep -q "papers below" "$page"'

finish
