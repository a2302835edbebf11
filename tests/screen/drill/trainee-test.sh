#!/bin/sh
# What a new trainee met in the npm drill, in the console: Enter on a
# decision step whose condition does not hold (its pane says "Does not
# apply") refuses with a status line saying why instead of opening its
# dialog; once the drill is complete, the steps whose condition did not
# hold stay [/] n/a in the checklist (as the report says), never [-].
# A refusal is a journal line: the Journal tab and the status line show
# it, the Output tab does not. The step pane expands a command's tabs as
# the Output tab does (no ^I). The prediction asked before a destructive
# step's confirmation says it is not the confirmation. Every file the
# console leaves in the session directory is named in rewind(1) FILES.
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

# select STEP: move down the checklist until the step pane shows STEP.
select_step() {
	_n=0
	until screen_text | grep -qF "│ $1  "; do
		[ "$_n" -lt 25 ] || fail "no step $1 in the checklist"
		keys j
		_n=$((_n + 1))
	done
}

# --- the step pane expands tabs ------------------------------------------------------
fresh_server
start_app -x "$COLS" -y "$ROWS" drill "$pb" --scenario critical-outage \
	--session-dir "$SCREEN_TMP/t" --operator sam --no-real-in-clone
wait_text 'q quit' 5
select_step assess.releases
keys Enter
wait_text 'Last run: ok' 5
assert_fixed '│ v1.2.3  Latest  v1.2.3  2026-11-21T14:10:00Z'
refute_fixed '^I' "the step pane shows a tab as ^I"

# --- the prediction before a destructive step's confirmation -------------------------
{ sed -n '1,/^run execute.npm-login/p' \
	"$REWIND_SRCDIR/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk"
  echo 'run execute.dist-tag'; } |
	run_rewind drill "$pb" --batch --operator sam --no-real-in-clone \
		--scenario critical-outage --session-dir "$SCREEN_TMP/p" \
		>"$SCREEN_TMP/p.out" 2>&1
start_app -x "$COLS" -y "$ROWS" drill "$SCREEN_TMP/p"
wait_text 'q quit' 5
select_step execute.dist-tag
keys Enter
wait_text 'Prediction \(not the confirmation\)' 5
assert_fixed 'Your prediction, not the confirmation'
assert_fixed 'confirmation you type comes next.'
keys Escape
wait_gone 'Prediction' 5
# The refusal the prefix ended with (a run before its confirmation) is in
# the journal, and stays out of the Output tab.
SESSION_DIR=$SCREEN_TMP/p
[ "$(journal_count action.refused)" = 1 ] || fail "the prefix's run was not refused"
refute_fixed 'action.refused' "a journal line is in the Output tab"

# --- every file in the session directory is documented -------------------------------
for f in $(ls "$SCREEN_TMP/t"); do
	sed -n '/^\.SH FILES/,/^\.SH ENVIRONMENT/p' "$REWIND_SRCDIR/doc/rewind.1" |
		grep -qF "$f" || fail "rewind(1) FILES does not name $f"
done

# --- the complete drill: steps whose condition did not hold stay n/a -----------------
run_rewind drill "$pb" --batch --operator sam --no-real-in-clone \
	--scenario cosmetic-typo --session-dir "$SCREEN_TMP/c" <"$walk" \
	>"$SCREEN_TMP/c.out" 2>&1 || fail "the walk did not complete"
start_app -x "$COLS" -y "$ROWS" drill "$SCREEN_TMP/c"
wait_text 'COMPLETE' 5
assert_text '^\[/\] List the rollback history' \
	"a step whose condition did not hold is not [/] once the drill is complete"
refute_text '^\[-\] ' "the complete checklist shows [-] for steps that did not apply"
pass "steps that do not apply refuse Enter and stay n/a; Output holds no journal line; the step pane expands tabs; the prediction is not the confirmation; the session files are documented"
