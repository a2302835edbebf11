#!/bin/sh
# What a trainee sees of a drill, as a new user met it in tmux (npm
# critical-outage): the scenario's briefing as the first lines of the
# Output tab and in the step pane of the first step (never its id, title
# or description, which tell the game master's story).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

COLS=140
ROWS=36
brief="Users who upgraded report that memories written recently are gone."

fresh_server
start_app -x "$COLS" -y "$ROWS" drill \
	"$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" \
	--scenario critical-outage --session-dir "$SCREEN_TMP/s" \
	--operator sam --no-real-in-clone
wait_text 'q quit' 5
assert_fixed '[Output]'
# The scenario's number, never its id, which gives the answer away.
assert_fixed 'Briefing (Scenario 1):'
refute_fixed 'critical-outage'
assert_fixed "Briefing: $brief"
refute_fixed 'the rollback workflow fails'
[ "$(screen_text | grep -cF "$brief")" -ge 2 ] ||
	fail "the briefing is not both in the Output tab and the step pane"
pass "the trainee is shown the scenario's briefing"
