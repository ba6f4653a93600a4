#!/usr/bin/env python3
"""Writes the full texts the llm enricher's fulltext tests read (ours, made
up), into DIR: an arXiv HTML rendering in LaTeXML's shape (sections, math
with alttext, a figure, a table, footnotes, a bibliography) for 2211.17192v2;
a PDF with sections and references, built here byte by byte (PDF 1.4, one
font, xref offsets computed), for 2302.01318v1; a "PDF" that is an HTML
error page for 2401.10774v3; and the routes for fake_server.py.
Usage: make_paper_files.py DIR"""
import json
import os
import sys

d = sys.argv[1]
os.makedirs(d, exist_ok=True)

SECTIONS = [
    ("1 Introduction", "Autoregressive decoding is slow: each token needs a full forward pass of the large "
                       "model. INTRO-MARKER We propose to draft several tokens with a small model."),
    ("2 Method", "The draft model proposes gamma tokens; the target model scores them in one pass and keeps "
                 "a prefix. METHOD-MARKER The acceptance rule preserves the output distribution."),
    ("3 Results", "On T5-XXL decoding is two to three times faster with identical outputs. RESULTS-MARKER "
                  "The speed-up grows with the draft model's acceptance rate."),
    ("4 Limitations", "A poor draft model wastes compute on rejected tokens. LIMITS-MARKER "
                      "Memory for two models is needed."),
]

html = ['<!DOCTYPE html><html lang="en"><head><title>Fast Inference</title>',
        '<script>var x = "SCRIPT-LEAK";</script><style>.x{}</style></head><body>',
        '<nav class="ltx_page_navbar">NAV-LEAK</nav>',
        '<div class="ltx_page_main"><article class="ltx_document ltx_authors_1line">',
        '<h1 class="ltx_title ltx_title_document">Fast Inference from Transformers via Speculative Decoding</h1>',
        '<div class="ltx_authors"><span class="ltx_creator">AUTHOR-LEAK Yaniv Leviathan</span></div>',
        '<div class="ltx_abstract"><h6 class="ltx_title">Abstract</h6><p class="ltx_p">We speed up decoding.</p></div>']
for i, (title, text) in enumerate(SECTIONS, 1):
    html.append('<section class="ltx_section" id="S%d"><h2 class="ltx_title ltx_title_section">'
                '<span class="ltx_tag ltx_tag_section">%d </span>%s</h2>' % (i, i, title.split(" ", 1)[1]))
    html.append('<div class="ltx_para"><p class="ltx_p">%s' % text)
    if i == 2:
        html.append(' With acceptance <math alttext="\\alpha=\\mathbb{E}[\\beta]" class="ltx_Math">'
                    '<semantics><mi>alpha</mi></semantics></math> per token.'
                    '<span class="ltx_note ltx_role_footnote"><span class="ltx_note_outer">FOOTNOTE-LEAK</span></span>')
    html.append('</p></div>')
    if i == 2:
        html.append('<figure class="ltx_figure"><img src="x1.png"/><figcaption>Figure 1: FIGURE-LEAK</figcaption></figure>')
        html.append('<figure class="ltx_table"><table><tr><td>TABLE-LEAK</td></tr></table></figure>')
    html.append('</section>')
html.append('<section class="ltx_bibliography" id="bib"><h2 class="ltx_title">References</h2><ul>'
            '<li class="ltx_bibitem">[1] REFERENCE-LEAK A. Author. A paper. 2020.</li></ul></section>')
html.append('</article></div><footer class="ltx_page_footer">FOOTER-LEAK</footer></body></html>')
open(os.path.join(d, "2211.17192v2.html"), "w").write("\n".join(html))


def pdf(lines):
    esc = lambda s: s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 10 Tf 40 780 Td 13 TL\n" + "".join("(%s) '\n" % esc(l) for l in lines) + "ET"
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
            "/Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, o.encode("latin-1"))
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


lines = ["Accelerating Large Language Model Decoding with Speculative Sampling", ""]
for title, text in [("1 Introduction", "Sampling from large models is slow. PDF-INTRO-MARKER A draft model helps."),
                    ("2 Speculative sampling", "Draft K tokens, then accept or reject each. PDF-METHOD-MARKER"),
                    ("3 Experiments", "Chinchilla 70B decodes twice as fast. PDF-RESULTS-MARKER"
                                      " The quality of samples is unchanged.")]:
    lines += [title, text, ""]
lines += ["References", "[1] PDF-REFERENCE-LEAK B. Author. Another paper. 2021."]
open(os.path.join(d, "2302.01318v1.pdf"), "wb").write(pdf(lines))
open(os.path.join(d, "2401.10774v3.pdf"), "w").write("<html><body>Rate exceeded.</body></html>")

json.dump([["GET", "/html/2211.17192v2", "", "2211.17192v2.html", 200],
           ["GET", "/pdf/2302.01318v1", "", "2302.01318v1.pdf", 200],
           ["GET", "/pdf/2401.10774v3", "", "2401.10774v3.pdf", 200]],
          open(os.path.join(d, "routes.json"), "w"))
