#!/bin/sh
# Nothing lost when the console dies: a step's command runs behind a
# keeper ("rewind-keep" in ps) that records how it ended in
# output/STEP-N.status, so a resumed console journals the run's real
# outcome (step.finished, recorded_by keeper), never "outcome unknown":
#  A. rewind killed (SIGKILL), the push ends (exit 0) before the resume:
#     (its keeper is the rewind-keep program, without the console's
#     libraries)
#     finished, ok, no step.interrupted; the report says it ended after
#     the console quit, exit 0 (and, read from the keeper's record, so
#     does a report made before the resume), that its output may be cut
#     off, and names sam (who started it) in the timeline, not rewind;
#  B. rewind killed, the push still runs at the resume (no second copy),
#     then fails (exit 3): step.orphan_ended says exit 3 from the keeper's
#     record and the step is failed;
#  C. the orphan stopped at the resume (cancel): the command itself is
#     stopped, not only its keeper, and the keeper records the signal
#     (the outcome stays unknown: stopped while it ran, it may have
#     acted), and the report's command row says who stopped it.
set -u
. "${REWIND_SRCDIR:-.}/tests/lib/resumelib.sh"

fail() {
	echo "FAIL: resume-keeper-batch: $case: $*"
	for f in "$tmp"/*/err*; do
		[ -f "$f" ] && sed "s|^|$f: |" "$f"
	done
	exit 1
}

event() {	# event TYPE: the case's (last) event of TYPE
	grep "\"type\":\"$1\"" "$J" | tail -n 1
}

# new_case NAME: a folder of its own with a slow push that records its
# pid, prints "pushing", waits for "release", prints "pushed VERSION"
# and exits with the status in "code" (0 if none).
new_case() {
	case=$1
	d=$tmp/$1
	S=$d/s
	J=$S/journal.jsonl
	mkdir -p "$d"
	cat >"$d/slow-push" <<'STUB'
#!/bin/sh
dir=$(dirname "$0")
echo $$ >>"$dir/push.pids"
echo "pushing $1"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
# (Not on its output: after a SIGKILL of the console nothing reads it,
# and printing would end it by SIGPIPE, which its keeper would record.)
echo "pushed $1" >>"$dir/pushed"
exit "$(cat "$dir/code" 2>/dev/null || echo 0)"
STUB
	chmod +x "$d/slow-push"
}

# start_batch N: rewind in batch mode on the case's session, stdin from
# a fifo held open by a sleeping writer, stdout in outN.
start_batch() {
	mkfifo "$d/in$1"
	sleep 60 >"$d/in$1" &
	feed_pid=$!
	"$bin" run "$src/tests/fixtures/playbooks/orphan.json" --batch \
		--session-dir "$S" --operator sam --var VERSION=1.2.3 \
		--var "PUSH_CMD=$d/slow-push" <"$d/in$1" >"$d/out$1" \
		2>"$d/err$1" &
	rw_pid=$!
	exec 3>"$d/in$1"
}

send() {
	printf '%s\n' "$1" >&3
}

stop_batch() {
	exec 3>&-
	kill "$feed_pid"
	wait "$rw_pid"
	rw_pid=
}

# run_push: confirm and run e.push; sets pid (the command's, journalled)
# and keeper (its keeper's).
run_push() {
	start_batch 1
	send next; send next; send next
	send 'confirm e.push push 1.2.3'
	send 'run e.push'
	wait_for 'test -s "$d/push.pids"'
	wait_for 'test "$(count step.spawned)" -ge 1'
	pid=$(event step.spawned | sed 's/.*"payload":{"pid":\([0-9]*\).*/\1/')
	keeper=$(event step.spawned | sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
	[ -n "$keeper" ] || fail "step.spawned names no keeper: $(event step.spawned)"
	event step.spawned | grep -q '"status_file":"output/e.push-1.status"' ||
		fail "step.spawned does not name the status file"
	pgrp=$(sed 's/.*) //' "/proc/$(head -n 1 "$d/push.pids")/stat" | cut -d' ' -f3)
	[ "$pid" = "$pgrp" ] ||
		fail "step.spawned names pid $pid, not the command's group ($pgrp)"
}

die() {	# die SIGNAL: the console ends by SIGNAL while the push runs
	kill "-$1" "$rw_pid"
	wait "$rw_pid" 2>/dev/null
	rw_pid=
	exec 3>&-
	kill "$feed_pid"
	running "$pid" || fail "the push died with rewind ($1)"
}

# --- A: killed; the push ends before the resume ---------------------------
new_case A
run_push
[ "$(cat "/proc/$keeper/comm")" = rewind-keep ] ||
	fail "the keeper is not called rewind-keep in ps: $(cat "/proc/$keeper/comm")"
tr '\0' ' ' <"/proc/$keeper/cmdline" | grep -q "^rewind: keeper of pid $pid " ||
	fail "the keeper's ps line does not say whose: $(tr '\0' ' ' <"/proc/$keeper/cmdline")"
# It starts before every step, so it is a program of its own that maps
# none of the console's libraries (the console's took ~20 ms to start).
case $(readlink "/proc/$keeper/exe") in
*/rewind-keep) ;;
*) fail "the keeper is not the rewind-keep program: $(readlink "/proc/$keeper/exe")" ;;
esac
libs=$(grep -o '[^/]*\.so[.0-9]*$' "/proc/$keeper/maps" | sort -u |
	grep -E 'icu|git2|curl|curses|cjson|unistring') &&
	fail "the keeper maps the console's libraries: $(echo $libs)"
