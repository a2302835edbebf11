#!/bin/sh
# In the wide layout (120x40), where the step pane always shows and no
# Step tab exists, a failed run (with another side tab showing) points at
# the step pane, never at a "Step tab" (before: "the Step tab says why:
# press ] until it shows").
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "failed-tab",
  "title": "A failing run",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.fail", "kind": "run", "title": "Fails", "run": "echo no; exit 3" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 120 -y 40 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator olga
keys "]"
keys Enter
wait_text 'a\.fail failed \(see the step pane\)' 10
refute_text 'Step tab' "the status line names a tab that does not exist"
keys_nowait q
keys_nowait Enter
wait_exit
pass "a failure in the wide layout points at the step pane"
