#!/bin/sh
# The replay raises the playbook's escalations where the live console did:
# a drill of tests/fixtures/playbooks/escalation.json (escalate to the
# Incident Commander six seconds in; the test clock runs at the real pace,
# so the test waits for it) runs one step, then waits until the console
# raises the alert, then runs the second. `rewind replay` shows the same
# Output tab as the live console before the escalation (no alert) and at
# the end (the alert between the two runs' output), with the live status
# alert in its timeline row; seeking back removes the alert, forward or
# to a time past it brings it back.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
. "${REWIND_SRCDIR:-.}/tests/screen/lib/livecompare.sh"
ALERT='6 s: escalate to Incident Commander'

# --- the live drill ------------------------------------------------------------
start_app drill "$REWIND_SRCDIR/tests/fixtures/playbooks/escalation.json" \
	--session-dir "$SESSION_DIR" --operator sam
keys Enter
assert_fixed '[✓] Look before the escal… sam '
keys ']'
assert_fixed '[Output]'
assert_fixed 'before the escalation 2'
live_mark before
grep -q 'Incident Commander' "$LIVE/before.body" &&
	fail "the escalation came before the first run was captured (slow machine?)"
keys '['
wait_text "$ALERT" 10
keys j Enter
assert_fixed '[✓] Look after the escala… sam '
keys ']'
assert_fixed 'after the escalation 2'
live_mark end
grep -q 'Incident Commander' "$LIVE/end.body" ||
	fail "the live Output tab shows no escalation"
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "live console exit status $APP_EXIT"

# The alert sits between the two runs' output, in the live console too.
order=$(grep -n 'before the escalation 2\|Incident Commander\|after the escalation 1' \
	"$LIVE/end.body" | cut -d: -f1 | tr '\n' ' ')
set -- $order
[ $# = 3 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] ||
	fail "live: the alert is not between the two runs' output ($order)"

# --- the replay ------------------------------------------------------------------
tm new-session -d -s keep "sleep 600" 2>/dev/null || :
start_app replay "$SESSION_DIR"
# The drill's quit is the last event; it changes nothing on screen.
n=$(wc -l <"$SESSION_DIR/journal.jsonl" | tr -d ' ')
[ "$n" = $(( $(cat "$LIVE/end.events") + 1 )) ] ||
	fail "the journal has $n events, not the live $(cat "$LIVE/end.events") and the quit"
assert_fixed " $n/$n" "the replay does not open at the last event"
assert_text ' [0-9]*m[0-9][0-9]s of 1m RTO$' "no clock against the RTO target"
keys Tab
assert_fixed '[Output]'
body "$SCREEN_TMP/r-end"
same end "$SCREEN_TMP/r-end"
row 23 | grep -qF "$ALERT" || fail "no escalation alert in the timeline row"

# seek_event N: g, then . N-1 times, lands on event N (search matches
# what the screens show, not the journal's "seq" keys).
seek_event() {
	keys g
	# shellcheck disable=SC2046 # one '.' a word
	[ "$1" -le 1 ] || keys $(i=1; while [ "$i" -lt "$1" ]; do
		printf '. '; i=$((i + 1)); done)
	assert_fixed " $1/$n" "g and . did not seek to event $1"
}

at=$(cat "$LIVE/before.events")
seek_event "$at"
body "$SCREEN_TMP/r-before"
same before "$SCREEN_TMP/r-before"
row 23 | grep -qF 'escalate' && fail "an escalation before its time"

# Forward to the end and back again.
keys G
body "$SCREEN_TMP/r-again-end"
same end "$SCREEN_TMP/r-again-end"
seek_event "$at"
body "$SCREEN_TMP/r-again-before"
same before "$SCREEN_TMP/r-again-before"

# By session time: at +00:05 no alert yet, at +00:06 (between events)
# there is.
keys t
type_text +00:05
keys Enter
refute_fixed 'Incident Commander' "the alert shows at 00:05"
keys t
type_text +00:06
keys Enter
assert_fixed 'Incident Commander' "no alert at 00:06"
row 23 | grep -qF "$ALERT" || fail "no escalation alert in the timeline row at 00:06"
keys g
refute_fixed 'Incident Commander' "the alert shows at the start"

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "replay exit status $APP_EXIT"
pass
