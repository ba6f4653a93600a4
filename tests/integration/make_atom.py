#!/usr/bin/env python3
"""Writes an arXiv API answer (Atom) with N made-up papers, for tests that
need more papers than our small fixtures hold: even-numbered ones are
about speculative decoding, odd ones about world models.
Usage: make_atom.py N OUT [FIRST]"""
import sys
from xml.sax.saxutils import escape

n, out = int(sys.argv[1]), sys.argv[2]
first = int(sys.argv[3]) if len(sys.argv) > 3 else 1
entries = []
for i in range(first, first + n):
    pid = "2611.%05d" % i
    if i % 2 == 0:
        title, abstract = "Speculative Decoding, Part %d" % i, "Drafts for speculative decoding, study %d." % i
    else:
        title, abstract = "A World Model, Part %d" % i, "A world model for robots, study %d." % i
    entries.append("""  <entry>
    <id>http://arxiv.org/abs/%(id)sv1</id>
    <title>%(title)s</title>
    <updated>2026-11-19T18:00:00Z</updated>
    <link href="https://arxiv.org/abs/%(id)sv1" rel="alternate" type="text/html"/>
    <summary>%(abstract)s</summary>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>2026-11-19T18:00:00Z</published>
    <arxiv:primary_category term="cs.LG"/>
    <author><name>Author %(i)d</name></author>
  </entry>""" % {"id": pid, "title": escape(title), "abstract": escape(abstract), "i": i})
with open(out, "w") as f:
    f.write("""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/paperwire-test</id>
  <title>arXiv Query: paperwire test</title>
  <updated>2026-11-20T00:00:00Z</updated>
  <opensearch:itemsPerPage>%d</opensearch:itemsPerPage>
  <opensearch:totalResults>%d</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
%s
</feed>
""" % (n, n, "\n".join(entries)))
