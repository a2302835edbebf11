#!/bin/sh
# A step passed by because its "when" did not hold is n/a by its
# condition, not by a person: its checklist row says "n/a (condition:
# ...)" and names nobody.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "na-condition",
  "title": "n/a by condition",
  "variables": { "RESPONSE": { "prompt": "response", "default": "fix" } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [
      { "id": "c.told", "kind": "check", "title": "Told the team" },
      { "id": "c.rolled", "kind": "check", "title": "Announced the rollback",
        "when": { "RESPONSE": "rollback" } }
    ] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
printf 'next\nnext\nnext\nnext\nnext\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
start_app -x 200 -y 20 drill "$SESSION_DIR"
wait_text 'Told the team'
keys Space '>'
wait_text 'COMPLETE'
wait_text "session complete"
assert_fixed 'Announced the rollback' "the row is gone"
assert_text 'Announced the rollback +n/a \(condition: RESPONSE is rollback\)' \
	"the row does not say it is n/a by its condition"
refute_text 'Announced the rollback.*sam' "the row names a person"
keys_nowait q
pass "a step n/a by its condition names its condition, not a person"
