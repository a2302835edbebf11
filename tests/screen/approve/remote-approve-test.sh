#!/bin/sh
# An approval given from another process (`rewind approve DIR STEP --role
# ROLE --as NAME`) shows up in the open console within 2 s: the step is
# ticked with the approver's name, the step pane names them with role and
# time, the status line says in words who approved as what from another
# terminal, and the gated phase opens.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
# The batch walk up to the approve phase, then the console resumes it.
sed -n '/^run assess.status/,/^set RESTORE_VERSION/p' "$REWIND_SRCDIR/playbooks/example.walk" >"$SCREEN_TMP/prefix.walk"
echo next >>"$SCREEN_TMP/prefix.walk"
run_rewind drill "$REWIND_SRCDIR/playbooks/example.json" --batch --operator sam \
	--session-dir "$SESSION_DIR" <"$SCREEN_TMP/prefix.walk" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }

start_app drill "$SESSION_DIR" --operator sam
assert_fixed '▶ approve'
assert_fixed '[ ] Engineering lead signs off the…'
# Before: who must sign, and the line to give them (the rest of it, with
# this run's directory, is checked by approve/handoff-test).
expect_screen before 1 10 <<'EOF'
 DRILL  TEST MODE  Example: roll a web service…  1.4.0 → 1.3.2  MmSSs of 5m RTO
 ✓ assess  ✓ decide  ▶ approve  · execute  · verify  · communicate
 Checklist: approve  0/1            │[Step]  Out   Jrnl   Tgt   Tags   Reg
[ ] Engineering lead signs off the… │ Engineering lead signs off the rollback
                                    │ approve.signoff  approve  open
                                    │ Sign-off needed from:
                                    │   Engineering Lead: 0 of 1 signed
                                    │ The operator, sam, cannot approve.
                                    │ Approver's command (y copies it, Y shows
                                    │ it on one line):
EOF
assert_fixed "$SESSION_DIR" "the session directory is not on screen"
# Not yet approved: the gated phase stays shut.
keys '>'
assert_fixed '▶ approve' "moved on without the approval"

run_rewind approve --yes "$SESSION_DIR" approve.signoff --role "Engineering Lead" \
	--as dana >"$SCREEN_TMP/approve.out" 2>&1 ||
	{ cat "$SCREEN_TMP/approve.out"; fail "rewind approve failed"; }
wait_text '^\[✓\] Engineering lead sig… dana ' 2
wait_idle
# Rows 1-9: the rest names the login that signed, which is this
# machine's (the operator's own here: one login runs both).
expect_screen approved 1 9 <<'EOF'
 DRILL  TEST MODE  Example: roll a web service…  1.4.0 → 1.3.2  MmSSs of 5m RTO
 ✓ assess  ✓ decide  ▶ approve  · execute  · verify  · communicate
 Checklist: approve  1/1            │[Step]  Out   Jrnl   Tgt   Tags   Reg
[✓] Engineering lead sig… dana hh:mm│ Engineering lead signs off the rollback
                                    │ approve.signoff  approve  done
                                    │ Sign-off needed from:
                                    │   Engineering Lead: 1 of 1 signed
                                    │     ✓ dana at hh:mm:ss
                                    │       signed with rewind approve; signed
EOF
assert_fixed "own login"
assert_fixed 'The operator, sam, cannot approve.'
# The status line leads with the warning, so at 80 columns it is not cut
# off: the sign-off came from the operator's own login.
assert_text "^ signed by the operator's own login \\($(id -un)\\): dana approved as Engineering Lead"
assert_text '^ \? help q quit Tab pane m note > next$'

# The approval opens the gate.
keys '>'
assert_fixed '✓ approve  ▶ execute'
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "rewind verify failed"
pass "remote approval shown in the console"
