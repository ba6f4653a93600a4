#!/usr/bin/env python3
"""Reads a feed paperwire wrote with feedparser (Debian's python3-feedparser)
and checks it: well formed (bozo 0), the version, every entry with title,
link, id and date, and the titles expected.  Usage:
check_feed.py FILE rss20|atom10 COUNT [TITLE...]"""
import sys

import feedparser

path, version, count, titles = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
d = feedparser.parse(path)
problems = []
if d.bozo:
    problems.append("bozo: %r" % d.bozo_exception)
if d.version != version:
    problems.append("version %r" % d.version)
if len(d.entries) != count:
    problems.append("%d entries, expected %d" % (len(d.entries), count))
links = [l for l in d.feed.get("links", []) if l.get("rel") == "self"]
if not links:
    problems.append("no rel=self link")
for e in d.entries:
    for key in ("title", "link", "id"):
        if not e.get(key):
            problems.append("an entry without %s" % key)
    if not (e.get("published_parsed") or e.get("updated_parsed")):
        problems.append("an entry without a parsable date: %s" % e.get("title"))
got = [e.title for e in d.entries]
for t in titles:
    if t not in got:
        problems.append("missing title %r (have %r)" % (t, got))
print("\n".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
