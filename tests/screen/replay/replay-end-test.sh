#!/bin/sh
# Replaying a recorded session rebuilds what the live console showed: the
# bundled example is walked in the console (drill), and at three moments
# (end of assess, after the approval, the end: its Step, Output and
# Journal tabs) the live body (rail, checklist, side pane) is captured
# with the number of events journalled so far. `rewind replay` of the
# same session, moved to the same event, must show the same rows. Seeking
# back and forth (start/end, one event back and forth, marker jumps) lands
# on identical screens, and the replay wrote nothing to the session.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
. "${REWIND_SRCDIR:-.}/tests/screen/lib/livecompare.sh"

start_app drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SESSION_DIR" --operator sam

# --- the live walk (the keys of tests/screen/walk/example-walk-test.sh) ------
keys Enter
assert_fixed '[✓] See what is deployed … sam '
keys j Enter
assert_fixed '[✓] List the most recent … sam '
keys j Enter
type_text P0
keys Enter
assert_fixed '[✓] Rate the severity'
keys j Enter
type_text most
keys Enter
keys j Space
assert_fixed 'Checklist: assess  5/5'
live_mark assess
keys '>'
keys Enter
keys j Enter				# a drill selects nothing: j takes rollback
type_text "the matrix says P0 with most users affected means roll back now"
keys Enter
assert_fixed '[✓] Roll back, hotfix, or… sam '
keys j Enter
type_text 1.3.2
keys Enter
keys '>'
keys Enter
keys Enter
type_text dana
keys Enter
type_text "looks right, go"
keys Enter
assert_fixed '[✓] Engineering lead sig… dana '
live_mark approved
keys '>'
keys Enter
type_text 1.3.2
keys Enter
assert_fixed 'HEAD is now at 9f8e7d6 Release 1.3.2'
keys j Enter
type_text 'restart run/service.pid'
keys Enter
assert_fixed 'service started, pid 4311'
keys '>'
keys Enter
assert_fixed '[✓] Health endpoint answe… sam '
keys j Space
keys '>'
keys Enter
keys Enter
assert_fixed '[✓] Tell the team'
keys j Space
keys '>'
assert_fixed 'COMPLETE'
live_mark end-step
keys ']'
assert_fixed '[Output]'
live_mark end-output
keys ']'
assert_fixed '[Journal]'
live_mark end-journal
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "live console exit status $APP_EXIT"

# --- the replay ------------------------------------------------------------------
rm -f "$SESSION_DIR/session.lock"
listing() {
	(cd "$SESSION_DIR" && ls -lR --time-style=full-iso .)
}
listing >"$SCREEN_TMP/before.ls"
# A second session keeps the private server up while start_app replaces
# the first (killing the only session would end the server).
tm new-session -d -s keep "sleep 600" 2>/dev/null || :
start_app replay "$SESSION_DIR"
assert_text '^ REPLAY  DRILL ' "no REPLAY label in the header"
assert_fixed 'hash chain verified'
n=$(cat "$LIVE/end-step.events")
assert_fixed " $n/$n" "the replay does not open at the last event"

body "$SCREEN_TMP/r-end-step"
same end-step "$SCREEN_TMP/r-end-step"
keys Tab
body "$SCREEN_TMP/r-end-output"
same end-output "$SCREEN_TMP/r-end-output"
keys Tab
body "$SCREEN_TMP/r-end-journal"
same end-journal "$SCREEN_TMP/r-end-journal"
keys BTab BTab				# back to the Step tab

# seek_event N: g, then . N-1 times, lands on event N (search matches
# what the screens show, not the journal's "seq" keys).
seek_event() {
	keys g
	# shellcheck disable=SC2046 # one '.' a word
	[ "$1" -le 1 ] || keys $(i=1; while [ "$i" -lt "$1" ]; do
		printf '. '; i=$((i + 1)); done)
	assert_fixed " $1/$n" "g and . did not seek to event $1"
}

for mark in assess approved; do
	seek_event "$(cat "$LIVE/$mark.events")"
	body "$SCREEN_TMP/r-$mark"
	same "$mark" "$SCREEN_TMP/r-$mark"
done

# --- back and forth lands on identical screens -----------------------------------
at=$(cat "$LIVE/approved.events")
keys g
assert_fixed " 1/$n"
keys G
assert_fixed " $n/$n"
body "$SCREEN_TMP/again-end"
same end-step "$SCREEN_TMP/again-end"
seek_event "$at"
keys . . . . . . , , , , , ,
assert_fixed " $at/$n"
body "$SCREEN_TMP/again-approved"
same approved "$SCREEN_TMP/again-approved"
keys '[' '[' '[' ']' ']' ']'
body "$SCREEN_TMP/marks-a"
keys g ']' ']' ']' ']' ']' ']' ']' ']' ']' '[' '[' '[' '[' '[' '[' ']' ']' ']'
body "$SCREEN_TMP/marks-b"
keys G
seek_event "$(cat "$LIVE/assess.events")"
body "$SCREEN_TMP/again-assess"
same assess "$SCREEN_TMP/again-assess"

# --- playing and seeking by time -------------------------------------------------------
keys g + + +				# as fast as possible
assert_fixed ' max '
keys Space
wait_text 'end of the journal' 10
assert_fixed " $n/$n"
body "$SCREEN_TMP/played"
same end-step "$SCREEN_TMP/played"
keys t
type_text +00:00
keys Enter
assert_text "session time [0-9:]+ \\(\\+00:00\\): event [1-9][0-9]*: "
keys t
type_text +1h
keys Enter
assert_fixed " $n/$n"
keys t
type_text soon
keys Enter
assert_fixed '"soon": give 19:42 (wall time), +12:30 (session time), +5m, -30s or a date-time'

# --- quit; nothing was written ----------------------------------------------------
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "replay exit status $APP_EXIT"
listing >"$SCREEN_TMP/after.ls"
diff -u "$SCREEN_TMP/before.ls" "$SCREEN_TMP/after.ls" ||
	fail "the replay changed the session directory"
[ ! -e "$SESSION_DIR/session.lock" ] || fail "the replay took the session lock"
pass
