#!/usr/bin/env python3
"""A local HTTP server for paperwire's tests: serves fixture files and
misbehaves on request.  Binds 127.0.0.1 on a free port, writes the port to
--port-file, and exits by itself after --lifetime seconds.

Paths:
  /fixture/NAME            a file from --root (ETag and If-None-Match honoured)
  /status/CODE             that status; ?retry_after=N adds Retry-After,
                           ?backoff=N a Backoff header (Zotero's)
  /flaky/KEY/N/CODE/NAME   the first N requests for KEY get CODE (Retry-After: 1),
                           then NAME is served
  /slow                    headers, then a body that trickles for 30 s
  /truncated               Content-Length says 4000, 100 bytes come, then close
  /big                     a 3 MiB body
  /echo-headers            the request headers as the body
  /openalex/works/doi:DOI  an OpenAlex work from openalex_works.json (ours), else 404
  /count/KEY               how many requests KEY has had
  POST /emb/KEY/MODE/v1/embeddings
                           an OpenAI-compatible embeddings endpoint: each input
                           becomes a 32-dim bag-of-words vector.  MODE ok; 429
                           (the first request of KEY gets 429, Retry-After: 1);
                           slow (answers after 30 s); bad (malformed JSON).
  /inputs/KEY              how many inputs the requests of KEY carried
  POST /llm/KEY/MODE/v1/chat/completions
                           an OpenAI-compatible chat endpoint with canned answers:
                           "TL;DR: <title>." for summaries, "[<language>] <title>" and
                           the abstract's first words for translations, the first
                           label for classification.  MODE ok, 429, slow, bad, 500.
With --routes FILE (JSON: [[METHOD, PATH, QUERY-PART, FILE, STATUS], ...]) a
request whose method and path match, and whose query contains QUERY-PART,
gets FILE from --root with STATUS: recorded API answers replayed by URL.
FILE may be absolute (our own fixtures).  An optional sixth element N makes
the first N requests of that route get 503 with Retry-After: 1; /count/I
tells how many requests route I (from 0) has had.
  /last-headers            the headers of the last request a route answered
  /redirect/PORT/REST      302 to http://127.0.0.1:PORT/REST (query kept), for any method
With --request-log FILE every request's line, headers and body are appended
to FILE, so a test can assert what never arrived here (a key).
Query strings are ignored, except as noted; the arXiv paging parameter
start=N selects NAME with ".N" inserted before the extension when such a
file exists (page1.atom -> page1.2.atom for start=2).
"""
import argparse
import hashlib
import json
import re
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qs, unquote

import fake_http

COUNTS = {}
INPUTS = {}


