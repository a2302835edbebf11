#!/bin/sh
# While a command pours out output and nothing else changes, the console
# draws at most 30 frames a second (a frame every 33 ms), not 60: the
# Output tab still moves on as it comes, and the run's last line is there
# at the end, but a flood costs half the frames it did.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session

start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/trickle.json" \
	--session-dir "$SESSION_DIR"
keys ']'				# the Output tab
f0=$(cat "$SCREEN_FRAMES")
keys_nowait Enter			# a.trickle: 600,000 lines from 300 runs of seq
wait_for '[ "$(journal_count step.finished a.trickle)" = 1 ]' 60
f1=$(cat "$SCREEN_FRAMES")
wait_text '│ trickle-done$' 10
ms=$(grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" |
	grep -o '"duration_ms":[0-9]*' | cut -d: -f2)
frames=$((f1 - f0))
# At 30 a second, plus the spinner's 2 a second, the key's frame, the
# start and the end of the run, and one the poll above may let through.
limit=$((ms / 33 + ms / 500 + 6))
note "$frames frames while the run took $ms ms (at most $limit allowed)"
[ "$ms" -ge 200 ] || fail "the run took only $ms ms: too short to tell"
[ "$frames" -le "$limit" ] ||
	fail "$frames frames in the $ms ms of a flood of output: more than 30 a second"
[ "$frames" -ge 3 ] ||
	fail "$frames frames in the $ms ms of a flood of output: the Output tab did not follow it"
pass "a flood of output is drawn at most 30 frames a second and followed to its end"
