#!/bin/sh
# Quit while a command runs: the Quit dialog says the command goes on
# without a console, and it does: it is not killed nor starved of its
# output pipe (it runs to its end, and its last lines reach the session's
# output file); its keeper records how it ended, so the next console
# finds it ended with its real outcome: done, "Last run: ok", journalled
# as step.finished from the keeper's record (session.quit naming it, no
# step.interrupted, no step.finished until then). In ps, what is left says
# what it is, not the console's command line.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
DONE=$SCREEN_TMP/done
cat >"$SCREEN_TMP/pb.json" <<JSON
{"id":"slow","title":"Slow command","phases":[
{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[{"id":"e.slow","kind":"run","title":"slow","timeout":"2m",
  "run":"i=0; while [ \$i -lt 40 ]; do i=\$((i + 1)); echo tick \$i; sleep 0.3; done; echo done >'$DONE'"}]},
{"id":"verify","steps":[{"id":"v.ok","kind":"check","title":"ok"}]},
{"id":"communicate","steps":[]}]}
JSON
printf 'next\nnext\nnext\n' | run_rewind run "$SCREEN_TMP/pb.json" --batch --operator ic \
	--session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"execute"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach execute"; }

start_app -x 100 -y 26 run "$SESSION_DIR"
keys Enter
wait_text 'tick 2|running'
keys q
wait_text 'Quit the live console\? e\.slow is still running'
assert_fixed 'its command goes'
keys_nowait Enter
wait_exit
[ -e "$DONE" ] && fail "the command ended before the quit: make it slower"
# What goes on is listed in ps as what it is: the command, and the process
# that saves its output (in the command's process group), never with the
# console's own command line, as if the console still ran.
cmd_pid=$(grep '"type":"session.quit"' "$SESSION_DIR/journal.jsonl" |
	sed -n 's/.*"running":\[{"step":"e\.slow","pid":\([0-9]*\).*/\1/p')
[ -n "$cmd_pid" ] || fail "session.quit names no pid for e.slow"
ps -eo pgid=,args= | awk -v g="$cmd_pid" '$1 == g' >"$SCREEN_TMP/group"
grep -q 'rewind: output of pid '"$cmd_pid" "$SCREEN_TMP/group" ||
	fail "no process in the command's group says it saves its output: $(cat "$SCREEN_TMP/group")"
grep -E ' [^ ]*rewind (run|drill) ' "$SCREEN_TMP/group" &&
	fail "a process left running shows the console's command line"
ps -eo comm=,args= | grep -q "^rewind-keep  *rewind: keeper of pid $cmd_pid " ||
	fail "no rewind-keep process says it keeps pid $cmd_pid's exit status"
# The command goes on after the console has gone, to its end.
wait_for 'test -e "$DONE"' 40 || fail "the command did not go on after the quit"
wait_for 'grep -q "tick 40" "$SESSION_DIR"/output/e.slow-1.cast' 5 ||
	fail "its last lines did not reach the output file"
[ "$(journal_count step.finished e.slow)" = 0 ] ||
	fail "a step.finished was journalled for a run nobody saw end"
grep '"type":"session.quit"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"running":\[{"step":"e.slow"' || fail "session.quit does not name e.slow"

wait_for 'grep -q "\"exit\":0,\"signal\":0," "$SESSION_DIR"/output/e.slow-1.status' 10 ||
	fail "its keeper did not record exit 0"

# The next console finds it ended, and how: done, from the keeper's record.
start_app -x 100 -y 26 run "$SESSION_DIR"
wait_text 'Last run: ok'
assert_fixed '[✓] slow'
refute_text 'outcome unknown'
[ "$(journal_count step.interrupted e.slow)" = 0 ] ||
	fail "the resume journalled the run as interrupted"
grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"ok":true,"exit":0,.*tick 39\\ntick 40",.*"recorded_by":"keeper"' ||
	fail "no step.finished from the keeper's record with the run's last lines"
keys q
wait_text 'Quit the live console\? The session stays resumable'
# Esc: not quitting, and the status line does not read as if a command
# had been cancelled.
keys Escape
wait_text 'not quitting: the session goes on'
refute_text '^ cancelled'
keys q
wait_text 'Quit the live console\? The session stays resumable'
keys_nowait Enter
wait_exit
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "the journal does not verify"
pass "a command running at quit goes on to its end; the next console finds it ended, with its keeper's exit status"
