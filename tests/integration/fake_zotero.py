#!/usr/bin/env python3
"""A Zotero Web API v3 server for paperwire's tests, answering as
https://www.zotero.org/support/dev/web_api/v3/basics documents (and as
../shared/APIS.md sums up): the library is a JSON file the test edits
between runs, read again on every request.  Binds 127.0.0.1 on a free port,
writes the port to --port-file, exits by itself after --lifetime seconds.

Library file:
  {"version": 10,                        the library's version
   "key": "KEY",                         the one key users/N accepts
   "items": [{"key", "version", "itemType", "title", "abstractNote",
              "date", "collections": [...], "parentItem"?, "deleted"?}],
   "deleted": {"KEY": version},          items deleted for good
   "backoff": N,                         a Backoff header on every answer
   "throttle": N,                        the next N requests get 429, Retry-After: 1
   "local_disabled": true}               /api/users/0 answers 403

Routes (with or without the local API's /api prefix; /users/0 needs no key,
/groups/N are public):
  GET <lib>[/collections/C]/items/top   top-level items, itemType filter
      ("a || b", "-a"), since, start, limit (<= 100, default 25),
      If-Modified-Since-Version -> 304; Link (first/prev/next/last),
      Total-Results and Last-Modified-Version headers
  GET <lib>/items?format=versions&since=V[&includeTrashed=1]
  GET <lib>/deleted?since=V             (since required, as the API says)
A request without Zotero-API-Version: 3 gets 400.  Every request is
appended to --request-log as one JSON line (path, query, the headers that
matter, the status answered)."""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qs, urlencode

import fake_http

LOCK = threading.RLock()


def load(path):
    with open(path) as f:
        return json.load(f)


def type_matches(item_type, spec):
    if not spec:
        return True
    for alt in spec.split("||"):
        alt = alt.strip()
        if alt.startswith("-"):
            if item_type != alt[1:]:
                return True
        elif item_type == alt:
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, code, body=b"", headers=None):
        lib = self.lib
        self.send_response(code)
        body = body if isinstance(body, bytes) else body.encode()
        self.send_header("Content-Type", "application/json" if body[:1] in (b"[", b"{") else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Zotero-API-Version", "3")
        if lib.get("backoff"):
            self.send_header("Backoff", str(lib["backoff"]))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        with LOCK, open(self.server.request_log, "a") as f:
            f.write(json.dumps({
                "path": self.url.path, "query": {k: v[0] for k, v in self.query.items()},
                "version_header": self.headers.get("Zotero-API-Version"),
                "key_header": self.headers.get("Zotero-API-Key"),
                "if_modified_since_version": self.headers.get("If-Modified-Since-Version"),
                "status": code, "time": time.time()}) + "\n")

    def do_GET(self):
        self.url = urlsplit(self.path)
        self.query = parse_qs(self.url.query)
        with LOCK:
            self.lib = lib = load(self.server.library)
            if lib.get("throttle", 0) > 0:
                lib["throttle"] -= 1
                with open(self.server.library, "w") as f:
                    json.dump(lib, f)
                return self.answer(429, "Too many requests", {"Retry-After": "1"})
        parts = [p for p in self.url.path.split("/") if p]
        local = parts[:1] == ["api"]
        if local:
            parts = parts[1:]
        if self.headers.get("Zotero-API-Version") != "3":
            return self.answer(400, "Zotero-API-Version: 3 was expected")
        if len(parts) < 3 or parts[0] not in ("users", "groups"):
            return self.answer(404, "Not found")
        if local and lib.get("local_disabled"):
            return self.answer(403, "Local API is not enabled")
        private = parts[0] == "users" and not (local and parts[1] == "0")
        if private and self.headers.get("Zotero-API-Key") != lib["key"]:
            return self.answer(403, "Forbidden")
        rest = parts[2:]
        q = {k: v[0] for k, v in self.query.items()}
        since = int(q.get("since", 0))
        if rest == ["deleted"]:
            if "since" not in q:
                return self.answer(400, "'since' must be provided")
            keys = [k for k, v in lib.get("deleted", {}).items() if v > since]
            return self.answer(200, json.dumps({"collections": [], "items": keys, "searches": [],
                                                 "tags": [], "settings": []}),
                               {"Last-Modified-Version": str(lib["version"])})
        if rest == ["items"] and q.get("format") == "versions":
            trashed = q.get("includeTrashed") == "1"
            versions = {i["key"]: i["version"] for i in lib["items"]
                        if i["version"] > since and (trashed or not i.get("deleted"))}
            return self.answer(200, json.dumps(versions), {"Last-Modified-Version": str(lib["version"])})
        collection = None
        if len(rest) == 4 and rest[0] == "collections" and rest[2:] == ["items", "top"]:
            collection = rest[1]
        elif rest != ["items", "top"]:
            return self.answer(404, "Not found")
        ims = self.headers.get("If-Modified-Since-Version")
        if ims is not None and lib["version"] <= int(ims):
            return self.answer(304, b"", {"Last-Modified-Version": str(lib["version"])})
        limit = min(int(q.get("limit", 25)), 100)
        start = int(q.get("start", 0))
        chosen = [i for i in lib["items"]
                  if not i.get("parentItem") and not i.get("deleted") and i["version"] > since
                  and type_matches(i["itemType"], q.get("itemType"))
                  and (collection is None or collection in i.get("collections", []))]
        page = chosen[start:start + limit]
        base = "http://127.0.0.1:%d%s" % (self.server.server_port, self.url.path)
        links = []

        def link(rel, s):
            links.append('<%s?%s>; rel="%s"' % (base, urlencode(dict(q, start=s)), rel))
        link("first", 0)
        if start > 0:
            link("prev", max(0, start - limit))
        if start + limit < len(chosen):
            link("next", start + limit)
            link("last", (len(chosen) - 1) // limit * limit)
        body = [{"key": i["key"], "version": i["version"],
                 "library": {"type": parts[0][:-1], "id": int(parts[1])},
                 "data": {k: v for k, v in i.items() if k != "deleted"}} for i in page]
        return self.answer(200, json.dumps(body), {
            "Last-Modified-Version": str(lib["version"]), "Total-Results": str(len(chosen)),
            "Link": ", ".join(links)})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--library", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--request-log", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    args = ap.parse_args()
    fake_http.serve(Handler, args.port_file, args.lifetime, library=args.library,
                    request_log=args.request_log)

if __name__ == "__main__":
    main()
