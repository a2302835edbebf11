#!/bin/sh
# The console is killed (SIGKILL) while a destructive push runs; the
# resumed console finds it still running and the operator stops it (the
# cancel key). Its pane then says what was done and what is known: who
# stopped it and with which signal, and what its keeper recorded (killed
# by SIGTERM at T), never that its exit status is unknown; the outcome
# stays unknown (stopped while it ran, it may have acted).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
dir=$(dirname "$0")
echo "pushing $1"
echo $$ >>"$dir/push.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
stop_stubs() {
	status=$?
	touch "$SCREEN_TMP/release"
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_stubs; _screen_cleanup' EXIT

start_app -x 260 -y 34 run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
keys '>' '>' '>'
keys Enter
type_text 'push 1.2.3'
keys Enter
wait_for 'test -s "$SCREEN_TMP/push.pids"'
wait_text 'pushing 1\.2\.3'
rpid=$(app_pid) || fail "cannot find rewind's pid"
kill -KILL "$rpid"
wait_for 'test ! -e "/proc/$rpid"'

start_app -x 260 -y 34 run "$SESSION_DIR" --operator sam
wait_text 'still running from the previous console'
n=0
until screen_text | grep -q 'press .* to stop it'; do
	[ "$n" -lt 6 ] || fail "no stop hint on e.push's pane"
	keys Up
	n=$((n + 1))
done
key=$(screen_text | sed -n 's/.*or press \([^ ]*\) to stop it.*/\1/p' | head -n 1)
[ -n "$key" ] || fail "no stop key named"
keys "$key"
wait_for 'test "$(journal_count step.orphan_ended)" = 1' 10
wait_text 'Its run: stopped by sam \(SIGTERM sent at [0-9:]+ UTC\); its keeper recorded: killed by SIGTERM at [0-9:]+ UTC'
refute_text 'exit status is unknown'
assert_text 'Last run: interrupted .* outcome unknown'
pass "a stopped orphan's pane says who stopped it, with which signal, and what its keeper recorded"
