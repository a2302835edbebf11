#!/bin/sh
# Replay's phase rail shows the current phase's time against its target
# as the live console's does, at the replay clock: a drill of the bundled
# example (rto.phases: assess 2m, decide 2m) walked to decide at 19:30 and
# resumed at 19:33 reads "▶ decide 3m0Ns of 2m" at its end, late in the
# late clock's colour; at an event of the first sitting (assess, started
# at 19:30) the rail reads "▶ assess 0m0Ns of 2m". It used to count to
# the real now ("22543m10s of 2m"), too long for an 80-column rail, so
# replay drew no target where the live console did.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
PB=$REWIND_SRCDIR/playbooks/example.json

# sgr_before TEXT: the escape sequences of row 2 just before TEXT.
sgr_before() {
	screen_text -e | sed -n 2p | sed "s/\(.*\)$1.*/\1/" |
		sed 's/.*[^m]\(\(\x1b\[[0-9;]*m\)*\)$/\1/'
}

# Walked to decide at 19:30; a note three minutes later, still in decide.
printf '%s\n' 'run assess.status' 'run assess.tags' 'set SEVERITY P0' \
	'set IMPACT most' 'tick assess.ticket INC-1042 opened' 'next' |
	run_rewind drill "$PB" --batch --operator sam \
		--session-dir "$SESSION_DIR" >"$SCREEN_TMP/walk.out" 2>&1
grep -q '"phase":"decide"' "$SCREEN_TMP/walk.out" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the batch walk did not reach decide"; }
REWIND_TEST_NOW=2026-11-21T19:33:00Z
printf '%s\n' 'note still weighing the options' |
	run_rewind drill "$SESSION_DIR" --batch --operator sam \
		>"$SCREEN_TMP/note.out" 2>&1
grep -q '"type":"note.added"' "$SESSION_DIR/journal.jsonl" ||
	{ cat "$SCREEN_TMP/note.out"; fail "the note was not journalled"; }

start_app -x 120 -y 30 replay "$SESSION_DIR"
wait_text 'REPLAY'
n=$(grep -c . "$SESSION_DIR/journal.jsonl")
keys G
wait_text " $n/$n\$" 5
wait_text '^ ✓ assess  ▶ decide [23]m[0-9][0-9]s of 2m  · approve' 5 ||
	fail "replay's rail does not show decide's time against its target at the end: '$(row 2)'"
late=$(sgr_before ' [23]m[0-9][0-9]s of 2m')
case $late in
*'38;5;203'*) ;;
*) fail "decide's time over its target is not in the late colour: '$late'" ;;
esac
keys g
wait_text " 1/$n\$" 5
keys .
wait_text " 2/$n\$" 5
wait_text '^ ▶ assess 0m0[0-9]s of 2m  · decide' 5 ||
	fail "replay's rail does not show assess's time against its target at the start: '$(row 2)'"
# At 80 columns, where the live console has room for the target, so does
# replay (counted to the real now, it grew too long and was left out).
resize 80 24
keys G
wait_text " $n/$n\$" 5
wait_text '^ ✓ assess  ▶ decide [23]m[0-9][0-9]s of 2m  · approve' 5 ||
	fail "replay's rail at 80 columns has no target: '$(row 2)'"
pass "replay's phase rail shows the current phase's time against its target"
