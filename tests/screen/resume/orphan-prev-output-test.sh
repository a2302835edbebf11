#!/bin/sh
# A step ran and printed; it is run again, and the console quits while
# that second run goes on. The resumed console's step pane shows what the
# second run printed (its own output file), never the first run's output
# as if the still-running command had printed it; once it ends, its own
# last lines. The report's timeline says the interrupted run still ran
# and what it had printed so far.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

dir=$SCREEN_TMP
cat >"$dir/pb.json" <<JSON
{"id":"tagmove","title":"Move the tag","phases":[
{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[{"id":"e.move","kind":"run","title":"Move latest","timeout":"2m",
  "destructive":true,"confirm":"go",
  "run":"if [ -e '$dir/slow' ]; then echo second run waiting; n=0; while [ ! -e '$dir/release' ] && [ \$n -lt 600 ]; do sleep 0.1; n=\$((n + 1)); done; echo second run moved; else echo first run: latest is al\"\"ready set; fi"},
  {"id":"e.check","kind":"check","title":"latest moved"}]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
set -- run "$dir/pb.json" --session-dir "$dir/s" --operator ic
SESSION_DIR=$dir/s
start_app -x 140 -y 40 "$@"
keys '>' '>' '>' Enter
wait_text 'Type go to run it'
type_text go
keys Enter
wait_text 'first run: latest is already set'
touch "$dir/slow"
keys Enter
wait_text "run again\? This step is destructive"
type_text go
keys Enter
wait_for "grep -q 'second run waiting' '$dir/s/output/e.move-2.cast'" 20 ||
	fail "the second run did not start"
keys q
wait_text 'Quit the live console\?'
keys_nowait Enter
wait_exit

start_app -x 140 -y 40 "$@"
wait_text 'still running from the previous console'
# The step pane's part (the Output tab below it lists each run apart).
step_part() {
	screen_text | sed -n '/│ Step *$/,/│\[Output\]/p'
}
step_part >"$dir/step1"
grep -q 'It had printed, when this console started (it still runs):' "$dir/step1" ||
	fail "the step pane does not say what the running command printed so far"
grep -q '│ second run waiting *$' "$dir/step1" ||
	fail "the step pane does not show the running command's own output"
grep -q 'is already set' "$dir/step1" &&
	fail "the step pane shows the first run's output as the running one's"
touch "$dir/release"
wait_for "grep -q '\"type\":\"step.orphan_ended\"' '$dir/s/journal.jsonl'" 20 ||
	fail "the console did not see the run end"
wait_for "step_part | grep -q '│ second run moved *\$'" 10 || fail "the step pane does not show the run's last line"
step_part | grep -q 'is already set' &&
	fail "the step pane shows the first run's output after the second ended"
keys q
wait_text 'Quit the live console\?'
keys_nowait Enter
wait_exit
run_rewind report "$dir/s" --format md >"$dir/report.md" 2>&1 ||
	fail "rewind report failed: $(cat "$dir/report.md")"
grep -q 'it still ran, its output so far ending: second run waiting' "$dir/report.md" ||
	fail "the report's interruption does not say the run still ran, with its output so far"
pass "a run left running shows its own output after a resume, not the run before it's"
