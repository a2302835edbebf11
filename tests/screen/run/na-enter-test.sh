#!/bin/sh
# Enter on a destructive step marked n/a says why in the status line and
# opens no dialog (no typed confirmation asked, then refused); its step
# pane says it does not run instead of "Enter asks you to type ...".
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "na-enter-test", "title": "An n/a destructive step",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.move", "kind": "run", "title": "Move latest back",
        "run": "echo moved", "destructive": true, "confirm": "move it",
        "drill": { "output": "moved" } },
      { "id": "a.look", "kind": "check", "title": "Looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] }, { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] }
  ]
}
JSON
printf 'na a.move stray key\nquit\n' | run_rewind run "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SCREEN_TMP/s" --operator sam >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"type":"step.na"' "$SCREEN_TMP/s/journal.jsonl" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the prefix did not mark a.move n/a"; }
start_app -x 120 -y 30 run "$SCREEN_TMP/s"
wait_text 'Move latest back' 5
keys g
wait_text 'a.move' 3
assert_fixed 'DESTRUCTIVE (marked n/a: it does not run)'
refute_fixed 'Enter asks you to type' "the pane of an n/a step offers the confirmation"
keys Enter
wait_text 'a.move is marked n/a \(stray key\)' 3
refute_fixed 'Confirm:' "Enter on an n/a step opened the typed confirmation"
refute_fixed 'Type move it' "Enter on an n/a step asked for the confirmation"
pass "Enter on an n/a destructive step says why and opens no dialog"
