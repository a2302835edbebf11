#!/bin/sh
# The console resumed under another --operator says so on its first status
# line (the change is journalled); an approver whose sign-off covers steps
# not yet run cannot take over (the session does not open for her).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "operator-change",
  "title": "Who runs what was approved",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "Sign the rollback",
        "roles": [ { "role": "Release Manager", "count": 1 } ], "gates": ["execute"] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

SESSION_DIR=$SCREEN_TMP/s
printf 'tick a.look\nnext\nnext\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator alice --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
run_rewind approve "$SESSION_DIR" p.sign --role 'Release Manager' --as dana --yes \
	>"$SCREEN_TMP/approve.out" 2>&1 || fail "dana's approval failed: $(cat "$SCREEN_TMP/approve.out")"
# dana signed: she cannot drive it.
printf 'quit\n' | run_rewind drill "$SESSION_DIR" --batch --operator dana \
	>"$SCREEN_TMP/dana.out" 2>&1 && fail "the session opened for dana"
grep -qF 'dana approved p.sign as Release Manager, and that sign-off covers e.do, not yet run' \
	"$SCREEN_TMP/dana.out" || fail "no refusal naming the approval: $(cat "$SCREEN_TMP/dana.out")"
# erin takes over: the console says so.
start_app drill "$SESSION_DIR" --operator erin
wait_text 'the operator changed from alice to erin \(journalled\)'
grep -q '"type":"session.operator_changed"' "$SESSION_DIR/journal.jsonl" ||
	fail "the change was not journalled"
keys_nowait q
pass "a change of operator is shown; the approver cannot take over"
