#!/bin/sh
# A destructive step asks for its confirmation text first: Esc leaves no
# trace, a wrong text is refused (in the dialog, which stays open with the
# text typed, and on the status line) and journalled as
# step.confirm_mismatch with no step.started, nothing typed is asked for
# again (not sent), Backspace and Ctrl-U edit the
# answer, and the right text runs the step.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
# The batch walk up to the execute phase, then the console resumes it.
sed -n '/^run assess.status/,/^approve /p' "$REWIND_SRCDIR/playbooks/example.walk" >"$SCREEN_TMP/prefix.walk"
echo next >>"$SCREEN_TMP/prefix.walk"
run_rewind drill "$REWIND_SRCDIR/playbooks/example.json" --batch --operator sam \
	--session-dir "$SESSION_DIR" <"$SCREEN_TMP/prefix.walk" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"execute"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the execute phase"; }

started=$(journal_count step.started)	# by the batch prefix
start_app drill "$SESSION_DIR" --operator sam
assert_fixed '▶ execute'
assert_fixed 'DESTRUCTIVE: Enter asks you to type'

# Esc: no effect, nothing journalled.
keys Enter
assert_fixed 'Confirm: Check out the last good tag'
assert_fixed 'Type 1.3.2 to run it.'
keys Escape
refute_fixed 'Confirm: Check out the last good tag' "Esc did not close the dialog"
assert_text '^ closed: nothing done$'
[ "$(journal_count step.confirm_mismatch execute.checkout)" = 0 ] || fail "Esc journalled a mismatch"

# Enter on nothing typed (or blanks): the dialog stays and says what to
# do; nothing journalled, no internal error.
keys Enter
keys Enter
assert_fixed 'Confirm: Check out the last good tag'
assert_fixed 'type the text shown above to run it (Esc: not now)'
type_text '   '
keys Enter
assert_fixed 'Confirm: Check out the last good tag'
refute_text 'could not pass|missing argument' "a blank confirmation reached the core as a command"
[ "$(journal_count step.confirm_mismatch execute.checkout)" = 0 ] || fail "a blank answer journalled a mismatch"
keys C-u

# A wrong text: refused, journalled, not run; the dialog stays open with
# the text typed (said in it and on the status line), so what is typed
# next is the confirmation again and never a key of the checklist.
type_text 1.3.1
assert_fixed '1.3.1_'
keys Enter
assert_fixed 'confirmation of execute.checkout does not match: type exactly "1.3.2"'
assert_fixed 'Confirm: Check out the last good tag' "the dialog closed after a wrong text"
assert_fixed '1.3.1_' "the text typed was not kept to be put right"
[ "$(row 23)" = ' Not run: confirmation of execute.checkout does not match: type exactly "1.3.2"' ] ||
	fail "the status line does not say the confirmation was refused"
[ "$(journal_count step.confirm_mismatch execute.checkout)" = 1 ] ||
	fail "no step.confirm_mismatch for execute.checkout in the journal"
[ "$(journal_count step.started execute.checkout)" = 0 ] ||
	fail "execute.checkout started after a wrong confirmation"
[ "$(journal_count step.confirmed execute.checkout)" = 0 ] ||
	fail "a wrong confirmation was recorded as step.confirmed"

# Wrong twice, then Esc: closed, nothing run.
keys BSpace
type_text 0
keys Enter
assert_fixed '1.3.0_'
[ "$(journal_count step.confirm_mismatch execute.checkout)" = 2 ] ||
	fail "the second wrong text was not journalled"
keys Escape
refute_fixed 'Confirm: Check out the last good tag' "Esc did not close the dialog after a mismatch"
assert_fixed '[ ] Check out the last good tag'
[ "$(journal_count step.started)" = "$started" ] || fail "a step started after a wrong confirmation and Esc"

# Editing: Backspace deletes one character, Ctrl-U clears the line (also
# after a wrong text: the operator's C-u never scrolls the checklist).
keys Enter
type_text 9.9.9
keys Enter
assert_fixed 'type exactly "1.3.2"'
assert_fixed '9.9.9_'
keys C-u
assert_text '^    _$' "Ctrl-U did not clear the answer"
type_text 1.3.22
keys BSpace
assert_fixed '1.3.2_'
keys Enter
assert_fixed '[✓] Check out the last go… sam '
assert_fixed 'execute.checkout done'
assert_fixed 'HEAD is now at 9f8e7d6 Release 1.3.2'
[ "$(journal_count step.confirmed execute.checkout)" = 1 ] || fail "no step.confirmed"
[ "$(journal_count step.started execute.checkout)" = 1 ] || fail "no step.started after the right text"
[ "$(journal_count step.confirm_mismatch execute.checkout)" = 3 ] || fail "the right text journalled a mismatch"
[ "$(journal_count step.started)" = $((started + 1)) ] || fail "another step ran besides execute.checkout"

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "rewind verify failed"
pass "typed confirmation refused when wrong, run when right"