die KILL
touch "$d/release"
wait_for 'test -s "$S/output/e.push-1.status"'
grep -q "\"pid\":$pid,\"keeper_pid\":$keeper,\"exit\":0,\"signal\":0," \
	"$S/output/e.push-1.status" || fail "status file: $(cat "$S/output/e.push-1.status")"
wait_for '! running "$keeper"'
# Before any resume, the report reads the keeper's record (journals nothing).
n_events=$(wc -l <"$J")
"$bin" report "$S" >"$d/report0.md" 2>"$d/err-report0" || fail "rewind report failed"
grep -q "| no result; ended after the console quit: exit 0 at 20[-0-9T:.]*Z (its keeper's record, not journalled yet: resume the session) |" "$d/report0.md" ||
	fail "the report before the resume does not read the keeper's record: $(grep '| e.push' "$d/report0.md")"
[ "$(wc -l <"$J")" = "$n_events" ] || fail "rewind report journalled something"
start_batch 2
wait_for 'grep -q "\"type\":\"awaiting\"" "$d/out2"'
[ "$(count step.interrupted)" = 0 ] || fail "a run whose keeper recorded its end was called interrupted"
[ "$(count step.finished)" = 1 ] || fail "no step.finished from the keeper's record"
event step.finished | grep -q '"ok":true,"exit":0,' || fail "not finished ok: $(event step.finished)"
event step.finished | grep -q '"recorded_by":"keeper","ended":"[-0-9T:.]*Z","after_console_quit":true' ||
	fail "step.finished does not say it came from the keeper: $(event step.finished)"
event step.finished | grep -q '"tail":"pushing 1.2.3"' ||
	fail "step.finished lacks what the run printed before the console died"
grep '"type":"awaiting"' "$d/out2" | head -n 1 | grep -q '"id":"e.push"' &&
	fail "e.push still awaits (not done): $(grep awaiting "$d/out2" | head -n 1)"
grep -q 'outcome unknown' "$d/out2" "$d/err2" && fail "something says outcome unknown"
stop_batch
"$bin" report "$S" >"$d/report.md" 2>"$d/err-report" || fail "rewind report failed"
grep -q "| ok; ended after the console quit: exit 0 at 20[-0-9T:.]*Z (its keeper's record)[ ;]" "$d/report.md" ||
	fail "the report's command row does not say it ended after the console quit: $(grep '| e.push' "$d/report.md")"
