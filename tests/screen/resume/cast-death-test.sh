#!/bin/sh
# A run whose console dies (SIGKILL) leaves a valid asciicast: its header
# and every output line the console had read before it died. (The cast
# was once buffered in memory and left empty, 0 bytes.) The command waits
# for a file the test creates: no fixed sleeps.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
require_cmd python3 "to check the cast is valid JSON lines"

SESSION_DIR=$SCREEN_TMP/session
cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "cast-death",
  "title": "The console dies mid-run",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.talk", "kind": "run", "title": "talk", "timeout": "120s",
        "run": "printf '%s-%s\\n' before death; i=0; while [ ! -e gate ] && [ $i -lt 15000 ]; do sleep 0.02; i=$((i+1)); done" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
trap ': >"$SCREEN_TMP/gate"' EXIT

# The pid of rewind in the pane: the child of the pane's shell.

start_app -x 100 -y 30 run --session-dir "$SESSION_DIR" --operator olga \
	"$SCREEN_TMP/pb.json"
n=0
until screen_text | grep -qF '[Output]'; do
	[ "$n" -lt 8 ] || fail "no [Output] tab after 8 presses of ]"
	keys ']'
	n=$((n + 1))
done
keys Enter
# The console has read the line: it is on screen.
wait_text 'before-death' 10
rpid=$(app_pid) || fail "cannot find rewind's pid"
kill -KILL "$rpid"
wait_for 'test ! -e "/proc/$rpid"'
grep -q '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" &&
	fail "the run ended before the console was killed"
cast=$SESSION_DIR/output/a.talk-1.cast
[ -s "$cast" ] || fail "the cast is empty after the console died"
python3 - "$cast" <<'PY' || fail "the cast is not a valid asciicast: $(cat "$cast")"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = json.loads(lines[0])
assert head["version"] == 2 and "before death" in head["command"], head
events = [json.loads(l) for l in lines[1:]]
assert any(e[1] == "o" and "before-death" in e[2] for e in events), events
PY
pass
