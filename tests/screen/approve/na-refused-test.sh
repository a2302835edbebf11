#!/bin/sh
# x on an approve step is refused at once with the reason (an approval is
# signed, never marked n/a) before any question is asked; a step already done is refused at once
# too. Nothing is journalled as n/a.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "na-refused",
  "title": "Approvals are never n/a",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "Sign the rollback", "required": true,
        "roles": [ { "role": "Release Manager", "count": 1 } ] },
      { "id": "p.read", "kind": "check", "title": "Read the plan" }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
printf 'tick a.look\nnext\nnext\ntick p.read\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator ic --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }

start_app -x 200 -y 30 drill "$SESSION_DIR" --operator ic
wait_text 'Sign the rollback'
keys g x				# the checklist
wait_text 'an approval is signed, never marked n/a'
refute_fixed 'Why does this step not apply' "x on an approval asked for a reason"
refute_fixed 'Mark required step' "x on an approval asked whether to mark it"
keys j x				# a done step: refused at once too
wait_text 'Not marked n/a: the step is done'
refute_fixed 'Why does this step not apply' "x on a done step asked for a reason"
[ "$(journal_count step.na)" = 0 ] || fail "a step was marked n/a"
keys_nowait q
pass "x on an approval (or a done step) is refused at once, with the reason"
