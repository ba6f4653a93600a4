#!/usr/bin/env python3
"""Chat services for paperwire's tests, on 127.0.0.1: each checks a
message's shape and limits the way the service documents them and answers
with the service's own success and failure bodies.  Every message it takes
(or refuses) is appended to --log as one JSON line: service, path, query,
body, status, accepted, time.  Exits by itself after --lifetime seconds.

  POST /slack/HOOK          blocks (<= 50 sections of <= 3,000 characters) and a
                            text fallback: 200 "ok"; HOOK "bad": 400 invalid_payload
  POST /discord/HOOK        ?wait=true, <= 10 embeds (title <= 256, description
                            <= 4,096, 6,000 characters in all), content <= 2,000,
                            allowed_mentions.parse empty: 200 with the message;
                            HOOK "busy": 429 {"retry_after": 0.5} for half a second
                            from the first message
  POST /telegram/botTOKEN/sendMessage
                            text <= 4,096 characters of well-formed HTML, parse_mode
                            HTML, link previews off, 1 message a second per chat
                            (faster: 429 with parameters.retry_after); TOKEN
                            "busy:..." answers 429 for a second from the first
 POST /telegram/botTOKEN/getUpdates, answerCallbackQuery
                            the presses queued by POST /press {"data": ...} from
                            the offset on (an offset confirms the updates before it)
  POST /feishu/HOOK         a post; body <= 20 KB (else code 9499); HOOK "signed"
                            checks timestamp and sign against the secret "s3cret"
                            (else code 19021): {"code": 0}
  POST /dingtalk/send       ?access_token=; markdown title and text; with
                            timestamp and sign, checked against "s3cret" (else
                            errcode 310000); 20 a minute
  POST /wecom/send          ?key=; markdown content <= 4,096 bytes (else 40058);
                            KEY "busy": the first gets errcode 45009; KEY
                            "second": the second message gets errcode 45009
  POST /hook/CODE           any JSON body, answered with CODE
"""
import argparse
import base64
import hashlib
import hmac
import json
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qs

import fake_http

SECRET = "s3cret"
LOCK = threading.Lock()
SEEN = {}  # key -> count of messages
LAST = {}  # key -> time of the last accepted message
UPDATES = []  # Telegram updates (button presses) the test queued
UPDATES_CONFIRMED = []


