#!/bin/sh
# The RTO clock stops when the session is complete: a session walked to
# COMPLETE in batch mode at 19:30, opened ten minutes later in the
# console, in `rewind watch` and in `rewind replay`, shows the time it
# took (00:00), not the time since it started (10:00), with the report's
# word (met).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
run_rewind drill "$REWIND_SRCDIR/playbooks/example.json" --batch --operator sam \
	--session-dir "$SESSION_DIR" <"$REWIND_SRCDIR/playbooks/example.walk" \
	>"$SCREEN_TMP/walk.out" 2>&1
grep -q '"phase":"complete"' "$SCREEN_TMP/walk.out" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the batch walk did not complete the session"; }

# header_clock: the clock at the right end of the header row.
header_clock() {
	row 1 | sed -n 's/.* \([0-9]*m[0-9][0-9]s\) of 5m RTO, met$/\1/p'
}

# check_stopped WHAT: the header shows COMPLETE's time, 0m00s.
check_stopped() {
	wait_text ' of 5m RTO, met$'
	c=$(header_clock)
	[ "$c" = 0m00s ] || soft_fail "$1: the RTO clock reads '$c' ten minutes after COMPLETE, not 0m00s"
}

REWIND_TEST_NOW=2026-11-21T19:40:00Z
start_app drill "$SESSION_DIR" --operator sam
assert_fixed 'COMPLETE'
check_stopped "the console"
# Opened again, a complete session says it is read-only, not what a live or
# drill session promises.
assert_text '^ session complete: open to be read, nothing runs or is journalled' \
	"the status line does not say the complete session is read-only"
refute_text 'commands run for real|drill: simulated'
keys_nowait q
wait_exit

fresh_server
start_app watch "$SESSION_DIR"
check_stopped "rewind watch"
keys_nowait q
wait_exit

fresh_server
start_app replay "$SESSION_DIR"
keys G
assert_fixed 'COMPLETE'
check_stopped "rewind replay at the end"
pass "the RTO clock stops at COMPLETE in the console, watch and replay"
