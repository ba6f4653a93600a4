#!/usr/bin/env python3
"""Fails when an HTML document holds active content: a script, style,
iframe, object, embed, form, image, svg or base element, an event handler
attribute (on...), or a link or source that is not http(s) (or a mailto:
link, which GitHub's renderer makes of any e-mail address in text by
itself, and which runs nothing).  Also fails
when a MARKER is missing from its text (every paper must still be there,
readable).  Usage: check_inert_html.py FILE [MARKER...]  (FILE "-": stdin)"""
import html.parser
import sys

ACTIVE = {"script", "style", "iframe", "object", "embed", "form", "img", "svg", "math", "base", "link", "meta"}
# The email's own layout has a <meta charset>; nothing from a paper may add one.
ALLOWED_META = {"charset"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.text = [], []

    def handle_starttag(self, tag, attrs):
        names = {k for k, _ in attrs}
        if tag in ACTIVE and not (tag == "meta" and names <= ALLOWED_META):
            self.problems.append("active element <%s %s>" % (tag, attrs))
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append("event handler %s=%r on <%s>" % (k, v, tag))
            if k in ("href", "src", "action", "formaction", "xlink:href") and v is not None:
                scheme_ok = ("http://", "https://") + (("mailto:",) if k == "href" and tag == "a" else ())
                if not v.strip().lower().startswith(scheme_ok):
                    self.problems.append("%s=%r on <%s>" % (k, v, tag))

    def handle_data(self, data):
        self.text.append(data)


path = sys.argv[1]
doc = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
c = Checker()
c.feed(doc)
text = " ".join(c.text)
for m in sys.argv[2:]:
    if m not in text:
        c.problems.append("missing from the text: %r" % m)
for p in c.problems:
    print(p)
sys.exit(1 if c.problems else 0)
