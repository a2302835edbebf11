#!/bin/sh
# A check ticked by mistake is unticked with the tick key: Space on a
# ticked check asks "Untick assess.ticket (Incident ticket opened and
# linked)? it is to do again; y/N"; anything but y keeps it ticked with
# nothing journalled, y journals step.unticked and the checklist shows it
# open ([ ]); Space on it then ticks it again without asking.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
printf '%s\n' 'run assess.status' 'run assess.tags' 'set SEVERITY P0' \
	'set IMPACT most' 'tick assess.ticket INC-1042 opened' |
	run_rewind drill "$REWIND_SRCDIR/playbooks/example.json" --batch \
		--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/walk.out" 2>&1
start_app -x 120 -y 30 drill "$SESSION_DIR" --operator sam
wait_text 'q quit'
ticket='Incident ticket opened and linked'
assert_text "^\[✓\] $ticket" "the ticket check is not ticked to start with"
keys j j j j
n=$(wc -l <"$SESSION_DIR/journal.jsonl")

keys Space
wait_text 'Untick assess\.ticket \(Incident ticket opened and linked\)\? it is to do'
assert_text 'again; y/N'
keys n					# one key answers
wait_text 'assess\.ticket stays ticked'
assert_text "^\[✓\] $ticket" "n unticked the check"
[ "$(wc -l <"$SESSION_DIR/journal.jsonl")" = "$n" ] || fail "n journalled something"

keys Space
wait_text 'y/N'
keys y
wait_text "^\[ \] $ticket"
grep -q '"type":"step.unticked","phase":"assess","step":"assess.ticket"' \
	"$SESSION_DIR/journal.jsonl" || fail "no step.unticked journalled"

keys Space
wait_text "^\[✓\] $ticket"
refute_text 'y/N' "ticking an open check asked first"
[ "$(grep -c '"type":"step.ticked"' "$SESSION_DIR/journal.jsonl")" = 2 ] ||
	fail "the check was not ticked again"
pass "Space on a ticked check asks to untick it; y unticks (step.unticked), n keeps it"
