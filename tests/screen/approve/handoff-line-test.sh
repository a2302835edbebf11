#!/bin/sh
# The approver's command is longer than the step pane is wide, so the pane
# wraps it and a mouse selection there would break it. Y (from the action
# table) shows it on one line of the plain terminal, which wraps it itself
# (a selection copies it whole), until Enter brings the console back; the
# pane names both keys.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "handoff-line",
  "title": "Hand-off on one line",
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

SESSION_DIR=$SCREEN_TMP/a-session-directory-with-a-rather-long-name
printf 'tick a.look\nnext\nnext\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }
LINE="rewind approve $SESSION_DIR p.sign --role 'Release Manager'"

start_app drill "$SESSION_DIR" --operator sam
wait_text 'Sign the rollback'
wait_text 'y copies it, Y shows'
screen_text -J | grep -qF -- "$LINE" &&
	fail "the pane held the line whole: this test needs it wrapped there"
keys_nowait Y
wait_text 'Press Enter \(or Esc\) to go back to the console'
screen_text -J | grep -qxF -- "$LINE" ||
	fail "the command is not on one (terminal-wrapped) line: $(screen_text -J)"
# Who it signs as, and --as NAME for another name, as README says.
screen_text -J | grep -qF "It signs with the approver's login name. To sign under another name, the approver adds --as NAME" ||
	fail "Y does not say who signs or offer --as NAME: $(screen_text -J)"
keys_nowait Enter
wait_text 'Sign the rollback'
wait_idle
app_alive || fail "the console did not come back"
# Esc goes back too, and prints no ^[ on the plain terminal.
keys_nowait Y
wait_text 'Press Enter \(or Esc\) to go back to the console'
keys_nowait Escape
wait_text 'Sign the rollback'
wait_idle
refute_fixed '^[' "Esc printed ^[ instead of going back"
app_alive || fail "the console did not come back after Esc"
pass
