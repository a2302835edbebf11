#!/bin/sh
# The console is killed (SIGKILL) while a command runs: nothing read the
# command's output after that, so the resumed console's step pane, which
# shows what the run printed, says that output may be cut off (a console
# that quit, or was hung up on, left a drainer that kept all of it:
# orphan-output-test).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

dir=$SCREEN_TMP
cat >"$dir/pb.json" <<JSON
{"id":"killed","title":"Move the tag","phases":[
{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[{"id":"e.move","kind":"run","title":"Move latest","timeout":"2m",
  "run":"echo moving latest; n=0; while [ ! -e '$dir/release' ] && [ \$n -lt 600 ]; do sleep 0.1; n=\$((n + 1)); done; echo ended >'$dir/ended'; echo '+latest: 1.2.2'"},
  {"id":"e.check","kind":"check","title":"latest moved"}]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
set -- run "$dir/pb.json" --session-dir "$dir/s" --operator ic
start_app -x 100 -y 30 "$@"
keys '>' '>' '>' Enter
wait_for "grep -q 'moving latest' '$dir/s/output/e.move-1.cast'" 20 ||
	fail "the command did not start"
rpid=$(app_pid) || fail "cannot find rewind's pid"
kill -KILL "$rpid"
wait_for "test ! -e /proc/$rpid" 10
touch "$dir/release"
wait_for "[ -e '$dir/ended' ]" 20
start_app -x 100 -y 30 "$@"
wait_text 'outcome unknown'
wait_text 'It printed, as far as its output was kept' 5
assert_text 'may be cut off' "the step pane does not say the output may be cut off"
assert_text '│ moving latest *$' "the step pane does not show what the run printed"
grep '"type":"step.interrupted"' "$dir/s/journal.jsonl" | grep -q '"output_may_be_cut":true' ||
	fail "step.interrupted does not say the output may be cut off"
keys q
wait_text 'Quit the live console\?'
keys_nowait Enter
wait_exit
pass "a killed console's run: the output shown may be cut off, and the pane says so"
