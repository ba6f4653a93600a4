#!/usr/bin/env python3
"""Writes an RSS 2.0 feed of hostile papers (ours, made up): HTML, Markdown
and TeX in titles, abstracts and author names, javascript: and data: links,
CR LF, a C1 control character.  Each title carries a marker (marker-one ...) that must survive,
readable, in every sink.  Usage: make_hostile_feed.py OUT"""
import sys
from xml.sax.saxutils import escape

ITEMS = [
    {"title": "Evil <script>alert(1)</script> [click](javascript:alert(1)) ![x](http://evil.example/x.png) "
              "<img src=x onerror=alert(1)> marker-one",
     "link": "javascript:alert(1)",
     # The description is HTML: what it says literally (after tags go) is &lt;script&gt;...
     "description": "&lt;script&gt;alert('abstract')&lt;/script&gt; An &lt;a href=\"javascript:alert(3)\"&gt;x&lt;/a&gt; "
                    "and [link](javascript:alert(4)) and <b>bold</b>.\r\nSecond line.",
     "author": "Mallory <mallory@evil.example> [x](javascript:alert(2))"},
    {"title": "Bounds on $x_1 < y$ and $\\_3$ with **stars** and |pipes| marker-two",
     "link": "data:text/html,<script>alert(5)</script>",
     "description": "We show $a < b$ and $$\\sum_i x_i$$ hold; see &lt;iframe src=//evil&gt;.",
     "author": "Eve `code` ~~strike~~"},
    {"title": "A plain paper &amp; friends\u0085 marker-three",  # a C1 control: dropped, counted
     "link": "https://example.org/p3?a=1&b=<x>",
     "description": "Nothing odd here, only an ampersand & and a hash #tag.",
     "author": "Alice"},
]

out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
       "<title>hostile</title><link>https://example.org/</link><description>test</description>"]
for i, it in enumerate(ITEMS, 1):
    out.append("<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">hostile-%d</guid>"
               "<description>%s</description><author>%s</author>"
               "<pubDate>Thu, 19 Nov 2026 18:00:00 +0000</pubDate></item>"
               % (escape(it["title"]), escape(it["link"]), i, escape(it["description"]), escape(it["author"])))
out.append("</channel></rss>")
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(out) + "\n")
