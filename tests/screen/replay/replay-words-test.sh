#!/bin/sh
# The replay speaks the console's words, never event names: rewind (batch)
# is killed while a destructive step runs and resumed while its process
# still runs; seeking to the run's start and to the orphan, the status line
# says so in words, the step pane does not offer the key that stops the
# run (nothing can be stopped from a replay), and the help says what q
# does in a replay.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
# A slow stand-in for a push: records its pid and waits to be stopped.
echo $$ >>"$(dirname "$0")/push.pids"
n=0
while [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
feed=

stop_all() {
	status=$?	# the test's, for _screen_cleanup
	[ -z "$feed" ] || kill "$feed" 2>/dev/null
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_all; _screen_cleanup' EXIT


set -- run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
mkfifo "$SCREEN_TMP/in"
sleep 60 >"$SCREEN_TMP/in" &
feed=$!
# Not run_rewind: its subshells would keep rewind's pid from $!.
# shellcheck disable=SC2046 # the hermetic environment has no blanks
env -i $(_app_env | sed "s|^REWIND_TEST_IDLE=.*|REWIND_TEST_IDLE=$SCREEN_TMP/idle.cli|") \
	"$REWIND_BIN" "$@" <"$SCREEN_TMP/in" >"$SCREEN_TMP/out1" 2>&1 &
rw=$!
printf '%s\n' next next next 'confirm e.push push 1.2.3' 'run e.push' >"$SCREEN_TMP/in"
wait_for 'test -s "$SCREEN_TMP/push.pids"'
wait_for 'test "$(journal_count step.started)" = 1'
wait_for 'test "$(journal_count step.spawned)" = 1'
# Its keeper too: else it records the exit status and the run's outcome
# is known (tests/resume-keeper-batch.sh); here it stays unknown.
keeper=$(grep '"type":"step.spawned"' "$SESSION_DIR/journal.jsonl" |
	sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
[ -n "$keeper" ] || fail "step.spawned names no keeper"
kill -KILL "$rw" "$keeper"
{ wait "$rw"; } 2>/dev/null
kill "$feed"
feed=
# Resumed and left at once (stdin empty): the run is journalled
# interrupted, its process still running; then the test stops it.
run_rewind "$@" </dev/null >"$SCREEN_TMP/out2" 2>&1
[ "$(journal_count step.orphan e.push)" = 1 ] || fail "no step.orphan"
stop_all

start_app -y 40 replay "$SESSION_DIR"
# Seeking to each event: the status line tells it in the console's words.
keys /
type_text 'step.spawned'
keys Enter
wait_text "event [0-9]+: e\.push's command is running \(pid [0-9]+\)"
refute_text 'step spawned'
keys /
type_text 'step.orphan'
keys Enter
wait_text "e\.push's run from the previous console is still running"
refute_text 'step orphan'
# Still running then, but nobody can stop it from a replay.
assert_fixed 'still running from the previous console,'
refute_fixed 'to stop it'
keys G
wait_text 'end'
keys '?'
wait_text 'Quit the replay \(the session is not changed\)'
refute_fixed 'stays resumable'
pass "the replay speaks the console's words and offers only what it can do"
