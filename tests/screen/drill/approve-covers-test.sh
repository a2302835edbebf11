#!/bin/sh
# Signing in the console of a drill, as a trainee meets it: the name
# question names the people the game master plays for the role (no other
# sign-off counts), and the last question, before Enter signs, shows what
# the sign-off covers (the gated steps and commands, destructive marked),
# as the watch pane does. A sign-off by someone else is flagged in the
# step pane as soon as it is given ("not counted in this drill"), not first
# on the score card.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "approve-covers-test",
  "title": "Sign-off in a drill",
  "drill": { "approvers": { "Release Manager": ["dana"] } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "Release manager signs", "gates": ["execute"],
        "roles": [ { "role": "Release Manager", "count": 1 } ] } ] },
    { "id": "execute", "steps": [
      { "id": "e.push", "kind": "run", "title": "Move latest back", "run": "echo moved-latest",
        "destructive": true, "confirm": "move", "drill": { "output": "moved" } } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/session
printf 'next\nnext\nquit\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam >"$SCREEN_TMP/prefix.out" 2>&1

start_app -x 120 -y 36 drill "$SESSION_DIR"
wait_text 'Release manager signs' 5
keys a
wait_text 'Release Manager' 5
keys Enter
wait_text "the drill's approvers for Release Manager: dana" 5
type_text dana
keys Enter
wait_text 'covers what is shown' 5
assert_fixed 'the sign-off of dana (Release Manager)'
assert_fixed 'e.push'
assert_text 'DESTRUCTIVE|destructive'
grep -q '"type":"approval.granted"' "$SESSION_DIR/journal.jsonl" &&
	fail "the approval was recorded before Enter"
keys Enter
wait_for 'grep -q "\"type\":\"approval.granted\"" "$SESSION_DIR/journal.jsonl"' 5
refute_fixed 'not counted in this drill'

# Someone the game master does not play: the sign-off is taken, and the
# step pane says at once that the score card will not count it.
keys_nowait q
wait_exit
fresh_server
SESSION_DIR=$SCREEN_TMP/session2
printf 'next\nnext\nquit\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam >"$SCREEN_TMP/prefix2.out" 2>&1
start_app -x 120 -y 36 drill "$SESSION_DIR"
wait_text 'Release manager signs' 5
keys a
wait_text 'Release Manager' 5
keys Enter
type_text bob
keys Enter
wait_text 'covers what is shown' 5
keys Enter
wait_for 'grep -q "\"type\":\"approval.granted\"" "$SESSION_DIR/journal.jsonl"' 5
wait_text "not counted in this drill: not one of the drill's approvers" 5
pass "the console's sign-off names the drill's approvers and shows what it covers; an unlisted one is flagged at once"
