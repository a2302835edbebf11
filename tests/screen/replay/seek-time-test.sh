#!/bin/sh
# Replay's t takes the times the journal and checklist show: "08:53" is a
# wall time (UTC, as shown), "+08:00" a session time (as the header clock
# shows), "+5m" a move from the replay clock; the status line says which
# it took, with both forms, and when the time lies after the session's
# end or before its start it says so instead of jumping there silently.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
WALK=$REWIND_SRCDIR/playbooks/example.walk
# The example walked in three sittings: assess at 08:45, decide and
# approve at 08:53, the rest at 09:10.
awk '{ print } /^next$/ { exit }' "$WALK" >"$SCREEN_TMP/part1"
awk 'n >= 1 { print } /^next$/ { n++; if (n == 3) exit }' "$WALK" >"$SCREEN_TMP/part2"
awk 'n >= 3 { print } /^next$/ { n++ }' "$WALK" >"$SCREEN_TMP/part3"
# (A sitting that leaves the session open exits non-zero: that is expected.)
for part in 1:2026-11-21T08:45:00Z 2:2026-11-21T08:53:00Z 3:2026-11-21T09:10:00Z; do
	REWIND_TEST_NOW=${part#*:}
	if [ "${part%%:*}" = 1 ]; then
		set -- "$REWIND_SRCDIR/playbooks/example.json" --session-dir "$SESSION_DIR"
	else
		set -- "$SESSION_DIR"
	fi
	run_rewind drill "$@" --batch --operator sam \
		<"$SCREEN_TMP/part${part%%:*}" >"$SCREEN_TMP/walk.out" 2>&1
done
grep -q '"phase":"complete"' "$SCREEN_TMP/walk.out" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the walk in three sittings did not complete"; }
n=$(grep -c . "$SESSION_DIR/journal.jsonl")

start_app replay "$SESSION_DIR"
seek() {
	keys t
	type_text "$1"
	keys Enter
}
status() {
	row 24 | sed 's/^ //'
}

# (The session started a fraction of a second after 08:45:00, so 08:54
# is 8 min 59 s into it, as the header clock would say.)
seek 08:54
status | grep -qE '^wall time 08:54:00 \(\+08:59\): event [0-9]+: ' ||
	soft_fail "t 08:54 is not taken as the wall time 08:54: $(status)"
pos=$(status | sed -n 's/.*: event \([0-9]*\): .*/\1/p')
[ -n "$pos" ] && [ "$pos" -lt "$n" ] || soft_fail "t 08:54 went to event '$pos' of $n, not the 08:53 sitting"
grep "\"seq\":$pos," "$SESSION_DIR/journal.jsonl" | grep -q '"wall":"2026-11-21T08:53:' ||
	soft_fail "event $pos is not the last one of the 08:53 sitting"

seek +09:00
status | grep -qE "^session time 08:54:00 \(\+09:00\): event $pos: " ||
	soft_fail "t +09:00 is not taken as the session time 9 min: $(status)"

seek 10:00
status | grep -qE "^wall time 10:00:00 \\(\\+1:1[45]:[0-9]{2}\\), after the end \\(09:10:0[0-9]\\): event $n: " ||
	soft_fail "a time after the end is not said to be after the end: $(status)"
seek 08:00
status | grep -qE '^wall time 08:00:00 \(\+00:00\), before the start \(08:45:00\): event 1: ' ||
	soft_fail "a time before the start is not said to be before it: $(status)"
seek +5m
status | grep -qE '^from the replay clock 08:50:00 \(\+0(4:59|5:00)\): event' ||
	soft_fail "t +5m does not move 5 min from the replay clock: $(status)"
pass "t takes wall times, session times and moves, and says which"
