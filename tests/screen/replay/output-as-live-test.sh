#!/bin/sh
# Replay's Output tab shows what the live Output tab showed at that
# moment: a drill's briefing first (example, scenario p0-outage), and
# never replay's own seek messages ("status: ... event N: ..." lines were
# written there when a long one was cut at the screen's edge); those go to
# the status line only.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
PB=$REWIND_SRCDIR/playbooks/example.json
printf '%s\n' 'run assess.status' 'run assess.tags' 'set SEVERITY P0' \
	'set IMPACT most' 'tick assess.ticket INC-1042 opened for the outage of the whole web service' 'next' |
	run_rewind drill "$PB" --batch --operator sam --scenario p0-outage \
		--no-real-in-clone --session-dir "$SESSION_DIR" >"$SCREEN_TMP/walk.out" 2>&1
grep -q '"phase":"decide"' "$SCREEN_TMP/walk.out" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the batch walk did not reach decide"; }

start_app -x 80 -y 30 replay "$SESSION_DIR"
wait_text 'REPLAY'
n=$(grep -c . "$SESSION_DIR/journal.jsonl")
next_tab=Tab tab Output
keys G
wait_text " $n/$n\$" 5
wait_text 'Briefing \(Scenario 1\):' 5
# A step back says its event in the status line, cut at this width.
keys ,
wait_text "event $((n - 1)): " 5
refute_text 'status: ' "a seek message was written into the replayed Output tab"
assert_text 'Briefing \(Scenario 1\):' "the briefing left the Output tab after seeking back"
pass "replay's Output tab shows the briefing and no seek messages"
