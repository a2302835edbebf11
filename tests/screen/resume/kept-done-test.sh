#!/bin/sh
# The console is killed (SIGKILL) while a destructive push runs; the push
# then ends, exit 0, and only its keeper sees it. A watcher of the dead
# console's session reads the keeper's record (exit 0, when it ended,
# that its output may be cut off), as the resumed console's step pane
# then does: "Last run: ok" never without "ended after the console quit"
# and the warning that what it printed after the kill was not kept. The
# run stays the operator's who started it (sam), not rewind's, though
# rewind journalled the keeper's record.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

. "$REWIND_SRCDIR/tests/screen/lib/slowpush.sh"

kill_mid_push
touch "$SCREEN_TMP/release"
wait_for "grep -q '\"exit\":0' '$SESSION_DIR'/output/e.push-1.status"
ended=$(sed 's/.*"ended":"[0-9-]*T\([0-9:]*\).*/\1/' "$SESSION_DIR"/output/e.push-1.status)

# A watcher: no console drives the session; the keeper says how it ended.
start_app -x 260 -y 34 watch "$SESSION_DIR"
wait_text 'no console is driving this session'
n=0
until screen_text | grep -q '│ Push the release'; do
	[ "$n" -lt 6 ] || fail "e.push's pane is not shown"
	keys Up
	n=$((n + 1))
done
assert_text 'Push the release +ended: exit 0 \(keeper\)'
wait_text 'Last run: exit 0'
wait_text "It ended after the console quit, at $ended UTC \(its keeper's record"
wait_text 'Its output may be cut off: the console was killed'
refute_fixed 'no console: outcome unknown'

# The resumed console journals the keeper's record: the step pane says
# the same, and the checklist names sam, who ran it.
start_app -x 260 -y 34 run "$SESSION_DIR" --operator sam
wait_text 'e\.push ended after the console quit: done'
n=0
until screen_text | grep -q 'Last run: ok'; do
	[ "$n" -lt 6 ] || fail "no 'Last run: ok' on e.push's pane"
	keys Up
	n=$((n + 1))
done
wait_text "It ended after the console quit, at $ended UTC \(its keeper's record\)"
wait_text 'Its output may be cut off: the console was killed'
screen_text | grep 'Push the release' | grep -q ' sam ' ||
	fail "the checklist does not name sam on e.push: $(screen_text | grep 'Push the release')"
screen_text | grep 'Push the release' | grep -q 'rewind' &&
	fail "the checklist names rewind as who ran e.push"
pass "a run that ended after its console was killed says so, with its keeper's end time, to a watcher and after the resume, and stays sam's"