class TagCheck(HTMLParser):
    """Telegram's HTML: only its tags, balanced."""
    ALLOWED = {"b", "i", "a", "u", "s", "code", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.bad = [], None

    def handle_starttag(self, tag, attrs):
        if tag not in self.ALLOWED:
            self.bad = "tag <%s> is not supported" % tag
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad = "unbalanced </%s>" % tag


def chars(s):
    return len(s)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, accepted, service, payload, ctype="application/json"):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        u = urlsplit(self.path)
        with LOCK, open(self.server.log, "a") as f:
            f.write(json.dumps({"service": service, "path": u.path, "query": u.query, "body": payload,
                                "status": status, "accepted": accepted, "time": time.time()}) + "\n")

    def limited(self, key, seconds):
        """The first message under key starts a wait of seconds; every
        message before it ends is refused, as a service's rate limit is."""
        now = time.time()
        with LOCK:
            started = LAST.setdefault("limit-" + key, now)
        return now - started < seconds

    def count(self, key):
        with LOCK:
            SEEN[key] = SEEN.get(key, 0) + 1
            return SEEN[key]

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        parts = [p for p in u.path.split("/") if p]
        try:
            body = json.loads(raw)
        except ValueError:
            return self.reply(400, "not JSON", False, parts[0] if parts else "?", raw.decode("utf-8", "replace"),
                              "text/plain")
        service = parts[0] if parts else "?"
        handler = getattr(self, "on_" + service, None)
        if not handler:
            return self.reply(404, "no such service", False, service, body, "text/plain")
        return handler(parts, q, body, len(raw))

    def on_slack(self, parts, q, body, size):
        blocks = body.get("blocks")
        ok = (isinstance(body.get("text"), str) and isinstance(blocks, list) and 0 < len(blocks) <= 50 and
              all(b.get("type") == "section" and b["text"]["type"] == "mrkdwn" and chars(b["text"]["text"]) <= 3000
                  for b in blocks))
        if parts[1:] == ["bad"] or not ok:
            return self.reply(400, "invalid_payload", False, "slack", body, "text/plain")
        return self.reply(200, "ok", True, "slack", body, "text/plain")

    def on_discord(self, parts, q, body, size):
        embeds = body.get("embeds", [])
        total = sum(chars(e.get("title", "")) + chars(e.get("description", "")) +
                    chars(e.get("footer", {}).get("text", "")) for e in embeds)
        ok = (q.get("wait") == "true" and len(embeds) <= 10 and total <= 6000 and
              chars(body.get("content", "")) <= 2000 and body.get("allowed_mentions") == {"parse": []} and
              all(chars(e.get("title", "")) <= 256 and chars(e.get("description", "")) <= 4096 for e in embeds))
        if not ok:
            return self.reply(400, {"code": 50035, "message": "Invalid Form Body"}, False, "discord", body)
        if parts[1:] == ["busy"] and self.limited("discord-busy", 0.5):
            return self.reply(429, {"message": "You are being rate limited.", "retry_after": 0.5, "global": False},
                              False, "discord", body)
        return self.reply(200, {"id": "1", "type": 0, "content": body.get("content", "")}, True, "discord", body)

    def on_press(self, parts, q, body, size):
        """The test's hand on a button: queues a callback_query update."""
        with LOCK:
            UPDATES.append({"update_id": 1000 + len(UPDATES),
                            "callback_query": {"id": "q%d" % len(UPDATES), "data": body["data"],
                                               "message": {"message_id": 1, "chat": {"id": body.get("chat_id", 7)}}}})
        return self.reply(200, {"ok": True}, True, "press", body)

    def on_telegram(self, parts, q, body, size):
        token = parts[1][3:] if len(parts) > 2 and parts[1].startswith("bot") else ""
        if token and parts[2:] == ["getUpdates"]:
            offset = int(body.get("offset", 0))
            with LOCK:
                del UPDATES_CONFIRMED[:]
                UPDATES_CONFIRMED.extend(u["update_id"] for u in UPDATES if u["update_id"] < offset)
                result = [u for u in UPDATES if u["update_id"] >= offset]
            return self.reply(200, {"ok": True, "result": result}, True, "telegram-updates", body)
        if token and parts[2:] == ["answerCallbackQuery"]:
            ok = isinstance(body.get("callback_query_id"), str)
            return self.reply(200 if ok else 400, {"ok": ok, "result": ok}, ok, "telegram-answer", body)
        markup = body.get("reply_markup")
        if markup is not None:
            datas = [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
            if not datas or any(len(d.encode()) > 64 for d in datas):
                return self.reply(400, {"ok": False, "error_code": 400, "description": "Bad Request: BUTTON_DATA_INVALID"},
                                  False, "telegram", body)
        if not token or parts[2:] != ["sendMessage"]:
            return self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"}, False, "telegram",
                              body)
        check = TagCheck()
        text = body.get("text", "")
        check.feed(text)
        check.close()
        if (chars(text) > 4096 or body.get("parse_mode") != "HTML" or check.bad or check.stack or
                body.get("link_preview_options", {}).get("is_disabled") is not True or not body.get("chat_id")):
            why = check.bad or ("unclosed <%s>" % check.stack[-1] if check.stack else "bad request")
            return self.reply(400, {"ok": False, "error_code": 400,
                                    "description": "Bad Request: can't parse entities: " + why}, False, "telegram",
                              body)
        key = "telegram-" + str(body["chat_id"])
        now = time.time()
        with LOCK:
            too_fast = now - LAST.get(key, 0) < 0.95
        if (token.startswith("busy") and self.limited("telegram-busy", 1)) or too_fast:
            return self.reply(429, {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                    "parameters": {"retry_after": 1}}, False, "telegram", body)
        with LOCK:
            LAST[key] = now
        return self.reply(200, {"ok": True, "result": {"message_id": self.count(key)}}, True, "telegram", body)

    def on_feishu(self, parts, q, body, size):
        if size > 20 * 1024:
            return self.reply(200, {"code": 9499, "msg": "Bad Request", "data": {}}, False, "feishu", body)
        if parts[1:] == ["signed"]:
            ts = body.get("timestamp", "")
            key = ("%s\n%s" % (ts, SECRET)).encode()
            want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if body.get("sign") != want or abs(time.time() - int(ts or 0)) > 3600:
                return self.reply(200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour "
                                        "from current time", "data": {}}, False, "feishu", body)
        post = body.get("content", {}).get("post", {}).get("zh_cn", {})
        if body.get("msg_type") != "post" or not isinstance(post.get("content"), list):
            return self.reply(200, {"code": 9499, "msg": "Bad Request", "data": {}}, False, "feishu", body)
        return self.reply(200, {"code": 0, "msg": "success", "data": {}}, True, "feishu", body)

    def on_dingtalk(self, parts, q, body, size):
        if "timestamp" in q or "sign" in q:
            s = "%s\n%s" % (q.get("timestamp", ""), SECRET)
            want = base64.b64encode(hmac.new(SECRET.encode(), s.encode(), hashlib.sha256).digest()).decode()
            if q.get("sign") != want:
                return self.reply(200, {"errcode": 310000, "errmsg": "sign not match"}, False, "dingtalk", body)
        md = body.get("markdown", {})
        if body.get("msgtype") != "markdown" or not md.get("title") or not md.get("text"):
            return self.reply(200, {"errcode": 40035, "errmsg": "missing parameter"}, False, "dingtalk", body)
        key = "dingtalk-" + q.get("access_token", "")
        now = time.time()
        with LOCK:
            too_fast = now - LAST.get(key, 0) < 2.9
            if not too_fast:
                LAST[key] = now
        if too_fast:
            return self.reply(200, {"errcode": 660026, "errmsg": "send too fast, exceed 20 times per minute"},
                              False, "dingtalk", body)
        return self.reply(200, {"errcode": 0, "errmsg": "ok"}, True, "dingtalk", body)

    def on_wecom(self, parts, q, body, size):
        content = body.get("markdown", {}).get("content", "")
        if body.get("msgtype") != "markdown" or len(content.encode()) > 4096:
            return self.reply(200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}, False,
                              "wecom", body)
        key = q.get("key", "")
        n = self.count("wecom-" + key)
        if key == "busy" and n == 1:
            return self.reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"}, False, "wecom", body)
        if key == "second" and n == 2:
            return self.reply(200, {"errcode": 45009, "errmsg": "api freq out of limit"}, False, "wecom", body)
        return self.reply(200, {"errcode": 0, "errmsg": "ok"}, True, "wecom", body)

    def on_hook(self, parts, q, body, size):
        code = int(parts[1]) if len(parts) > 1 else 200
        return self.reply(code, {"received": True}, 200 <= code < 300, "hook", body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    args = ap.parse_args()
    fake_http.serve(Handler, args.port_file, args.lifetime, log=args.log)

if __name__ == "__main__":
    main()
