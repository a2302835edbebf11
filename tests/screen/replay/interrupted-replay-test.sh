#!/bin/sh
# The replay tells an interrupted run as the console does: rewind (batch)
# is killed while a destructive step runs, the session is resumed and
# left, and `rewind replay` at its end shows the step as [?] interrupted
# in the checklist and "interrupted — outcome unknown" in the step pane,
# never failed; one event before the interruption it is still running.
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
[ "$(journal_count step.interrupted e.push)" = 1 ] || fail "no step.interrupted"
stop_all

# The report says between which times the console died: its last event
# (the line before step.interrupted), and the resume that found the run
# interrupted.
seen=$(grep -B1 '"type":"step.interrupted"' "$SESSION_DIR/journal.jsonl" |
	head -n 1 | sed 's/.*"wall":"\([^"]*\)".*/\1/')
run_rewind report "$SESSION_DIR" >"$SCREEN_TMP/report.md" 2>&1
grep -qF "interrupted e.push: outcome unknown (the console ended while it ran, between $seen and " \
	"$SCREEN_TMP/report.md" || fail "the report does not say between which times the console died: $(grep "interrupted e.push" "$SCREEN_TMP/report.md") (seen $seen)"

start_app replay "$SESSION_DIR"
keys G
assert_text '^\[‽\] Push the release +interrupted'
assert_fixed 'e.push  run  interrupted'
assert_fixed 'Last run: interrupted — outcome unknown'
refute_text 'FAILED|failed'
# Back to before the interruption: it was running then.
n=$(grep -n '"type":"step.interrupted"' "$SESSION_DIR/journal.jsonl" | cut -d: -f1)
back=$(( $(wc -l <"$SESSION_DIR/journal.jsonl") - n ))
while [ "$back" -gt 0 ]; do
	keys ,
	back=$((back - 1))
done
# At the interruption itself only what was known then: its process still
# ran (the journal line says still_running), not that it has ended.
assert_fixed 'e.push  run  interrupted'
assert_fixed 'still running from the previous console'
refute_fixed 'has ended'
keys ,
assert_fixed 'e.push  run  running'
pass "the replay shows the interrupted run as interrupted, outcome unknown"