grep -q "finished e.push after the console quit: exit 0 at" "$d/report.md" ||
	fail "the report's timeline does not say it finished after the console quit"
# The keeper's record is the run's: sam's, who started it, not rewind's;
# the console was killed, so what it printed after that is missing.
grep -q "| sam | execute | finished e.push after the console quit: .*; its output may be cut off (the console was killed while it ran) |" "$d/report.md" ||
	fail "the timeline's row of the kept finish: $(grep 'finished e.push' "$d/report.md")"
grep "| e.push |" "$d/report.md" | grep -q "its output may be cut off" ||
	fail "the command row does not say its output may be cut off"
"$bin" verify "$S" >/dev/null || fail "the journal does not verify"

# --- B: killed; still running at the resume, then fails ------------------
new_case B
run_push
die KILL
echo 3 >"$d/code"
start_batch 2
wait_for 'grep -q "\"type\":\"awaiting\"" "$d/out2"'
[ "$(count step.orphan)" = 1 ] || fail "no step.orphan (the run seen still running)"
send 'run e.push'
wait_for 'test "$(count action.refused)" -ge 1'
[ "$(count step.started)" = 1 ] || fail "a second copy was started"
touch "$d/release"
wait_for 'test "$(count step.finished)" = 1'
event step.orphan_ended | grep -q '"how":"ended by itself","outcome":"exit 3","ended":"[-0-9T:.]*Z","recorded_by":"keeper"' ||
	fail "step.orphan_ended does not carry the keeper's exit 3: $(event step.orphan_ended)"
event step.finished | grep -q '"ok":false,"reason":"exit status 3, expected 0","exit":3,' ||
	fail "step.finished does not fail with exit 3: $(event step.finished)"
stop_batch
"$bin" report "$S" >"$d/report.md" 2>"$d/err-report" || fail "rewind report failed"
grep -q "FAILED e.push after the console quit: exit 3 at" "$d/report.md" ||
	fail "the report does not say it failed after the console quit"
grep "| e.push |" "$d/report.md" | grep -q "interrupted" &&
	fail "the report's command row still says interrupted: $(grep '| e.push |' "$d/report.md")"

# --- C: the orphan stopped: the command stops, its keeper records it ------
new_case C
run_push
die KILL
start_batch 2
wait_for 'grep -q "\"type\":\"awaiting\"" "$d/out2"'
send 'cancel e.push'
wait_for 'test "$(count step.orphan_ended)" = 1'
running "$pid" && fail "the command still runs after cancel"
running "$(head -n 1 "$d/push.pids")" && fail "the push still runs after cancel"
event step.orphan_ended | grep -q '"how":"stopped by the operator","outcome":"unknown","exit_status":"killed by SIGTERM","ended":"[-0-9T:.]*Z","recorded_by":"keeper"' ||
	fail "step.orphan_ended does not carry the keeper's SIGTERM, outcome unknown: $(event step.orphan_ended)"
[ "$(count step.finished)" = 0 ] || fail "a run stopped while it ran was given a finish"
stop_batch
"$bin" report "$S" >"$d/report.md" 2>"$d/err-report" || fail "rewind report failed"
grep -q "stopped by the operator; outcome unknown (killed by SIGTERM at 20[-0-9T:.]*Z, its keeper's record)" "$d/report.md" ||
	fail "the report does not say how the stopped run ended"
# The command row tells the stop from the journal (who stopped it, how it
# ended), never "not journalled yet: resume the session".
row=$(grep '^| e.push |' "$d/report.md")
printf '%s\n' "$row" | grep -q "not journalled yet" &&
	fail "the command row says the journalled stop is not journalled yet: $row"
printf '%s\n' "$row" | grep -q "stopped by sam (SIGTERM) after the console quit: killed by SIGTERM at 20[-0-9T:.]*Z (its keeper's record)" ||
	fail "the command row does not say the operator stopped it: $row"
echo "resume-keeper-batch: the keeper's record gives the real outcome after a SIGKILL, still running or not; a stop stops the command"
