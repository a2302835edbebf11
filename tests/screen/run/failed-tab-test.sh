#!/bin/sh
# A run that fails while another side tab shows says which key reaches
# the Step tab that says why (the key comes from the action table).
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
start_app -x 120 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator olga
keys ']'
wait_text '\[Output\]'
keys Enter
wait_text 'a\.fail failed \(the Step tab says why: press \] until it shows\)' 10
keys_nowait q
keys_nowait Enter
wait_exit
pass "a failure behind another tab names the key to the Step tab"
