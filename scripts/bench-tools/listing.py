#!/usr/bin/env python3
"""Reads arXiv's RSS listing (the recorded 1,504-item day in ../shared/fixtures)
into paper dicts, and writes papers as a page in the arXiv API's Atom format,
which paperwire's arxiv source reads through file://.  Used by scripts/bench."""
import re
import sys
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

DC = "{http://purl.org/dc/elements/1.1/}"


def read_listing(path):
    papers = []
    for item in ET.parse(path).getroot().iter("item"):
        desc = item.findtext("description") or ""
        m = re.match(r"arXiv:(\S+?)(v\d+)? Announce Type: (\S+)\s*Abstract:\s*(.*)", desc, re.S)
        if not m:
            continue
        cats = [c.text for c in item.findall("category") if c.text]
        papers.append({
            "id": m.group(1), "version": (m.group(2) or "v1")[1:], "announce": m.group(3),
            "abstract": " ".join(m.group(4).split()),
            "title": " ".join((item.findtext("title") or "").split()),
            "authors": [a.strip() for a in (item.findtext(DC + "creator") or "").split(",") if a.strip()],
            "categories": cats,
        })
    return papers


def write_api_page(papers, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n"
                '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
                'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
                "  <id>https://arxiv.org/api/paperwire-bench</id>\n  <title>paperwire bench</title>\n"
                "  <opensearch:itemsPerPage>%d</opensearch:itemsPerPage>\n"
                "  <opensearch:totalResults>%d</opensearch:totalResults>\n"
                "  <opensearch:startIndex>0</opensearch:startIndex>\n" % (len(papers), len(papers)))
        for p in papers:
            f.write("  <entry>\n    <id>http://arxiv.org/abs/%sv%s</id>\n    <title>%s</title>\n"
                    "    <summary>%s</summary>\n    <published>2024-11-27T19:00:00Z</published>\n"
                    % (p["id"], p["version"], escape(p["title"]), escape(p["abstract"])))
            for c in p["categories"]:
                f.write('    <category term="%s" scheme="http://arxiv.org/schemas/atom"/>\n' % escape(c))
            if p["categories"]:
                f.write('    <arxiv:primary_category term="%s"/>\n' % escape(p["categories"][0]))
            for a in p["authors"]:
                f.write("    <author>\n      <name>%s</name>\n    </author>\n" % escape(a))
            f.write("  </entry>\n")
        f.write("</feed>\n")


def write_bibtex(papers, path):
    with open(path, "w", encoding="utf-8") as f:
        for i, p in enumerate(papers):
            f.write("@article{p%d,\n  title = {%s},\n  abstract = {%s},\n  year = {%d}\n}\n\n"
                    % (i, p["title"].replace("{", "").replace("}", ""),
                       p["abstract"].replace("{", "").replace("}", ""), 2024 - i % 5))


def replicate(papers, n):
    """n papers with unique ids, cycling through the recorded ones."""
    out = []
    for k in range(n):
        p = dict(papers[k % len(papers)])
        copy = k // len(papers)
        if copy:
            p["id"] = "%04d.%05d" % (3000 + copy, k % 100000)
        out.append(p)
    return out


if __name__ == "__main__":
    src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    write_api_page(replicate(read_listing(src), n), dst)
