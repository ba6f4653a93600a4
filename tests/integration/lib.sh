# lib.sh: what the integration scripts share: the local HTTP server, the
# ok/FAIL bookkeeping and a runner that keeps each case's output.
# Sourced, not run.
set -u
: "${PW_BUILDDIR:?}" "${PW_SRCDIR:?}"
BIN="$PW_BUILDDIR/paperwire"
export PAPERWIRE_PLUGIN_PATH="$PW_BUILDDIR/plugins"
unset PAPERWIRE_CONFIG
# Every statement the store prepares is explained; a full scan of a table
# that grows with the store's age is said on stderr and fails the script.
export PAPERWIRE_CHECK_PLANS=1
# Every commit hands the log to a checkpoint beside the run (a real run
# does so past 1,000 pages), so that the runs, and the kills among them,
# go with one running.
export PAPERWIRE_CHECKPOINT_PAGES=1
work=$(mktemp -d "${TMPDIR:-/tmp}/pw-integration.XXXXXX")
pass=0
fail=0

python3 "$PW_SRCDIR/tests/integration/fake_server.py" --root "$PW_SRCDIR/tests/fixtures" \
	--port-file "$work/port" --lifetime 900 &
pids=$!
# PW_KEEP_WORK=1 keeps the cases' files for a look after a failure.
trap 'kill $pids 2>/dev/null; [ -n "${PW_KEEP_WORK:-}" ] || rm -rf "$work"' EXIT INT TERM
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
PORT=$(cat "$work/port")
BASE="http://127.0.0.1:$PORT"

ok() { pass=$((pass + 1)); echo "ok   - $1"; }
not_ok() { fail=$((fail + 1)); echo "FAIL - $1"; [ -f "$dir/err" ] && sed 's/^/       | /' "$dir/err" | tail -n 15; }
check() { # description, then a shell condition
	desc=$1; shift
	if eval "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# The Python that has Debian's python3-* modules (aiosmtpd, feedparser).
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# start_smtp DIR [ARGS]: a real SMTP server saving what it receives in DIR; sets SMTP_PORT.
start_smtp() {
	d=$1
	shift
	mkdir -p "$d"
	"$PY" "$PW_SRCDIR/tests/integration/smtp_server.py" --outdir "$d" --port-file "$d.port" --lifetime 900 "$@" &
	pids="$pids $!"
	for _ in $(seq 100); do [ -s "$d.port" ] && break; sleep 0.1; done
	SMTP_PORT=$(cat "$d.port")
}

# A port on 127.0.0.1 where nothing listens.
closed_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run() { (cd "$dir" && "$BIN" run -c pw.json "$@" >"$dir/out" 2>"$dir/err"); echo $? > "$dir/rc"; }
rc() { cat "$dir/rc"; }
finish() {
	dir="$work"
	check "no query of any run scanned papers, the ledger or the weighing tables" \
		'! grep -r "store: full scan" "$work" --include="err*" -h | sort -u | head -5 | grep .'
	echo "integration: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
