#!/usr/bin/env python3
"""The arXiv Papers Bot's method, for comparison: feedparser reads the
listing, each entry gets a substring keyword score over title and summary,
and the top 30 are kept.  Usage: papersbot.py LISTING KEYWORDS.json"""
import json
import sys

import feedparser


def main():
    feed = feedparser.parse(sys.argv[1])
    keywords = json.load(open(sys.argv[2]))
    scored = []
    for e in feed.entries:
        text = (e.get("title", "") + " " + e.get("summary", "")).lower()
        score = sum(w for k, w in keywords.items() if k.rstrip("*").lower() in text)
        if score > 0:
            scored.append((score, e.get("id", "")))
    scored.sort(reverse=True)
    print(len(feed.entries), "entries,", len(scored[:30]), "kept")


main()
