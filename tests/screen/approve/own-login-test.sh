#!/bin/sh
# A sign-off given with rewind approve from another terminal by the same
# login as the operator's console (the operator's own login signing as
# dana) is not refused (a shared account is possible) but flagged: in the
# status line, the step pane, the report and the replay, and journalled
# in the provenance.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "own-login",
  "title": "Signed by the operator's own login",
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
LOGIN=$(id -un)
printf 'tick a.look\nnext\nnext\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator ic --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }

start_app -x 140 -y 30 drill "$SESSION_DIR" --operator ic
wait_text 'Sign the rollback'
keys j
run_rewind approve "$SESSION_DIR" p.sign --role "Release Manager" --as dana --yes \
	>"$SCREEN_TMP/approve.out" 2>&1 || fail "rewind approve refused: $(cat "$SCREEN_TMP/approve.out")"
wait_text "signed by the operator's own login"
wait_idle
assert_fixed "signed by the operator's own login ($LOGIN): dana approved as Release Manager (from another terminal)" \
	"the status line does not flag it"
assert_fixed "signed with rewind approve; signed as dana by login $LOGIN" \
	"the step pane does not flag it"
python3 - "$LOGIN" "$SESSION_DIR/journal.jsonl" <<'PY' ||
import json, sys
login, path = sys.argv[1:]
ok = False
for line in open(path):
    e = json.loads(line)
    if e.get("type") != "approval.granted":
        continue
    p = e["payload"].get("provenance") or {}
    ok = (p.get("via") == "rewind approve" and p.get("login") == login and
          p.get("operator_login") == login and p.get("own_login") is True)
sys.exit(0 if ok else 1)
PY
	fail "the journal does not flag the operator's own login: $(grep approval.granted "$SESSION_DIR/journal.jsonl")"
# A refused try from the same login reads as a refusal first, never as
# "signed by the operator's own login".
if run_rewind approve "$SESSION_DIR" p.sign --role "Release Manager" --as "$(printf '\341\264\211c')" \
	--yes >"$SCREEN_TMP/refused.out" 2>&1; then
	fail "the operator's look-alike signed: $(cat "$SCREEN_TMP/refused.out")"
fi
wait_text "refused: tried by the operator's own login"
wait_idle
assert_text "^ refused: tried by the operator's own login \\($LOGIN\\): " \
	"the status line does not start with the refusal"
refute_text "signed by the operator's own login .*refused" \
	"a refusal reads as a sign-off"
keys_nowait q
run_rewind report "$SESSION_DIR" -o "$SCREEN_TMP/report.md" >/dev/null 2>&1
grep -F "| dana |" "$SCREEN_TMP/report.md" |
	grep -qF "signed as dana by login $LOGIN, the operator's own login" ||
	fail "the report does not flag it: $(grep -F '| dana |' "$SCREEN_TMP/report.md")"
pass "a sign-off by the operator's own login from another terminal is flagged"
