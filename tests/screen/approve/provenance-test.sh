#!/bin/sh
# A name typed at the operator's own console for someone else: the last
# question before Enter signs says the sign-off is recorded as entered at
# the operator's console (with the real login), and once signed the step
# pane and the journal say so too.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "provenance",
  "title": "Where a sign-off was entered",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "Sign the rollback",
        "roles": [ { "role": "Release Manager", "count": 1 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

SESSION_DIR=$SCREEN_TMP/s
printf 'tick a.look\nnext\nnext\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator ic --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }
LOGIN=$(id -un)

start_app -x 120 -y 30 drill "$SESSION_DIR" --operator ic
wait_text 'Sign the rollback'
keys a
wait_text 'Which role is approving'
keys Down Enter
wait_text "Approver's name"
type_text dana
keys Enter
wait_text "It is recorded as entered at"
assert_fixed "ic's console (login $LOGIN), not signed by dana elsewhere"
[ "$(journal_count approval.granted)" = 0 ] || fail "signed before Enter"
keys Enter
wait_text 'dana approved as Release Manager'
wait_idle
assert_text '✓ dana at [0-9]{2}:[0-9]{2}:[0-9]{2}' "the pane does not name dana"
assert_fixed "      entered at ic's console" \
	"the pane does not say where dana's sign-off was entered"
python3 - "$LOGIN" "$SESSION_DIR/journal.jsonl" <<'PY' ||
import json, sys
login, path = sys.argv[1:]
ok = False
for line in open(path):
    e = json.loads(line)
    if e.get("type") != "approval.granted":
        continue
    p = e["payload"].get("provenance") or {}
    ok = (p.get("via") == "console" and p.get("login") == login and
          p.get("operator") == "ic" and
          str(p.get("tty", "")).startswith("/dev/"))
sys.exit(0 if ok else 1)
PY
	fail "the journal lacks the console provenance: $(grep approval.granted "$SESSION_DIR/journal.jsonl")"
keys_nowait q
pass "a sign-off typed at the operator's console is shown and journalled as entered there"
