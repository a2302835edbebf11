#!/bin/sh
# A closed terminal (SIGHUP) while a command runs, and its keeper killed
# (so its exit status is lost); the command goes on and
# prints what it did after its console has gone, and the same command line
# is started again. The resumed console shows that output as it comes
# (the Output tab follows the run's output file, which the dead console's
# drainer goes on writing); once the run is seen gone, the step pane shows
# what it printed beside "outcome unknown", and the journal
# (step.orphan_ended "tail") and the report's timeline carry its last line:
# the evidence to check it by is on screen, not only in a later replay.
# The interruption is dated from the console's own end (its session.quit),
# not from a refusal someone else had journalled since.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

dir=$SCREEN_TMP
cat >"$dir/pb.json" <<JSON
{"id":"tagmove","title":"Move the tag","phases":[
{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[{"id":"e.move","kind":"run","title":"Move latest","timeout":"2m",
  "run":"echo moving latest; n=0; while [ ! -e '$dir/release' ] && [ \$n -lt 600 ]; do sleep 0.1; n=\$((n + 1)); done; echo '+latest: @demo/widget@1.2.2'; echo moved >'$dir/moved'"},
  {"id":"e.check","kind":"check","title":"latest moved"}]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
set -- run "$dir/pb.json" --session-dir "$dir/s" --operator ic
start_app -x 100 -y 26 "$@"
keys '>' '>' '>' Enter
wait_for "grep -q 'moving latest' '$dir/s/output/e.move-1.cast'" 20 ||
	fail "the command did not start"
rpid=$(app_pid) || fail "cannot find rewind's pid"
# Its keeper is killed too: else it records the exit status and the
# outcome is known (signal-running-test); here it stays unknown.
keeper=$(grep '"type":"step.spawned"' "$dir/s/journal.jsonl" |
	sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
[ -n "$keeper" ] || fail "step.spawned names no keeper"
kill -HUP "$rpid"
kill -KILL "$keeper"
wait_exit
[ -e "$dir/moved" ] && fail "the command ended before the console: make it slower"
# Someone is refused something after the console died: that is no sign of
# the console, which said when it ended (session.quit).
run_rewind approve "$dir/s" e.move --role Anyone --as bob --yes >/dev/null 2>&1 &&
	fail "a sign-off of a run step was taken"
grep -q '"type":"action.refused"' "$dir/s/journal.jsonl" || fail "the refusal was not journalled"

start_app -x 100 -y 26 "$@"
wait_text 'RESUMED: the previous console ended while this was running'
assert_fixed 'still running from the previous console'
keys ']'				# the Output tab
assert_fixed 'moving latest'
touch "$dir/release"
wait_text '\+latest: @demo/widget@1\.2\.2' 10 ||
	fail "the Output tab does not show what the run printed after its console died"
wait_for "grep -q '\"type\":\"step.orphan_ended\"' '$dir/s/journal.jsonl'" 10 ||
	fail "the console did not see the run end"
grep '"type":"step.orphan_ended"' "$dir/s/journal.jsonl" |
	grep -q '"tail":"moving latest\\n+latest: @demo/widget@1.2.2"' ||
	fail "step.orphan_ended does not carry the run's last lines"
python3 - "$dir/s/journal.jsonl" >"$SCREEN_TMP/why" 2>&1 <<'PY' || fail "$(cat "$SCREEN_TMP/why")"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
quit = [e for e in ev if e["type"] == "session.quit"][-1]
i = [e for e in ev if e["type"] == "step.interrupted"][-1]
assert i["payload"]["last_seen"] == quit["wall"], (i["payload"]["last_seen"], quit["wall"])
PY
keys '['				# the Step tab
wait_text 'It printed \(its exit status is unknown\):'
assert_text '│ \+latest: @demo/widget@1\.2\.2 *$' \
	"the step pane does not show the run's last line"
assert_fixed 'outcome unknown'
keys q
wait_text 'Quit the live console\?'
keys_nowait Enter
wait_exit
run_rewind report "$dir/s" --format md >"$dir/report.md" 2>&1 ||
	fail "rewind report failed: $(cat "$dir/report.md")"
grep -q 'its output ends: +latest: @demo/widget@1.2.2' "$dir/report.md" ||
	fail "the report's timeline does not give the run's last line"
pass "a dead console's run: its later output shown as it comes, kept in the journal and the report"
