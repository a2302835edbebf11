#!/bin/sh
# An interactive step's stderr reaches the terminal as the command wrote
# it (not console.log), and when it fails the status line says failed,
# never done.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "interactive-stderr",
  "title": "An interactive login",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.login", "kind": "run", "title": "log in", "interactive": true,
        "run": "echo 'notice: log in on the registry' >&2; printf 'Username: '; read x; echo 'error: canceled' >&2; read y; exit 1" }
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
keys_nowait Enter
wait_text 'Username:' 10
assert_fixed 'notice: log in on the registry'
tm send-keys -t "$SCREEN_TARGET" -l x
keys_nowait Enter
wait_text 'error: canceled' 10
keys_nowait Enter
wait_for 'grep -q "\"type\":\"step.finished\"" "$SESSION_DIR/journal.jsonl"' 10
wait_text 'a\.login failed'
refute_text 'a\.login done'
grep -q 'canceled' "$SESSION_DIR/console.log" 2>/dev/null &&
	fail "the step's stderr went to console.log"
pass "an interactive step's stderr reaches the terminal; its failure is called failed"
