#!/bin/sh
# A done destructive step whose variable changes after its run is
# reopened ("ran with other values", naming the variable and both
# values), and so is the check ticked after it; both are journalled as
# step.reopened; a re-run asks for the confirmation of the new values.
# A failed run then marked n/a still reads FAILED in the step pane.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app -x 100 -y 26 run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var PUSH_CMD=/bin/echo
keys '>' '>' '>'
keys Enter
type_text 'push 1.2.3'
keys Enter
wait_text 'e\.push done'
keys j Space
assert_fixed 'Checklist: execute  2/2'

keys s
keys Enter
keys C-u
type_text 1.2.4
keys Enter
wait_text 'e\.push reopened: ran with other values: VERSION was 1\.2\.3, now 1\.2\.4'
assert_fixed 'Checklist: execute  0/2'
assert_text '^\[ \] Push the release +reopened'
assert_text '^\[ \] Release pushed +reopened'
grep '"type":"step.reopened"' "$SESSION_DIR/journal.jsonl" | grep '"step":"e.push"' |
	grep -q '"reason":"ran with other values: VERSION was 1.2.3, now 1.2.4"' ||
	fail "no step.reopened for e.push naming VERSION and both values"
grep '"type":"step.reopened"' "$SESSION_DIR/journal.jsonl" | grep '"step":"e.done"' |
	grep -q '"after":"e.push"' || fail "the check ticked after e.push was not reopened"
keys g
assert_fixed 'Reopened: ran with other values: VERSION was 1.2.3,'
keys Enter
assert_fixed 'Type push 1.2.4 to run it.'
keys Escape

# The same value again reopens nothing more.
n=$(journal_count step.reopened)
keys s
keys Enter
keys C-u
type_text 1.2.4
keys Enter
[ "$(journal_count step.reopened)" = "$n" ] || fail "setting the same value reopened again"

# A failed run, then marked n/a: it still reads FAILED.
keys s
keys j Enter
keys C-u
type_text /bin/false
keys Enter
keys g Enter
type_text 'push 1.2.4'
keys Enter
wait_text 'e\.push failed'
keys x
wait_text 'Mark required step e\.push'	# a required step: asked first
keys y					# one key answers
wait_text 'Why does this step not apply'
type_text 'checked by hand'
keys Enter
assert_fixed 'Last run: FAILED: exit status 1, expected 0 (then'
refute_fixed 'Last run: ok'
keys_nowait q
keys_nowait Enter
wait_exit
run_rewind report "$SESSION_DIR" >"$SCREEN_TMP/report.md" 2>&1
grep -q 'reopened e.push: ran with other values: VERSION was 1.2.3, now 1.2.4' \
	"$SCREEN_TMP/report.md" || fail "the report's timeline does not say e.push was reopened"
pass "a done step run with other values is reopened with its checks; a failed n/a run reads FAILED"
