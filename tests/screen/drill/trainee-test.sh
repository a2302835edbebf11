#!/bin/sh
# What a new trainee met in the npm drill, in the console: Enter on a
# decision step whose condition does not hold (its pane says "Does not
# apply") refuses with a status line saying why instead of opening its
# dialog; once the drill is complete, the steps whose condition did not
# hold stay [/] n/a in the checklist (as the report says), never [-].
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

COLS=140
ROWS=40
STATUS_ROW=$((ROWS - 1))
pb=$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json
walk=$REWIND_SRCDIR/tests/fixtures/walks/npm-dist-tag-rollback-scenario-cosmetic-typo.walk

# --- Enter on a decision that does not apply ------------------------------------------
sed -n '1,/^choose decide.response/p' "$walk" |
	run_rewind drill "$pb" --batch --operator sam --no-real-in-clone \
		--scenario cosmetic-typo --session-dir "$SCREEN_TMP/d" \
		>"$SCREEN_TMP/d.out" 2>&1
fresh_server
start_app -x "$COLS" -y "$ROWS" drill "$SCREEN_TMP/d"
wait_text 'q quit' 5
assert_fixed 'Checklist: decide'
# decide.method is the fourth step of the phase.
keys j j j
wait_text 'decide.method  decide' 5
assert_fixed 'Does not apply'
keys Enter
wait_text 'decide.method does not apply' 5
refute_fixed 'Immediate rollback'
refute_fixed 'Manual'
SESSION_DIR=$SCREEN_TMP/d
[ "$(journal_count action.refused)" = 0 ] ||
	fail "the refusal was sent to the session instead of said in the console"

# --- the complete drill: steps whose condition did not hold stay n/a -----------------
run_rewind drill "$pb" --batch --operator sam --no-real-in-clone \
	--scenario cosmetic-typo --session-dir "$SCREEN_TMP/c" <"$walk" \
	>"$SCREEN_TMP/c.out" 2>&1 || fail "the walk did not complete"
start_app -x "$COLS" -y "$ROWS" drill "$SCREEN_TMP/c"
wait_text 'COMPLETE' 5
assert_text '^\[/\] List the rollback history' \
	"a step whose condition did not hold is not [/] once the drill is complete"
refute_text '^\[-\] ' "the complete checklist shows [-] for steps that did not apply"
pass "steps that do not apply refuse Enter and stay n/a"
