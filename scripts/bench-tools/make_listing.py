#!/usr/bin/env python3
"""Writes an arXiv RSS listing of N items with unique ids, made from the
recorded 1,504-item listing (items repeated, each given a new id), in the
exact format rss.arxiv.org serves: what paperwire's listing mode, sfeed and
feedparser all read in scripts/bench.  Usage: make_listing.py SRC N OUT [FIRST]
(FIRST: the number of the first id, so that listings made one after the
other hold different papers, as days do.)"""
import re
import sys


def main():
    src = open(sys.argv[1], encoding="utf-8").read()
    n, out = int(sys.argv[2]), open(sys.argv[3], "w", encoding="utf-8")
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    items = re.findall(r"<item>.*?</item>", src, re.S)
    out.write(src[:src.index("<item>")])
    for k in range(first, first + n):
        item = items[k % len(items)]
        old = re.search(r"oai:arXiv\.org:(\S+?)v\d+<", item).group(1)
        new = "%02d%02d.%05d" % (25 + k // (12 * 99999), (k // 99999) % 12 + 1, k % 99999)
        out.write("    " + item.replace(old, new) + "\n")
    out.write("  </channel>\n</rss>\n")


main()
