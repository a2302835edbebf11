#!/bin/sh
# While a step runs again, its pane shows the run under way ("This run
# (run 2): running"), not the previous run's FAILED line and output (it
# once kept "Last run: ... FAILED" and the old tail until the new run
# ended). The second run waits for a file the test creates.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "rerun-pane",
  "title": "A step run twice",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.try", "kind": "run", "title": "try", "timeout": "120s",
        "run": "if [ -e first ]; then i=0; while [ ! -e gate ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done; else : >first; printf '%s-%s\\n' first boom; exit 1; fi" }
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

start_app -x 100 -y 30 run --session-dir "$SCREEN_TMP/s" --operator olga \
	"$SCREEN_TMP/pb.json"
keys Enter
wait_text 'Last run: FAILED'
assert_fixed 'first-boom'
keys Enter
wait_text 'This run \(run 2\): running'
refute_fixed 'Last run: FAILED'
refute_fixed 'first-boom'
: >"$SCREEN_TMP/gate"
wait_text 'Last run: ok'
pass
