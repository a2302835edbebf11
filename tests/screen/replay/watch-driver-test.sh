#!/bin/sh
# rewind watch notices when no console drives the session any more: the
# console (batch, here) is killed while a step runs; the watcher says
# "no console is driving this session since HH:MM:SS UTC", its header no
# longer says WATCH LIVE, and the running step shows no spinner but
# "no console: outcome unknown".
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
echo $$ >>"$(dirname "$0")/push.pids"
n=0
while [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
feed= rw=
stop_all() {
	status=$?
	[ -z "$feed" ] || kill "$feed" 2>/dev/null
	[ -z "$rw" ] || kill -KILL "$rw" 2>/dev/null
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_all; _screen_cleanup' EXIT

mkfifo "$SCREEN_TMP/in"
sleep 120 >"$SCREEN_TMP/in" &
feed=$!
# shellcheck disable=SC2046 # the hermetic environment has no blanks
env -i $(_app_env | sed "s|^REWIND_TEST_IDLE=.*|REWIND_TEST_IDLE=$SCREEN_TMP/idle.cli|") \
	"$REWIND_BIN" run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB" \
	<"$SCREEN_TMP/in" >"$SCREEN_TMP/out1" 2>&1 &
rw=$!
printf '%s\n' next next next 'confirm e.push push 1.2.3' 'run e.push' >"$SCREEN_TMP/in"
wait_for 'test -s "$SCREEN_TMP/push.pids"'

start_app -x 100 -y 26 watch "$SESSION_DIR"
assert_fixed 'WATCH LIVE'
assert_text 'Push the release +running'
refute_fixed 'no console is driving'

kill -KILL "$rw"
{ wait "$rw"; } 2>/dev/null
rw=
wait_text 'no console is driving this session since [0-9][0-9]:[0-9][0-9]:[0-9][0-9] UTC'
refute_fixed 'WATCH LIVE'
assert_fixed 'WATCH: NO CONSOLE'
assert_fixed 'e.push  run  no console: outcome unknown'
refute_text 'running [^ ]* [0-9]+:[0-9][0-9]'
keys_nowait q
wait_exit
pass "watch says when no console drives the session any more"
