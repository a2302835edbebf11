#!/bin/sh
# The approver's name field: a refusal (the operator's own name) shows
# under the field, and goes as soon as the name is corrected, before
# Enter; a name still refused says so again as it is typed.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/sign.json
cat >"$PB" <<'EOF2'
{
  "id": "sign",
  "title": "Sign",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.sign", "kind": "approve", "title": "Lead signs",
        "roles": [ { "role": "Lead", "count": 1 } ] } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF2

start_app -x 80 -y 24 run "$PB" --session-dir "$SCREEN_TMP/s" --operator olga
wait_text 'q quit' 5
keys a
wait_text 'Which role is approving' 5
keys Enter				# Lead
wait_text "Approver's name" 5
type_text olga
keys Enter
wait_text 'the operator cannot approve' 5
keys BSpace
wait_gone 'the operator cannot approve' 5
keys BSpace BSpace BSpace
type_text bob
refute_text 'the operator cannot approve'
keys C-u				# emptied: nothing stale either
refute_text 'the operator cannot approve|type the'
type_text olga				# the operator's name again: told at once
wait_text 'the operator cannot approve' 5
keys Escape
wait_gone "Approver's name" 5
keys q
keys_nowait Enter
wait_exit
pass "the approver's name field drops a refusal once the name changes"
