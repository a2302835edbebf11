#!/bin/sh
# One stray x never marks a required step n/a: the console asks first
# ("Mark required step ... n/a? it will not run; y/N"); anything but y
# leaves it open, y goes on to the reason. An optional step is asked only
# for the reason. The same key on a step marked n/a reopens it.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "na-required-test", "title": "A required step",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.move", "kind": "run", "title": "Move latest back",
        "run": "echo moved", "destructive": true, "confirm": "move it",
        "drill": { "output": "moved" } },
      { "id": "a.opt", "kind": "check", "title": "Optional look",
        "required": false } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] }, { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
journal=$SESSION_DIR/journal.jsonl
start_app -x 120 -y 30 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator sam
wait_text 'Move latest back' 5
keys g
keys x
wait_text 'Mark required step a.move \(Move latest back\) n/a\? it will not run' 3
assert_fixed 'y/N'
keys Enter				# not an answer: ignored, with a hint
wait_text 'answer y for yes, n \(or Esc\) for no' 3
[ "$(journal_count step.na)" = 0 ] || fail "Enter at the question marked a.move n/a"
keys n					# one key answers
wait_text 'a.move not marked n/a' 3
[ "$(journal_count step.na)" = 0 ] || fail "n at the question marked a.move n/a"
keys x
wait_text 'Mark required step a.move' 3
keys Escape
wait_gone 'Mark required step' 3
[ "$(journal_count step.na)" = 0 ] || fail "Esc at the question marked a.move n/a"
keys x
wait_text 'Mark required step a.move' 3
keys y					# one key answers
wait_text 'Why does this step not apply\?' 3
type_text 'not this time'
keys Enter
wait_for '[ "$(journal_count step.na a.move)" = 1 ]' 3
# The same key on a step marked n/a reopens it (step.reopened).
keys x
wait_text 'a.move is marked n/a \(not this time\)\. Reopen it' 3
type_text 'stray x'
keys Enter
wait_for '[ "$(journal_count step.reopened a.move)" = 1 ]' 3
wait_text 'a.move reopened' 3
grep '"type":"step.reopened"' "$journal" | grep -q 'stray x' ||
	fail "the reopening is journalled without its reason"
wait_text '\[ \] Move latest back' 3
assert_fixed 'Enter asks you to type' "the reopened step is not to run again"
keys x
wait_text 'Mark required step a.move' 3
keys Escape
# An optional step: straight to the reason.
keys j
wait_text 'a.opt' 3
keys x
wait_text 'Why does this step not apply\?' 3
refute_fixed 'Mark required step' "an optional step was asked as a required one"
keys Escape
pass "marking a required step n/a asks first"
