#!/bin/sh
# An interactive step hands the terminal over and records nothing of what
# it prints: its step.started names no cast file (it once named one that
# was never written) and says it was interactive; the Output tab and the
# step pane say its output went to the terminal and was not recorded.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "interactive",
  "title": "An interactive step",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.ask", "kind": "run", "title": "ask", "interactive": true,
        "run": "printf 'answer> '; read x; echo \"got-$x\"" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

start_app -x 100 -y 30 run --session-dir "$SESSION_DIR" --operator olga \
	"$SCREEN_TMP/pb.json"
# The console is suspended while the step has the terminal: no waiting
# for its idle counter until it is back.
keys_nowait Enter
wait_text 'answer>' 10
tm send-keys -t "$SCREEN_TARGET" -l yes
keys_nowait Enter
wait_for 'grep -q "\"type\":\"step.finished\"" "$SESSION_DIR/journal.jsonl"' 10
wait_idle
start=$(grep '"type":"step.started"' "$SESSION_DIR/journal.jsonl")
case $start in
*'"output":'*) fail "step.started names a cast file: $start" ;;
esac
case $start in
*'"interactive":true'*) ;;
*) fail "step.started does not say it was interactive: $start" ;;
esac
[ -z "$(ls "$SESSION_DIR/output" 2>/dev/null)" ] ||
	fail "a cast was left for the interactive run: $(ls "$SESSION_DIR/output")"
tab Output
assert_fixed 'a.ask  started'
assert_fixed '(its output goes to the terminal, not recorded)'
assert_fixed 'a.ask  exit 0'
# The step pane says so too.
tab Step
assert_fixed 'interactive: its output went to the terminal and'
pass