def bag_of_words(text):
    vec = [0.0] * 32
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        vec[int(hashlib.md5(w.encode()).hexdigest(), 16) % 32] += 1.0
    return vec
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if os.environ.get("PW_SERVER_VERBOSE"):
            sys.stderr.write("server: " + fmt % args + "\n")

    def send_body(self, code, body, ctype="application/atom+xml; charset=utf-8", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def serve_fixture(self, name, query):
        start = query.get("start", [None])[0]
        path = os.path.join(self.server.root, os.path.basename(name))
        if start not in (None, "0"):
            base, ext = os.path.splitext(path)
            paged = "%s.%s%s" % (base, start, ext)
            if os.path.exists(paged):
                path = paged
        try:
            with open(path, "rb") as f:
                body = f.read()
        except OSError:
            return self.send_body(404, b"no such fixture", "text/plain")
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_body(200, body, extra={"ETag": etag})

    def replay(self, method):
        url = urlsplit(self.path)
        for i, route in enumerate(getattr(self.server, "routes", [])):
            m, path, qpart, name, status = route[:5]
            if m == method and url.path == path and qpart in url.query:
                with LOCK:
                    COUNTS["route/%d" % i] = COUNTS.get("route/%d" % i, 0) + 1
                    busy = len(route) > 5 and COUNTS["route/%d" % i] <= route[5]
                if busy:
                    self.send_body(503, b"busy", "text/plain", {"Retry-After": "1"})
                    return True
                if method == "POST":
                    self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with LOCK:
                    self.server.last_headers = str(self.headers).encode()
                with open(os.path.join(self.server.root, name), "rb") as f:
                    body = f.read()
                ctype = "application/json" if name.endswith(".json") else "application/xml"
                self.send_body(status, body, ctype)
                return True
        return False

    def note_request(self, body=b""):
        """Appends the request to --request-log; answers /redirect/PORT/REST."""
        log = getattr(self.server, "request_log", None)
        if log:
            with LOCK, open(log, "ab") as f:
                f.write(("%s %s\n%s\n" % (self.command, self.path, self.headers)).encode() + body + b"\n\n")
        url = urlsplit(self.path)
        parts = url.path.split("/")
        if len(parts) > 3 and parts[1] == "redirect":
            target = "http://127.0.0.1:%s/%s" % (parts[2], "/".join(parts[3:]))
            if url.query:
                target += "?" + url.query
            self.send_body(302, b"", "text/plain", {"Location": target})
            return True
        return False

    def do_GET(self):
        if self.note_request():
            return
        if self.replay("GET"):
            return
        if self.path == "/last-headers":
            return self.send_body(200, getattr(self.server, "last_headers", b""), "text/plain")
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        with LOCK:
            key = "/".join(parts[:2])
            if parts[:1] not in (["count"], ["inputs"]):
                COUNTS[key] = COUNTS.get(key, 0) + 1
            seen = COUNTS.get(key, 0)
        if not parts:
            return self.send_body(404, b"", "text/plain")
        kind = parts[0]
        if kind == "fixture" and len(parts) == 2:
            return self.serve_fixture(parts[1], query)
        if kind == "status" and len(parts) == 2:
            extra = {}
            if "retry_after" in query:
                extra["Retry-After"] = query["retry_after"][0]
            if "backoff" in query:
                extra["Backoff"] = query["backoff"][0]
            return self.send_body(int(parts[1]), b"Rate exceeded.", "text/plain", extra)
        if kind == "flaky" and len(parts) == 5:
            if seen <= int(parts[2]):
                return self.send_body(int(parts[3]), b"Rate exceeded.", "text/plain", {"Retry-After": "1"})
            return self.serve_fixture(parts[4], query)
        if kind == "slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                for _ in range(300):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            return
        if kind == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", "4000")
            self.end_headers()
            self.wfile.write(b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>" + b" " * 36)
            self.wfile.flush()
            self.close_connection = True
            return
        if kind == "big":
            return self.send_body(200, b"x" * (3 * 1024 * 1024), "text/plain")
        if kind == "openalex" and parts[1:2] == ["works"]:
            # OpenAlex singletons by DOI, from our own openalex_works.json.
            doi = unquote(url.path.split("/works/", 1)[1]).lower()
            with open(os.path.join(self.server.root, "openalex_works.json")) as f:
                works = json.load(f)
            if doi.startswith("doi:") and doi[4:] in works:
                return self.send_body(200, json.dumps(works[doi[4:]]).encode(), "application/json")
            return self.send_body(404, b'{"error": "Not found", "message": "no such work"}', "application/json")
        if kind == "echo-headers":
            return self.send_body(200, str(self.headers).encode(), "text/plain")
        if kind == "inputs" and len(parts) == 2:
            with LOCK:
                n = INPUTS.get(parts[1], 0)
            return self.send_body(200, str(n).encode(), "text/plain")
        if kind == "count" and len(parts) == 2:
            with LOCK:
                n = sum(v for k, v in COUNTS.items() if k.split("/")[1:2] == [parts[1]])
            return self.send_body(200, str(n).encode(), "text/plain")
        self.send_body(404, b"unknown path", "text/plain")


    def chat(self, key, mode, body):
        with LOCK:
            COUNTS["llm/" + key] = COUNTS.get("llm/" + key, 0) + 1
            seen = COUNTS["llm/" + key]
        if mode == "429" and seen == 1:
            return self.send_body(429, b'{"error": "rate limited"}', "application/json", {"Retry-After": "1"})
        if mode == "500":
            return self.send_body(500, b'{"error": "boom"}', "application/json")
        if mode == "slow":
            time.sleep(30)
        if mode == "bad":
            return self.send_body(200, b'{"choices": [{"message": {"content": "TL;DR', "application/json")
        req = json.loads(body)
        prompt = req["messages"][-1]["content"]
        if prompt.startswith("The reader's interests:"):
            return self.judge(mode, seen, req, prompt)
        title = re.search(r"Title: (.*)", prompt).group(1)
        abstract = re.search(r"Abstract: (.*)", prompt, re.S).group(1)
        if prompt.startswith("Translate"):
            lang = re.search(r"into (.*?)\. ", prompt).group(1)
            answer = "[%s] %s\n\n[%s] %s" % (lang, title, lang, " ".join(abstract.split()[:8]))
        elif "Labels: " in prompt:
            labels = re.search(r"Labels: (.*)", prompt).group(1).split(", ")
            answer = "%s\nIt is about %s." % (labels[0], labels[0])
        elif "Problem: ..." in prompt:
            # The structured summary, in the Markdown models write.
            answer = ("**Problem**: %s is slow.\n**Method**: draft, then verify.\n"
                      "**Results**:\n- 2x faster\n- same outputs" % title)
        else:
            answer = "TL;DR: %s." % title
        out = {"choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                            "finish_reason": "stop"}],
               "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": 20,
                         "total_tokens": len(prompt) // 4 + 20}}
        self.send_body(200, json.dumps(out).encode(), "application/json")

    def judge(self, mode, seen, req, prompt):
        """The llm scorer's judge: relevance = how many of the interests'
        words (4 letters or more) a paper's title and abstract hold, at most
        10.  MODE judgebad: every answer breaks the schema; judgeonce: the
        first answer of KEY leaves a paper out.  A request without a
        json_schema response_format is refused unless MODE is plain; judgetail:
        every answer's last paper gets relevance 11 (the rest are valid)."""
        if mode != "plain" and req.get("response_format", {}).get("type") != "json_schema":
            return self.send_body(400, b'{"error": "expected response_format json_schema"}', "application/json")
        interests = prompt.split("\n", 2)[1]
        words = sorted({w for w in re.findall(r"[a-z]{4,}", interests.lower())})
        papers = []
        for block in prompt.split("\n[id: ")[1:]:
            pid = block.split("]", 1)[0]
            text = block.lower()
            hits = [w for w in words if w in text]
            papers.append({"id": pid, "relevance": min(10, 3 * len(hits)),
                           "reason": "mentions " + ", ".join(hits) if hits else "none of the interests"})
        if mode == "judgebad":
            for p in papers:
                p["relevance"] = "high"
        if mode == "judgeonce" and seen == 1:
            papers = papers[1:]
        if mode == "judgetail" and papers:
            papers[-1]["relevance"] = 11
        content = json.dumps({"papers": papers})
        out = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                            "finish_reason": "stop"}],
               "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(content) // 4,
                         "total_tokens": len(prompt) // 4 + len(content) // 4}}
        self.send_body(200, json.dumps(out).encode(), "application/json")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        if self.path.startswith("/redirect/"):
            if self.note_request(self.rfile.read(length)):
                return
        if getattr(self.server, "request_log", None):
            # Read once, logged, then handled as usual.
            body = self.rfile.read(length)
            self.note_request(body)
            self.rfile = __import__("io").BytesIO(body)
        if self.replay("POST"):
            return
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        body = self.rfile.read(length)
        if len(parts) == 6 and parts[0] == "llm" and parts[3:] == ["v1", "chat", "completions"]:
            return self.chat(parts[1], parts[2], body)
        if len(parts) != 5 or parts[0] != "emb" or parts[3:] != ["v1", "embeddings"]:
            return self.send_body(404, b"unknown path", "text/plain")
        key, mode = parts[1], parts[2]
        with LOCK:
            COUNTS["emb/" + key] = COUNTS.get("emb/" + key, 0) + 1
            seen = COUNTS["emb/" + key]
        if mode == "429" and seen == 1:
            return self.send_body(429, b'{"error": "rate limited"}', "application/json", {"Retry-After": "1"})
        if mode == "slow":
            time.sleep(30)
        if mode == "bad":
            return self.send_body(200, b'{"data": [{"embedding": [0.1, 0.2', "application/json")
        try:
            req = json.loads(body)
        except ValueError:
            return self.send_body(400, b'{"error": "bad json"}', "application/json")
        if self.headers.get("Authorization") != "Bearer sk-test":
            return self.send_body(401, b'{"error": "no key"}', "application/json")
        inputs = req.get("input", [])
        with LOCK:
            INPUTS[key] = INPUTS.get(key, 0) + len(inputs)
        data = [{"object": "embedding", "index": i, "embedding": bag_of_words(t)} for i, t in enumerate(inputs)]
        out = json.dumps({"object": "list", "data": data, "model": req.get("model")}).encode()
        self.send_body(200, out, "application/json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    ap.add_argument("--routes")
    ap.add_argument("--request-log")
    args = ap.parse_args()
    routes = []
    if args.routes:
        with open(args.routes) as f:
            routes = json.load(f)
    fake_http.serve(Handler, args.port_file, args.lifetime, root=args.root, request_log=args.request_log,
                    routes=routes)

if __name__ == "__main__":
    main()
