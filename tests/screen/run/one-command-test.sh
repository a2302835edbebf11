#!/bin/sh
# One command at a time unless the playbook says otherwise: while a slow
# command runs, j Enter on another run step is refused with a status line
# naming the step still running, and nothing starts; once it has ended the
# other step runs. Two steps both marked "parallel": true run together.
# The slow commands wait for a file the test creates (no fixed sleeps).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

# write_playbook FILE PARALLEL: two slow run steps, both marked
# "parallel" when PARALLEL is true (without the key otherwise).
write_playbook() {
	par=
	[ "$2" = true ] && par='"parallel": true,'
	cat >"$1" <<JSON
{
  "id": "one-command",
  "title": "One command at a time",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.slow", "kind": "run", "title": "Slow command",
        "run": "i=0; while [ ! -e gate ] && [ \$i -lt 1500 ]; do sleep 0.02; i=\$((i+1)); done; echo slow done",
        $par "timeout": "60s", "drill": { "output": "slow done" } },
      { "id": "a.next", "kind": "run", "title": "Next command",
        "run": "i=0; while [ ! -e gate ] && [ \$i -lt 1500 ]; do sleep 0.02; i=\$((i+1)); done; echo next done",
        $par "timeout": "60s", "drill": { "output": "next done" } }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
}

# --- one at a time ----------------------------------------------------------------
write_playbook "$SCREEN_TMP/one.json" false
SESSION_DIR=$SCREEN_TMP/one
start_app -x 160 run "$SCREEN_TMP/one.json" --session-dir "$SESSION_DIR" --operator olga
keys Enter
wait_text 'a\.slow started'
keys j Enter
wait_text 'Not run: step a\.slow is still running; one command runs at a time'
[ "$(journal_count step.started a.next)" = 0 ] || fail "a.next started while a.slow ran"
[ "$(journal_count action.refused a.next)" = 1 ] || fail "the refusal is not journalled"
assert_fixed 'only steps both marked "parallel": true run together'
# q while a command runs names it: it goes on without the console.
keys q
wait_text 'a\.slow is still running: its command goes on' 5
keys Escape
: >"$SCREEN_TMP/gate"
wait_text 'a\.slow done' 10
keys Enter
wait_text 'a\.next done' 10
[ "$(journal_count step.started a.next)" = 1 ] || fail "a.next did not run once a.slow had ended"
keys q
wait_text 'Quit the live console'
keys_nowait Enter
wait_exit
rm -f "$SCREEN_TMP/gate"

# --- both marked parallel: they run together ----------------------------------------
fresh_server
write_playbook "$SCREEN_TMP/both.json" true
SESSION_DIR=$SCREEN_TMP/both
start_app -x 160 run "$SCREEN_TMP/both.json" --session-dir "$SESSION_DIR" --operator olga
keys Enter
wait_text 'a\.slow started'
keys j Enter
wait_text 'a\.next started'
[ "$(journal_count step.started a.next)" = 1 ] || fail "a.next did not start beside a.slow"
[ "$(journal_count step.finished a.slow)" = 0 ] || fail "a.slow ended before the gate opened"
refute_fixed 'still running; one command'
: >"$SCREEN_TMP/gate"
wait_for '[ "$(journal_count step.finished a.slow)" = 1 ] && [ "$(journal_count step.finished a.next)" = 1 ]' 10
wait_text '2/2' 5
keys q
wait_text 'Quit the live console'
keys_nowait Enter
wait_exit
pass "a second command is refused while one runs; parallel steps run together"
