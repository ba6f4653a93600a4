#!/usr/bin/env python3
"""Writes an RSS 2.0 feed of hostile papers (ours, made up): HTML, Markdown
and TeX in titles, abstracts and author names, javascript: and data: links,
CR LF, a C1 control character.  Each title carries a marker (marker-one ...) that must survive,
readable, in every sink.  With S2DIR, also Semantic Scholar's answer for
the recommendations of arXiv:2411.17700 under S2DIR (read through file://),
with hostile papers of its own (marker-four, marker-five), an escaped NUL
among them.  Usage: make_hostile_feed.py OUT [S2DIR]"""
import json
import os
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

if len(sys.argv) > 2:
    papers = [
        {"paperId": "h4", "externalIds": {"DOI": "10.1000/hostile.4"},
         "title": "<svg onload=alert(6)> **Semantic** [x](javascript:alert(7)) marker-four",
         "abstract": "Cut here?\u0000 No: the rest <iframe src=//evil></iframe> stays.",
         "publicationDate": "2026-11-19", "venue": "X", "url": "javascript:alert(8)",
         "authors": [{"authorId": "1", "name": "<b onclick=alert(9)>Bob</b>"}]},
        {"paperId": "h5", "externalIds": {"DOI": "10.1000/hostile.5"},
         "title": "Data link marker-five", "abstract": "$E = mc^2$ and <a href=data:x>y</a>.",
         "publicationDate": "2026-11-19", "venue": "X", "url": "data:text/html;base64,PHNjcmlwdD4=",
         "authors": []},
    ]
    d = os.path.join(sys.argv[2], "recommendations", "v1", "papers", "forpaper")
    os.makedirs(d, exist_ok=True)
    # json.dumps writes the NUL as the escape \u0000, as an API would.
    open(os.path.join(d, "ARXIV:2411.17700"), "w").write(json.dumps({"recommendedPapers": papers}))
