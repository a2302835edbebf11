#!/bin/sh
# The checklist counts what is done: a step whose condition waits on an
# unset variable shows "[?]" (waiting on VARIABLE), one whose condition can
# no longer hold "[/]" (n/a), neither counts, the selection starts on the
# first step that applies, and a label never cuts a title. The step pane
# says what a step waits on, why it does not apply, the reason given for
# an n/a, and an input's default while it is unset.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
printf 'choose route a the a route\nnext\n' >"$SCREEN_TMP/prefix.walk"
run_rewind drill "$REWIND_SRCDIR/tests/fixtures/playbooks/screen-progress.json" \
	--batch --operator sam --session-dir "$SESSION_DIR" \
	<"$SCREEN_TMP/prefix.walk" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"to":"decide"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the decide phase"; }

start_app drill "$SESSION_DIR" --operator sam
# Five lines; only-b can no longer apply (ROUTE is a), extra waits on
# EXTRA: three count, none done.
expect_screen decide-start 3 8 <<'EOF2'
 Checklist: decide  0/3             │[Step]  Out   Jrnl   Tgt   Tags   Reg
[/] Only for b                   n/a│ Only for a
[ ] Only for a                      │ only-a  check  open
[?] Check the gated thing for extr… │ Drill: cannot be verified here, nothing
[ ] Version                         │ in the drill's world shows it; not
[ ] Always                          │ scored (tick or mark n/a as you judge)
EOF2

keys k					# only-b: why it does not apply
assert_fixed 'Does not apply: it applies only when'
assert_text '│ ROUTE is b$'
keys j j				# extra: what it waits on
assert_fixed 'Waiting on EXTRA: it applies when EXTRA'
assert_text '│ is yes$'
keys j					# pick: the default while unset
assert_fixed 'value: not set yet; default 1.0.0'

# An n/a with a reason: not counted, and the reason is shown.
keys k k x
wait_text 'Mark required step only-a'	# a required step: asked first
keys y
wait_text 'Why does this step not apply'
type_text 'no route a users this week'
keys Enter
assert_fixed '[/] Only for a             sam 19:30│'
assert_fixed 'Not applicable: no route a users this'
assert_fixed 'Checklist: decide  0/2'
keys j j j Space			# Always
assert_fixed 'Checklist: decide  1/2'
keys_nowait q
wait_exit
pass "the checklist counts only what applies, and says why the rest does not"
