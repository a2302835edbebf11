#!/bin/sh
# Quit mid-walk and resume: q in a drill quits at once and prints how to
# resume; the command it prints reopens the session with the earlier
# ticks shown, each with who and when; the walk then finishes from there
# and the journal verifies.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SESSION_DIR" --operator sam
keys Enter				# run assess.status
keys j Enter				# run assess.tags
keys G Space				# tick assess.ticket
assert_fixed 'Checklist: assess  3/5'

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
resume_line=$(screen_text -J | grep '^rewind: session saved')
[ "$resume_line" = "rewind: session saved; resume it with: rewind drill $SESSION_DIR" ] ||
	fail "unexpected exit line: $resume_line"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "the saved journal does not verify"

# Reopen exactly as told (no --operator: the session knows who drives).
start_app drill "$SESSION_DIR"
expect_screen resumed <<'EOF'
 DRILL  TEST MODE  Example: roll a web service ba…  1.4.0 → ?  MmSSs of 10m RTO
 ▶ assess MmSSs of 2m  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  3/5             │[Step]  Out   Jrnl   Tgt   Tags   Reg
[✓] See what is deployed … sam hh:mm│ Rate the severity
[✓] List the most recent … sam hh:mm│ assess.severity  input  open
[ ] Rate the severity               │ Variable SEVERITY
[ ] Estimate the impact             │ Incident severity (P0 critical outage
[✓] Incident ticket opene… sam hh:mm│ ... P3 cosmetic)
                                    │ must match: P[0-3]
                                    │ value: (unset)
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
 resumed at assess.severity; drill: nothing real is run: press ? for help
 Enter act x n/a ? help q quit Tab pane m note
EOF
# "when" is the time of the tick: 19:30 on the test clock.
assert_fixed '[✓] Incident ticket opene… sam 19:30'
[ "$(journal_count session.resumed)" = 1 ] || fail "no session.resumed in the journal"
# The Journal tab shows the session's journal, including what happened
# before the resume, not only the events since: the earlier events, then
# session.resumed at the end (at 80x24 the step column is cut at the
# pane's edge).
keys ']' ']'
assert_fixed '[Journal]'
expect_screen resumed-journal 3 13 <<'EOF'
 Checklist: assess  3/5             │ Step   Out  [Journal]  Tgt   Tags   Reg
[✓] See what is deployed … sam hh:mm│ hh:mm:ss session.started
[✓] List the most recent … sam hh:mm│ hh:mm:ss var.set              CURRENT_VERS
[ ] Rate the severity               │ hh:mm:ss step.started         assess.statu
[ ] Estimate the impact             │ hh:mm:ss step.finished        assess.statu
[✓] Incident ticket opene… sam hh:mm│ hh:mm:ss step.started         assess.tags
                                    │ hh:mm:ss step.finished        assess.tags
                                    │ hh:mm:ss step.ticked          assess.ticke
                                    │ hh:mm:ss session.quit
                                    │ hh:mm:ss session.resumed
                                    │
EOF
keys '[' '['
assert_fixed '[Step]'

# Finish the walk from where it stopped: the resume selected the first
# open step.
keys Enter				# input SEVERITY
type_text P1
keys Enter
keys j Enter				# input IMPACT
type_text some
keys Enter
assert_fixed 'Checklist: assess  5/5'
keys '>' Enter				# decide: P1/some recommends rollback
keys j					# a drill selects nothing for you
assert_fixed '▸ rollback: Roll back to the last good tag'
keys Enter
type_text "resumed walk"
keys Enter
keys j Enter
type_text 1.3.2
keys Enter
keys '>' Enter				# approve: role, then name (each key once
keys Enter				# its dialog is drawn: type-ahead is dropped)
type_text dana
keys Enter
keys Enter				# no comment
assert_fixed '[✓] Engineering lead sig… dana '
keys '>' Enter
type_text 1.3.2
keys Enter j Enter
type_text 'restart run/service.pid'
keys Enter
assert_fixed 'Checklist: execute  2/2'
keys '>' Enter j Space
keys '>' Enter
keys Enter j Space
keys '>'
assert_fixed '✓ communicate  COMPLETE'

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
screen_text -J | grep -qxF "rewind: session complete; journal in $SESSION_DIR/journal.jsonl" ||
	fail "no completion line"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "rewind verify failed"
[ "$(journal_count step.started assess.status)" = 1 ] ||
	fail "assess.status ran again after the resume"
pass "ticks survive quit and resume; the walk finishes"
