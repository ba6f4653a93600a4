#!/usr/bin/env python3
"""After runs that were killed and runs that finished: checks that every
selected paper reached every sink once.  Usage:
  check_exactly_once.py WORKDIR EXPECTED.json
EXPECTED maps digest -> sorted list of the ids a clean run selects.  In
WORKDIR: pw.db (the store), out/ (the sinks' files: DIGEST.jsonl appended,
DIGEST.xml an RSS feed, DIGEST.md.N the Markdown page after run N), mail/
(N.eml and N.json from the SMTP server, the digest in the recipient's
name).  Prints what is wrong and exits 1, or prints nothing and exits 0."""
import collections
import email
import glob
import json
import os
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET

work, expected = sys.argv[1], json.load(open(sys.argv[2]))
problems = []
ID = re.compile(r"\b(\d{4}\.\d{5})\b")


def want(what, got, digest):
    exp = set(expected[digest])
    if set(got) != exp:
        problems.append("%s: expected %s, got %s" % (what, sorted(exp), sorted(set(got))))
    dup = [k for k, n in collections.Counter(got).items() if n > 1]
    if dup:
        problems.append("%s: delivered twice: %s" % (what, sorted(dup)))


db = sqlite3.connect(os.path.join(work, "pw.db"))
if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
    problems.append("store: integrity check failed")
for digest in expected:
    for (sink,) in db.execute("SELECT DISTINCT sink FROM ledger WHERE digest = ?", (digest,)):
        rows = db.execute("SELECT paper_id FROM ledger WHERE digest = ? AND sink = ? AND status = 2",
                          (digest, sink)).fetchall()
        want("ledger %s/%s delivered" % (digest, sink), [r[0] for r in rows], digest)
    left = db.execute("SELECT count(*) FROM ledger WHERE digest = ? AND status != 2", (digest,)).fetchone()[0]
    if left:
        problems.append("ledger %s: %d papers not delivered" % (digest, left))
    if db.execute("SELECT count(*) FROM deliveries").fetchone()[0]:
        problems.append("deliveries: a delivery is still under way")

    jsonl = os.path.join(work, "out", digest + ".jsonl")
    ids = []
    for n, line in enumerate(open(jsonl, encoding="utf-8"), 1):
        try:
            row = json.loads(line)
            if not row.get("padding"):  # a test's filler
                ids.append(row["id"])
        except ValueError:
            problems.append("%s:%d: not a JSON line: %r" % (jsonl, n, line[:60]))
    want(jsonl, ids, digest)

    feed = os.path.join(work, "out", digest + ".xml")
    guids = [g.text for g in ET.parse(feed).getroot().iter("guid")]
    want(feed, [ID.search(g).group(1) for g in guids], digest)

    seen = []
    for page in sorted(glob.glob(os.path.join(work, "out", digest + ".md.*"))):
        on_page = re.findall(r"\*\*ArXiv ID\*\*: (\d{4}\.\d{5})", open(page, encoding="utf-8").read())
        if len(on_page) != len(set(on_page)):
            problems.append("%s: a paper twice on the page" % page)
        seen += on_page
    missing = set(expected[digest]) - set(seen)
    if missing:
        problems.append("markdown %s: never shown: %s" % (digest, sorted(missing)))

    by_id = collections.defaultdict(list)
    for env in glob.glob(os.path.join(work, "mail", "*.json")):
        if digest + "@" not in json.load(open(env))["rcpt_tos"][0]:
            continue
        msg = email.message_from_binary_file(open(env[:-5] + ".eml", "rb"))
        text = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
        papers = sorted(set(ID.findall(text.get_payload(decode=True).decode("utf-8"))))
        by_id[msg["Message-ID"]].append(papers)
    mailed = []
    for mid, copies in by_id.items():
        if any(c != copies[0] for c in copies):
            problems.append("e-mail %s: sent with different papers: %s" % (mid, copies))
        mailed += copies[0]
    want("e-mail to %s (by Message-ID)" % digest, mailed, digest)

leftovers = [f for f in os.listdir(os.path.join(work, "out")) if ".tmp." in f]
if leftovers:
    problems.append("temporary files left: %s" % leftovers)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
