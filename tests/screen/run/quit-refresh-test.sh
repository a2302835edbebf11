#!/bin/sh
# The Quit dialog tells the truth while it is open: opened while a command
# runs, it names the step still running; when that run ends under the
# open dialog, the text changes to the plain quit question (never "X is
# still running" after X finished). The command waits for a file the
# test creates (no fixed sleeps).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "quit-refresh",
  "title": "Quit while a command runs",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.slow", "kind": "run", "title": "Slow command",
        "run": "i=0; while [ ! -e gate ] && [ $i -lt 1500 ]; do sleep 0.02; i=$((i+1)); done; echo slow done",
        "timeout": "60s" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 160 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator olga
keys Enter
wait_text 'a\.slow started'
keys q
wait_text 'a\.slow is still running: its command goes on' 5
: >"$SCREEN_TMP/gate"
wait_text 'The session stays resumable' 10
refute_fixed 'is still running'
assert_fixed 'Quit the live console'
keys_nowait Enter
wait_exit
[ "$(journal_count step.finished a.slow)" = 1 ] || fail "a.slow did not end before the quit"

# The terminal closes (SIGHUP) while the command runs: the report's
# timeline and replay --print say how the console ended and what ran.
rm -f "$SCREEN_TMP/gate"
SESSION_DIR=$SCREEN_TMP/hup
start_app -x 160 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator olga
keys Enter
wait_text 'a\.slow started'
fresh_server
wait_for 'grep -q "\"type\":\"session.quit\"" "$SESSION_DIR/journal.jsonl"' 10
: >"$SCREEN_TMP/gate"
run_rewind report "$SESSION_DIR" -o "$SCREEN_TMP/hup.md" >/dev/null 2>&1 || fail "rewind report failed"
grep -q 'the console ended on SIGHUP (the terminal closed) while a\.slow (pid [0-9]*) ran' "$SCREEN_TMP/hup.md" ||
	fail "the report does not say how the console ended: $(grep -i 'console\|resum' "$SCREEN_TMP/hup.md" | head -3)"
run_rewind replay "$SESSION_DIR" --print >"$SCREEN_TMP/hup.txt" 2>&1 || fail "rewind replay --print failed"
grep -q 'the console ended on SIGHUP (the terminal closed) while a\.slow (pid [0-9]*) ran' "$SCREEN_TMP/hup.txt" ||
	fail "replay --print does not say how the console ended: $(grep -i 'quit\|left' "$SCREEN_TMP/hup.txt" | head -3)"
pass "the Quit dialog stops naming a run once it has ended; a SIGHUP quit is told with what ran"
