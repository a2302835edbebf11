#!/bin/sh
# The console's status line speaks to the person at the keys: what did not
# happen, why, and which key does what the batch language would type; never
# a batch verb prefix ("next: ", "na a.sign: "), a usage string or a batch
# line to type ("set it with: set NAME VALUE"). Keys are named from the
# action table. Batch mode keeps its own precise texts.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
PLAYBOOK=$REWIND_SRCDIR/tests/fixtures/playbooks/screen-wide.json

# status_is TEXT WHY: the status line reads exactly TEXT.
status_is() {
	[ "$(row 23)" = " $1" ] || soft_fail "$2: the status line reads '$(row 23)', not ' $1'"
}

# status_clean WHY: no batch grammar in the status line.
status_clean() {
	row 23 | grep -qE '^ (set|tick|na|run|cancel|confirm|choose|approve|send|note|next)( [a-z.]+)?: |usage:|with: set |\((run|confirm|cancel) ' &&
		soft_fail "$1: batch grammar in the status line: '$(row 23)'"
	return 0
}

start_app -x 200 run "$PLAYBOOK" --session-dir "$SESSION_DIR" --operator sam

keys '>'
row 23 | grep -q '^ Not moved to the next phase: phase assess still has open required steps: a\.wide' ||
	soft_fail "> with open steps: '$(row 23)'"
status_clean '>'

keys c
status_is 'Nothing stopped: the step is open' 'c on a step that is not running'
status_clean 'c'

keys j j Space
status_is 'a.look ticked' 'Space on a check'
keys Space				# a ticked check: asked whether to untick
wait_text 'Untick a\.look'
keys n
status_is 'a.look stays ticked' 'Space on a ticked check, answered n'

keys j j x				# an approval: refused at once, never asked
row 23 | grep -q '^ Not marked n/a: x (marking n/a) applies to any step but an approval' ||
	soft_fail "x on an approval: '$(row 23)'"
status_clean 'x on an approval'

keys j Enter
row 23 | grep -q '^ Not run: variable RESTORE_VERSION is not set (set it on its input step, or with s)$' ||
	soft_fail "Enter on a step whose variable is unset: '$(row 23)'"
status_clean 'Enter with a variable unset'

keys g Space
status_is 'Space ticks checklist items; a.wide is a run step: Enter acts on it' 'Space on a run step'

# Batch mode keeps its own texts.
printf 'next\nna a.sign because\nrun a.move\n' |
	run_rewind run "$PLAYBOOK" --batch --session-dir "$SCREEN_TMP/batch" --operator sam >"$SCREEN_TMP/batch.out" 2>&1
grep -q 'stdin:1: next: phase assess still has open required steps' "$SCREEN_TMP/batch.out" ||
	soft_fail "batch mode lost its text for next"
grep -q 'stdin:2: na applies to any step but an approval' "$SCREEN_TMP/batch.out" ||
	soft_fail "batch mode lost its text for na"
grep -q 'stdin:3: variable RESTORE_VERSION is not set (set it with: set RESTORE_VERSION VALUE)' "$SCREEN_TMP/batch.out" ||
	soft_fail "batch mode lost its text for run"

[ -z "$_screen_mismatches" ] || fail "status lines in batch grammar:$_screen_mismatches"
pass "the console's status lines are in words, with keys from the action table"
