#!/bin/sh
# A filled input step says who set its value and when, as approvals say
# who signed: in the console's step pane (an input filled with Enter, a
# value set again with s, a --var on resume by another operator), in
# replay's step pane, and in the report's inputs; a value set again shows
# the latest, with how many times it was set (the Journal tab has each).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
PLAYBOOK=$REWIND_SRCDIR/tests/fixtures/playbooks/screen-wide.json
HMS='[0-9]{2}:[0-9]{2}:[0-9]{2}'

start_app -x 120 -y 30 run "$PLAYBOOK" --session-dir "$SESSION_DIR" --operator sam
keys j Enter
keys C-u
type_text 1.2.3
keys Enter
wait_text '^\[✓\] 版を選ぶ'
assert_text '│ value: 1\.2\.3$'
assert_text "│ set by sam at $HMS\$" "the filled input does not say who set it and when"
refute_text 'set [0-9]+ times'

# Set again with s: the latest value and who, and that it was set twice.
keys s
keys Enter
keys C-u
type_text 1.2.4
keys Enter
assert_text '│ value: 1\.2\.4$'
assert_text "│ set by sam at $HMS\$"
assert_text '│ set 2 times; the Journal tab has each$' "a value set again does not say so"
keys_nowait q
wait_text 'Quit'
keys_nowait Enter
wait_exit

# Resumed with --var: the value given on the command line, by the operator.
start_app -x 120 -y 30 run "$SESSION_DIR" --var RESTORE_VERSION=1.2.5
keys j
assert_text '│ value: 1\.2\.5$'
assert_text "│ set by sam at $HMS\$" "a --var value does not say who gave it"
assert_text '│ set 3 times; the Journal tab has each$'
keys_nowait q
wait_text 'Quit'
keys_nowait Enter
wait_exit

# Replay's step pane, at the end of the journal.
start_app -x 120 -y 30 replay "$SESSION_DIR"
keys G j
assert_text '│ value: 1\.2\.5$'
assert_text "│ set by sam at $HMS\$" "replay's step pane does not say who set the value"
keys_nowait q
wait_exit

# The report's inputs.
run_rewind report "$SESSION_DIR" -o "$SCREEN_TMP/report.md" >/dev/null 2>&1 ||
	fail "rewind report failed"
grep -qE '^\| RESTORE_VERSION \| 1\.2\.5 \| sam \| [0-9-]+T[0-9:]+Z \| 3 \|$' "$SCREEN_TMP/report.md" ||
	{ grep -A8 '## Inputs' "$SCREEN_TMP/report.md"; fail "the report's inputs do not say who set RESTORE_VERSION, when and how often"; }
pass "filled inputs say who set them and when, live, in replay and in the report"
