#!/bin/sh
# Cancelling a destructive step while its command runs (c) is "cancelled
# — outcome unknown", never FAILED: in the checklist, the step pane, the
# status line, the Journal tab, the report and the replay; a re-run's
# confirmation warns that the cancelled run may have done its work.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
echo "pushing $1"
echo $$ >>"$(dirname "$0")/push.pids"
n=0
while [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
stop_stubs() {
	status=$?
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_stubs; _screen_cleanup' EXIT

start_app -x 100 -y 26 run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
keys '>' '>' '>'
keys Enter
type_text 'push 1.2.3'
keys Enter
wait_for 'test -s "$SCREEN_TMP/push.pids"'
keys c
wait_text 'e\.push cancelled — outcome unknown'
assert_text '^\[‽\] Push the release +cancelled'
assert_fixed 'Last run: cancelled — outcome unknown'
assert_fixed 'Check what it did before running it again'
refute_text 'FAILED|failed'
grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"outcome":"unknown"' || fail "step.finished does not say outcome unknown"

# A re-run asks for the confirmation with the warning.
keys Enter
assert_fixed 'Its last run was cancelled and may have done its work'
keys Escape
keys q
keys_nowait Enter
wait_exit

run_rewind report "$SESSION_DIR" >"$SCREEN_TMP/report.md" 2>&1 ||
	fail "rewind report failed"
# The commands table names who cancelled (not a console's death).
grep '^| e\.push |' "$SCREEN_TMP/report.md" |
	grep -q '| cancelled by sam — outcome unknown' ||
	fail "the report's commands table does not say cancelled by sam — outcome unknown: $(grep '^| e.push |' "$SCREEN_TMP/report.md")"
grep -q 'cancelled e.push while it ran: outcome unknown' "$SCREEN_TMP/report.md" ||
	fail "the report's timeline does not say the cancel left the outcome unknown"
grep 'e\.push' "$SCREEN_TMP/report.md" | grep -q 'FAILED' &&
	fail "the report calls the cancelled run FAILED"

start_app -x 100 -y 26 replay "$SESSION_DIR"
keys G
assert_text '^\[‽\] Push the release +cancelled'
assert_fixed 'Last run: cancelled — outcome unknown'
refute_text 'FAILED'
pass "a cancelled destructive run is cancelled, outcome unknown, everywhere"
