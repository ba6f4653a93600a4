#!/bin/sh
# The chat sink in the real binary against local stand-ins of Slack,
# Discord, Telegram, Feishu, DingTalk, WeCom and a plain webhook
# (fake_chat.py), each checking shapes and limits as its service documents
# them: splitting at the limits, the dialects' escaping of a hostile
# title, signatures (checked by the server with Python's hmac), Retry-After
# and the services' rate limits, success read from the answer, and the
# ledger: a message refused stops the delivery, which the next run resumes
# at that message.  Prints "integration: N passed, M failed".
. "$PW_SRCDIR/tests/integration/lib.sh"
SAMPLE="file://$PW_SRCDIR/scripts/examples/demo/arxiv-sample.atom"
clog="$work/chat-messages.jsonl"
"$PY" "$PW_SRCDIR/tests/integration/fake_chat.py" --port-file "$work/cport" --log "$clog" --lifetime 600 &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$work/cport" ] && break; sleep 0.1; done
CBASE="http://127.0.0.1:$(cat "$work/cport")"
"$PY" "$PW_SRCDIR/tests/integration/make_hostile_feed.py" "$work/hostile.rss"

# chat_case NAME SINK-OPTIONS [SOURCE]: a digest of the demo sample's 12
# papers (or the hostile feed) into one chat sink
chat_case() {
	dir="$work/$1"
	mkdir -p "$dir"
	src=${3:-"{\"plugin\": \"arxiv\", \"name\": \"src\", \"query\": \"x\", \"base_url\": \"$SAMPLE\", \"max_results\": 50}"}
	cat > "$dir/pw.json" <<JSON
{
  "store": "$dir/pw.db",
  "http": {"retries": 1, "backoff": 0.2, "timeout": 5},
  "sources": [$src],
  "digests": [{"name": "daily",
     "scorers": [{"plugin": "keyword", "keywords": {"decoding": 2, "attention": 1}}],
     "select": {"min_score": 0},
     "sinks": [{"plugin": "chat", "name": "chat", $2}]}]
}
JSON
}
# messages SERVICE [accepted|refused]: the bodies the server got, one JSON a line
messages() { "$PY" -c "
import json, sys
want = sys.argv[2] if len(sys.argv) > 2 else 'accepted'
for l in open(sys.argv[1]):
    m = json.loads(l)
    if m['service'] == sys.argv[3] and (want == 'all' or m['accepted'] == (want == 'accepted')):
        print(json.dumps(m))
" "$clog" "${2:-accepted}" "$1"; }
nmessages() { messages "$@" | grep -c . || true; }
ledger_delivered() { "$PY" -c "
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM ledger WHERE delivered_at IS NOT NULL').fetchone()[0])" "$dir/pw.db"; }

# --- Slack: one message of 13 sections; the URL is a secret
chat_case slack "\"service\": \"slack\", \"webhook\": \"$CBASE/slack/T000/B000/XXXXsecretXXXX\""
run
check "slack: 12 papers in one message (a header and 12 mrkdwn sections, a text fallback), judged by its 'ok'" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages slack)" = 1 ] && messages slack | "$PY" -c "
import json, sys
m = json.loads(sys.stdin.readline())[\"body\"]
assert len(m[\"blocks\"]) == 13 and m[\"text\"].startswith(\"paperwire: 12 new papers for daily\"), m[\"text\"]
assert \"<https://arxiv.org/abs/\" in m[\"blocks\"][1][\"text\"][\"text\"]
" && grep -q "sent 12 papers in 1 message to slack" "$dir/err"'
check "slack: the webhook URL (its token) is in no log and not in the store" \
	'! grep -q "XXXXsecretXXXX" "$dir/err" "$dir/out" "$dir"/pw.db*'

chat_case slackpaper "\"service\": \"slack\", \"webhook\": \"$CBASE/slack/T000/B000/per\", \"mode\": \"paper\", \"interval\": 0.05"
: > "$clog"
run
check "slack, mode paper: a message per paper" '[ "$(rc)" = 0 ] && [ "$(nmessages slack)" = 12 ]'

# --- a refused message: the delivery stays, and the next run sends it
chat_case slackbad "\"service\": \"slack\", \"webhook\": \"$CBASE/slack/bad\""
: > "$clog"
run
check "slack: invalid_payload is a failure (exit 1), read from the body; nothing is marked delivered" \
	'[ "$(rc)" = 1 ] && grep -q "message 1 of 1: slack did not take it: HTTP 400, invalid_payload" "$dir/err" && [ "$(ledger_delivered)" = 0 ]'
sed -i "s|$CBASE/slack/bad|$CBASE/slack/fixed|" "$dir/pw.json"
: > "$clog"
run
check "... the next run (the hook mended) sends that delivery: 12 papers delivered once" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages slack)" = 1 ] && [ "$(ledger_delivered)" = 12 ]'

# --- Discord: embeds, 10 a message; a 429 with retry_after in the body
chat_case discord "\"service\": \"discord\", \"webhook\": \"$CBASE/discord/busy\""
: > "$clog"
run
check "discord: 12 papers as embeds in 2 messages (10 + 2, ?wait=true), no mention allowed; its 429 retry_after waited out" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages discord)" = 2 ] && [ "$(nmessages discord refused)" -ge 1 ] &&
	 grep -q "discord asks to wait 0.5 s" "$dir/err" && messages discord all | "$PY" -c "
import json, sys
rs = [json.loads(l) for l in sys.stdin]
assert rs[-2][\"time\"] - rs[0][\"time\"] >= 0.5, [r[\"time\"] for r in rs]
ms = [r[\"body\"] for r in rs if r[\"accepted\"]]
assert [len(m[\"embeds\"]) for m in ms] == [10, 2], [len(m[\"embeds\"]) for m in ms]
assert all(m[\"allowed_mentions\"] == {\"parse\": []} for m in ms)
"'

# --- Telegram: HTML, 4,096 characters, a message a second, a 429
chat_case telegram "\"service\": \"telegram\", \"api\": \"$CBASE/telegram\", \"token\": \"busy:123456:ABCsecretDEF\", \"chat_id\": \"-100123\", \"abstract_chars\": 1000"
: > "$clog"
run
check "telegram: split at 4,096 characters of well-formed HTML, spaced a second apart, the 429's retry_after honoured" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages telegram)" -ge 2 ] && [ "$(nmessages telegram refused)" -ge 1 ] &&
	 grep -q "telegram asks to wait 1.0 s" "$dir/err" && messages telegram | "$PY" -c "
import json, sys
ms = [json.loads(l) for l in sys.stdin]
assert all(len(m[\"body\"][\"text\"]) <= 4096 for m in ms)
assert all(b[\"time\"] - a[\"time\"] >= 0.95 for a, b in zip(ms, ms[1:]))
assert sum(m[\"body\"][\"text\"].count(\"<a href=\") for m in ms) == 12
" && ! grep -q "ABCsecretDEF" "$dir/err"'

# --- Telegram's buttons: a message per paper with 👍 / 👎; the presses
# become ratings of the digest on the next run, before it weighs
chat_case buttons "\"service\": \"telegram\", \"api\": \"$CBASE/telegram\", \"token\": \"9:k\", \"chat_id\": \"42\", \"buttons\": true"
: > "$clog"
run
check "telegram buttons: a message per paper, each with 👍 and 👎 whose callback data (<= 64 bytes) names the paper" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages telegram)" = 12 ] && messages telegram | "$PY" -c "
import json, sys
ms = [json.loads(l)[\"body\"] for l in sys.stdin]
datas = [b[\"callback_data\"] for m in ms for b in m[\"reply_markup\"][\"inline_keyboard\"][0]]
assert len(datas) == 24 and \"pw +1 2211.17192\" in datas and \"pw -1 2211.17192\" in datas, datas[:4]
"'
press() { curl -s -X POST -H "Content-Type: application/json" -d "{\"data\": \"$1\", \"chat_id\": 42}" "$CBASE/press/x" >/dev/null; }
press "pw +1 2401.10774"
press "pw -1 2210.17323"
press "something else"
: > "$clog"
run
(cd "$dir" && "$BIN" ratings -c pw.json > "$dir/ratings" 2>&1)
check "... the next run reads the presses (getUpdates), answers each, and records them as the digest's ratings" \
	'[ "$(rc)" = 0 ] && grep -q "chat: 2 ratings from Telegram.s buttons (1 like, 1 dislike)" "$dir/err" &&
	 grep -q "^like  *2401.10774" "$dir/ratings" && grep -q "^dislike  *2210.17323" "$dir/ratings" &&
	 [ "$(nmessages telegram-answer)" = 3 ]'
: > "$clog"
run
check "... and a later run does not read them again (the offset is kept in the store)" \
	'[ "$(rc)" = 0 ] && ! grep -q "ratings from Telegram" "$dir/err" && messages telegram-updates | grep -q "\"offset\": 1003"'

# --- Feishu: signed; a wrong secret is refused with 19021
chat_case feishu "\"service\": \"feishu\", \"webhook\": \"$CBASE/feishu/signed\", \"secret\": \"s3cret\""
: > "$clog"
run
check "feishu: a post whose signature the server checks (HMAC-SHA256 of timestamp and secret, in Python)" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages feishu)" = 1 ]'
chat_case feishubad "\"service\": \"feishu\", \"webhook\": \"$CBASE/feishu/signed\", \"secret\": \"wrong\""
run
check "feishu: a wrong secret gets code 19021, said, exit 1" \
	'[ "$(rc)" = 1 ] && grep -q "feishu did not take it: HTTP 200, code 19021: sign match fail" "$dir/err"'

# --- DingTalk: signed in the URL
chat_case dingtalk "\"service\": \"dingtalk\", \"webhook\": \"$CBASE/dingtalk/send?access_token=tok\", \"secret\": \"s3cret\""
: > "$clog"
run
check "dingtalk: Markdown, signed with timestamp and sign in the URL, checked by the server" \
	'[ "$(rc)" = 0 ] && [ "$(nmessages dingtalk)" = 1 ] && messages dingtalk | grep -q "sign="'

chat_case dingtalkbad "\"service\": \"dingtalk\", \"webhook\": \"$CBASE/dingtalk/send?access_token=tok2\", \"secret\": \"wrong\""
run
check "dingtalk: a wrong secret gets errcode 310000, said, exit 1" \
	'[ "$(rc)" = 1 ] && grep -q "dingtalk did not take it: HTTP 200, code 310000: sign not match" "$dir/err"'

# --- WeCom: 4,096 bytes; a refusal mid-digest is resumed at that message
chat_case wecom "\"service\": \"wecom\", \"webhook\": \"$CBASE/wecom/send?key=second\", \"abstract_chars\": 600, \"interval\": 0.1"
: > "$clog"
run
first=$(nmessages wecom)
check "wecom: split at 4,096 bytes; the second message refused (errcode 45009): exit 1, the first stays sent" \
	'[ "$(rc)" = 1 ] && [ "$first" = 1 ] && grep -q "message 2 of [2-9]: wecom did not take it: HTTP 200, code 45009" "$dir/err" && [ "$(ledger_delivered)" = 0 ]'
run
check "... the next run resumes at message 2: every message arrived once, all 12 papers delivered" \
	'[ "$(rc)" = 0 ] && grep -q "resuming at message 2 of" "$dir/err" && messages wecom | "$PY" -c "
import json, sys
ms = [json.loads(l)[\"body\"][\"markdown\"][\"content\"] for l in sys.stdin]
assert all(len(m.encode()) <= 4096 for m in ms)
heads = [m.split(chr(10))[0] for m in ms]
assert len(heads) == len(set(heads)) and len(ms) >= 2, heads
assert sum(m.count(\"](https://arxiv.org/abs/\") for m in ms) == 12
" && [ "$(ledger_delivered)" = 12 ]'

# --- killed: after "message 2" was recorded, before it went out; and after
# every message went out, before the ledger knew
heads() { messages wecom | "$PY" -c "
import json, sys
print(' '.join(json.loads(l)['body']['markdown']['content'].split(chr(10))[0][-5:] for l in sys.stdin))"; }
for point in effect-begun:2 effect-done:1; do
	chat_case "kill-${point%:*}" "\"service\": \"wecom\", \"webhook\": \"$CBASE/wecom/send?key=k${point%:*}\", \"abstract_chars\": 600, \"interval\": 0"
	: > "$clog"
	( (cd "$dir" && PAPERWIRE_CRASH_AT=$point exec "$BIN" run -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc" ) 2>/dev/null
	killed=$(rc)
	run
	# what was sent, the exit status of the killed run and of the next, and the papers delivered
	echo "$(heads); $killed $(rc) $(ledger_delivered)" > "$dir/summary"
done
check "killed after message 2 was recorded, before it went out: the next run sends it; each message arrived once, 12 papers delivered" \
	'[ "$(cat "$work/kill-effect-begun/summary")" = "(1/2) (2/2); 137 0 12" ] || { cat "$work/kill-effect-begun/summary" >&2; false; }'
check "killed after the last message went out, before the ledger knew: only that message is sent again, as the README says" \
	'[ "$(cat "$work/kill-effect-done/summary")" = "(1/2) (2/2) (2/2); 137 0 12" ] &&
	 grep -q "resuming at message 2 of 2" "$work/kill-effect-done/err" || { cat "$work/kill-effect-done/summary" >&2; false; }'

# --- any webhook
chat_case hook "\"service\": \"webhook\", \"webhook\": \"$CBASE/hook/202\""
: > "$clog"
run
check "webhook: the papers as JSON, any 2xx is delivered" \
	'[ "$(rc)" = 0 ] && messages hook | "$PY" -c "
import json, sys
m = json.loads(sys.stdin.readline())[\"body\"]
assert len(m[\"papers\"]) == 12 and m[\"papers\"][0][\"title\"] and m[\"text\"].startswith(\"paperwire:\")
"'

chat_case template "\"service\": \"webhook\", \"webhook\": \"$CBASE/hook/200\", \"max_bytes\": 3000, \"template\": \"{\\\"summary\\\": \\\"{{count}} for {{digest}}\\\", \\\"items\\\": \\\"{{papers}}\\\"}\""
: > "$clog"
run
check "webhook: the body from a template ({{count}}, {{digest}}, {{papers}}), split at max_bytes" \
	'[ "$(rc)" = 0 ] && messages hook | "$PY" -c "
import json, sys
ms = [json.loads(l)[\"body\"] for l in sys.stdin]
assert len(ms) >= 2 and all(m[\"summary\"] == \"12 for daily\" for m in ms), ms[0]
assert sum(len(m[\"items\"]) for m in ms) == 12 and all(len(json.dumps(m).encode()) <= 3000 for m in ms)
assert set(ms[0]) == {\"summary\", \"items\"} and ms[0][\"items\"][0][\"id\"]
"'
chat_case templatebad "\"service\": \"webhook\", \"webhook\": \"$CBASE/hook/200\", \"template\": \"{not json\""
(cd "$dir" && "$BIN" check -c pw.json >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"
check "webhook: a template that is not JSON is a config error" \
	'[ "$(rc)" = 2 ] && grep -q "template: not a JSON object or array" "$dir/err"'

# --- what enrichers added travels with each paper, under its display name
chat_case enriched "\"service\": \"slack\", \"webhook\": \"$CBASE/slack/enriched\""
sed -i "s|\"select\": {\"min_score\": 0},|\"select\": {\"min_score\": 0}, \"enrichers\": [{\"plugin\": \"llm\", \"task\": \"summary\", \"endpoint\": \"$BASE/llm/chat/ok/v1\", \"model\": \"m\"}, {\"plugin\": \"llm\", \"name\": \"french\", \"task\": \"translate\", \"language\": \"French\", \"endpoint\": \"$BASE/llm/chat/ok/v1\", \"model\": \"m\"}],|" "$dir/pw.json"
: > "$clog"
run
check "enrichers' fields reach the chat under their display names (summary, translation)" \
	'[ "$(rc)" = 0 ] && messages slack | "$PY" -c "
import json, sys
m = json.loads(sys.stdin.readline())[\"body\"]
t = m[\"blocks\"][1][\"text\"][\"text\"]
assert \"AI Summary (by m): TL;DR:\" in t and \"Title (French): [French]\" in t, t
"'

# --- a hostile title reaches every service harmless
hostile="{\"plugin\": \"feed\", \"name\": \"src\", \"url\": \"file://$work/hostile.rss\"}"
for svc in slack discord telegram wecom dingtalk feishu webhook; do
	case $svc in
	telegram) opts="\"api\": \"$CBASE/telegram\", \"token\": \"1:x\", \"chat_id\": \"7\"" ;;
	wecom) opts="\"webhook\": \"$CBASE/wecom/send?key=h\", \"interval\": 0" ;;
	dingtalk) opts="\"webhook\": \"$CBASE/dingtalk/send?access_token=h\"" ;;
	webhook) opts="\"webhook\": \"$CBASE/hook/200\"" ;;
	*) opts="\"webhook\": \"$CBASE/$svc/h\"" ;;
	esac
	chat_case "hostile-$svc" "\"service\": \"$svc\", $opts" "$hostile"
	run
done
check "a hostile title reaches every service as text: escaped in each dialect, no link to javascript:, nobody pinged" \
	'for s in slack discord telegram wecom dingtalk feishu webhook; do [ "$(cat "$work/hostile-$s/rc")" = 0 ] || exit 1; done; "$PY" - "$clog" <<'"'"'PY'"'"'
import json, sys
seen = {}
for l in open(sys.argv[1]):
    m = json.loads(l)
    if m["accepted"] and "marker-one" in json.dumps(m["body"]):
        seen[m["service"]] = json.dumps(m["body"], ensure_ascii=False)
assert set(seen) == {"slack", "discord", "telegram", "wecom", "dingtalk", "feishu", "hook"}, set(seen)
assert "<script>" not in seen["slack"] and "&lt;script&gt;" in seen["slack"]
assert "<script>" not in seen["telegram"] and "&lt;script&gt;" in seen["telegram"]
for s in ("wecom", "dingtalk"):
    assert "<script>" not in seen[s] and "<img" not in seen[s] and "[click](javascript" not in seen[s], s
assert "\\\\*\\\\*stars\\\\*\\\\*" in seen["discord"] and "\\\\[click\\\\](javascript" in seen["discord"]
assert "\"allowed_mentions\": {\"parse\": []}" in seen["discord"]
# Feishu and the webhook carry plain strings in JSON: links only where the paper has a web URL
assert "\"href\": \"javascript" not in seen["feishu"] and "\"url\": \"javascript" not in seen["hook"]
PY'

finish
