#!/bin/sh
# Resume after a kill, in batch mode and in the journal: a confirmed
# destructive run is under way when rewind is killed (SIGKILL), and so
# is the run's keeper (which would have recorded its exit status: see
# resume-keeper-batch.sh); the journal holds the run's pid, start time
# and boot (step.spawned).
# Resumed with the same command line: no var.set is journalled again,
# the step is interrupted (never failed) with its process still running
# (step.orphan), `run` is refused while it runs, the console notices it
# end by itself (step.orphan_ended, outcome unknown, its keeper stopped
# before it recorded the exit status), a re-run needs a
# fresh `confirm` (a second step.confirmed), and `rewind report` says
# "interrupted — outcome unknown", never FAILED.
set -u
. "${REWIND_SRCDIR:-.}/tests/lib/resumelib.sh"
S=$tmp/s
J=$S/journal.jsonl

fail() {
	echo "FAIL: resume-kill-batch: $*"
	for f in "$tmp"/err*; do [ -f "$f" ] && sed "s|^|$(basename "$f"): |" "$f"; done
	exit 1
}

cat >"$tmp/slow-push" <<'STUB'
#!/bin/sh
# A slow stand-in for a push: records its pid, waits quietly until
# "release" exists, then writes "pushed".
dir=$(dirname "$0")
echo $$ >>"$dir/push.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
echo "$1" >>"$dir/pushed"
STUB
chmod +x "$tmp/slow-push"

# start_batch N: rewind in batch mode with the same command line each
# time, stdin from the fifo in$N (held open by a sleeping writer, so that
# rewind waits for more), stdout in out$N.
start_batch() {
	mkfifo "$tmp/in$1"
	sleep 60 >"$tmp/in$1" &
	feed_pid=$!
	"$bin" run "$src/tests/fixtures/playbooks/orphan.json" --batch \
		--session-dir "$S" --operator sam --var VERSION=1.2.3 \
		--var "PUSH_CMD=$tmp/slow-push" <"$tmp/in$1" >"$tmp/out$1" \
		2>"$tmp/err$1" &
	rw_pid=$!
	exec 3>"$tmp/in$1"
}

send() {
	printf '%s\n' "$1" >&3
}

# --- the first console: confirm, run, and die mid-run --------------------------
start_batch 1
send next; send next; send next
send 'confirm e.push push 1.2.3'
send 'run e.push'
wait_for 'test -s "$tmp/push.pids"'
wait_for 'test "$(count step.spawned)" -ge 1'
grep '"type":"step.spawned"' "$J" | grep -q '"pid":[0-9]*,"start_time":"[0-9]*","pgid":[0-9]*,"boot_id":"' ||
	fail "step.spawned lacks pid, start_time, pgid or boot_id: $(grep step.spawned "$J")"
pid=$(grep '"type":"step.spawned"' "$J" | sed 's/.*"payload":{"pid":\([0-9]*\).*/\1/')
keeper=$(grep '"type":"step.spawned"' "$J" | sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
[ -n "$keeper" ] || fail "step.spawned names no keeper"
kill -KILL "$rw_pid" "$keeper"
wait "$rw_pid" 2>/dev/null
exec 3>&-
kill "$feed_pid"
running "$pid" || fail "the push died with rewind"
vars=$(count var.set)
[ "$(count step.confirmed)" = 1 ] || fail "expected one step.confirmed before the kill"

# --- the second: same command line ------------------------------------------------
start_batch 2
wait_for 'grep -q "\"type\":\"awaiting\"" "$tmp/out2"'
[ "$(count session.resumed)" = 1 ] || fail "no session.resumed"
[ "$(count var.set)" = "$vars" ] || fail "resuming with the same --var flags journalled var.set again"
grep '"type":"step.interrupted"' "$J" | grep -q "\"pid\":$pid,\"still_running\":true" ||
	fail "step.interrupted does not name pid $pid as still running"
[ "$(count step.orphan)" = 1 ] || fail "no step.orphan (the run seen still running)"
[ "$(count step.finished)" = 0 ] || fail "the interrupted run was given a finish"
grep '"type":"awaiting"' "$tmp/out2" | head -n 1 |
	grep -q "\"state\":\"interrupted\",\"command\":[^}]*\"still_running_pid\":$pid,\"confirm\":\"push 1.2.3\",\"confirmed\":false" ||
	fail "awaiting does not show e.push interrupted, unconfirmed, pid $pid running: $(grep awaiting "$tmp/out2" | head -n 1)"
grep -q '"state":"failed"' "$tmp/out2" && fail "a state says failed"

send 'run e.push'
wait_for 'test "$(count action.refused)" -ge 1'
grep -q "run e.push: its run from the previous console is still running (pid $pid)" "$tmp/err2" ||
	fail "run was not refused while the first copy runs"
[ "$(count step.started)" = 1 ] || fail "a second copy was started"

# It ends by itself: the console notices.
touch "$tmp/release"
wait_for 'test -s "$tmp/pushed"'
wait_for 'test "$(count step.orphan_ended)" = 1'
grep '"type":"step.orphan_ended"' "$J" | grep -q '"how":"ended by itself","outcome":"unknown","keeper":"stopped before it recorded the exit status"' ||
	fail "step.orphan_ended does not say it ended by itself, outcome unknown, its keeper stopped"

# A re-run needs its own confirmation.
send 'run e.push'
wait_for 'test "$(count action.refused)" -ge 2'
grep -q 'step e.push is destructive: type the confirmation first' "$tmp/err2" ||
	fail "a re-run after the resume was not asked for a new confirmation"
[ "$(count step.started)" = 1 ] || fail "the re-run started without a new confirmation"
send 'confirm e.push push 1.2.3'
send 'run e.push'
wait_for 'test "$(count step.finished)" = 1'
[ "$(count step.confirmed)" = 2 ] || fail "no second step.confirmed"
[ "$(count step.started)" = 2 ] || fail "the re-run did not start"
exec 3>&-
kill "$feed_pid"
wait "$rw_pid"
rw_pid=

# --- what the report says ----------------------------------------------------------
"$bin" report "$S" >"$tmp/report.md" 2>"$tmp/err-report" || fail "rewind report failed"
grep -qF "| e.push | \"\$PUSH_CMD\" \"\$VERSION\" | \"$tmp/slow-push\" \"1.2.3\" |  |  | interrupted — outcome unknown: the console ended while it ran |" "$tmp/report.md" ||
	fail "the report's command row does not say interrupted — outcome unknown"
grep -q "interrupted e.push: outcome unknown" "$tmp/report.md" ||
	fail "the report's timeline does not say the run was interrupted"
grep -q "e.push: its run from the previous console (pid $pid) ended by itself; outcome unknown: its keeper was stopped before it recorded the exit status" "$tmp/report.md" ||
	fail "the report's timeline does not say the orphan ended by itself"
grep -q FAILED "$tmp/report.md" && fail "the report calls something FAILED"
"$bin" verify "$S" >/dev/null || fail "the journal does not verify"
echo "resume-kill-batch: interrupted, orphan seen and waited for, confirmed afresh, reported truly"
