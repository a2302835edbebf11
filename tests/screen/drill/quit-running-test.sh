#!/bin/sh
# Quitting a drill while a simulated run goes on says, after the console
# ends, which step was running with its command and that a drill's run
# has no process (no pid) to name; before it printed "rewind: a.slow is
# still running: npm login", with no word on the pid rewind(1) promises.
REWIND_TEST_DRILL_PACE=1		# the run takes its time
export REWIND_TEST_DRILL_PACE
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "quit-drill", "title": "Quit while a drill's run goes on",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.slow", "kind": "run", "title": "Slow command",
        "run": "npm login", "timeout": "5m",
        "drill": { "output": "done", "duration": "4m" } } ] },
    { "id": "decide", "steps": [] }, { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] }, { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 160 drill "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator olga
wait_text 'Slow command' 5
keys Enter
wait_text 'a\.slow (started|running)' 5
keys_nowait q
wait_for '! app_alive || screen_text | grep -q "still running"' 5
! app_alive || keys_nowait Enter	# the Quit dialog, when it asks
wait_exit
screen_text -J | grep -qF 'rewind: a.slow was running in the drill: npm login' ||
	fail "the quit does not name the running step: $(screen_text -J | grep rewind:)"
screen_text -J | grep -qF 'a simulated run: there is no process (no pid) to name' ||
	fail "the quit does not say why there is no pid"
pass "quitting a drill with a run going on names it and says it has no pid"
