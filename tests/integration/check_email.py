#!/usr/bin/env python3
"""Checks a message paperwire sent, with Python's email parser: the MIME
structure, the headers, both parts, the envelope, and that a hostile title
injected neither a header nor raw HTML.  Usage: check_email.py N.eml
EXPECTED_RECIPIENTS... ; prints what failed and exits 1, else prints ok."""
import email
import email.policy
import json
import sys

path, expected = sys.argv[1], sys.argv[2:]
raw = open(path, "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
env = json.load(open(path[: -len(".eml")] + ".json"))
problems = []


def need(cond, what):
    if not cond:
        problems.append(what)


need(msg.get_content_type() == "multipart/alternative", "top type is %s" % msg.get_content_type())
parts = list(msg.iter_parts()) if msg.is_multipart() else []
need([p.get_content_type() for p in parts] == ["text/plain", "text/html"],
     "parts are %s" % [p.get_content_type() for p in parts])
for h in ("Date", "Message-ID", "From", "To", "Subject", "MIME-Version"):
    need(msg[h] is not None, "no %s header" % h)
need(msg["Bcc"] is None, "a Bcc header was injected")
need(all(k in ("Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type")
         for k in msg.keys()), "unexpected headers: %s" % msg.keys())
need(sorted(env["rcpt_tos"]) == sorted(expected), "envelope recipients %s" % env["rcpt_tos"])
need(email.utils.parsedate_to_datetime(msg["Date"]) is not None, "unparsable Date")
if len(parts) == 2:
    text = parts[0].get_content()
    html = parts[1].get_content()
    need("Thank you to arXiv" in text, "no acknowledgement in the text part")
    need("<script>" not in html, "raw <script> in the HTML part")
    need("&lt;script&gt;" in html or "script" not in text, "hostile title not escaped in HTML")
    for line in raw.split(b"\r\n"):
        need(len(line) <= 998, "a line longer than 998 octets")
print("\n".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
