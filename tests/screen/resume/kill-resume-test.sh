#!/bin/sh
# The console is killed (SIGKILL) while a confirmed destructive step runs
# a slow command, and the same command line is started again: the step is
# "interrupted, outcome unknown" (never failed) with a banner saying what
# was in flight; its process, still running from the dead console, is
# named with its pid; Enter refuses to start a second copy; c stops it
# (its process group); a re-run asks for the typed confirmation again and
# the journal holds a second step.confirmed; --var flags equal to the
# values already set journal nothing.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
# A slow stand-in for a push: says it starts and records its pid, then
# waits quietly (its console may be gone, and with it the pipe) until the
# test creates "release", and writes "pushed" when done.
dir=$(dirname "$0")
echo "pushing $1"
echo $$ >>"$dir/push.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
echo "$1" >>"$dir/pushed"
STUB
chmod +x "$STUB"

# No stub outlives the test, whatever happens to it.
stop_stubs() {
	status=$?	# the test's, for _screen_cleanup
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_stubs; _screen_cleanup' EXIT


# Whether process PID runs (a zombie, left for its new parent to reap,
# does not).
running() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

# The pid of rewind in the pane: the child of the pane's shell.

# The pid the journal gives the Nth run of e.push (step.spawned).
spawned_pid() {
	grep '"type":"step.spawned"' "$SESSION_DIR/journal.jsonl" | sed -n "${1}p" |
		sed 's/.*"payload":{"pid":\([0-9]*\).*/\1/'
}

set -- run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
start_app -x 100 -y 26 "$@"
keys '>' '>' '>'
assert_fixed 'Push the release'
keys Enter
assert_fixed 'Type push 1.2.3 to run it.'
type_text 'push 1.2.3'
keys Enter
wait_for 'test -s "$SCREEN_TMP/push.pids"'
pid=$(spawned_pid 1)
[ -n "$pid" ] || fail "no step.spawned with a pid in the journal"
running "$pid" || fail "the journalled pid $pid is not running"
rpid=$(app_pid) || fail "cannot find rewind's pid"
kill -KILL "$rpid"
wait_for 'test ! -e "/proc/$rpid"'
running "$pid" || fail "the command died with the console"
n_vars=$(journal_count var.set)

# The same command line again.
start_app -x 100 -y 26 "$@"
wait_text 'RESUMED: the previous console ended while this was running'
assert_fixed "e.push: still running from the previous console, pid $pid, started at"
assert_text '^\[‽\] Push the release +interrupted'
assert_fixed 'Last run: interrupted — outcome unknown'
assert_fixed 'Check what it did before running it again'
refute_text 'FAILED|failed'
[ "$(journal_count var.set)" = "$n_vars" ] ||
	fail "resuming with the same --var flags journalled var.set again"
[ "$(journal_count step.interrupted e.push)" = 1 ] || fail "no step.interrupted"
[ "$(journal_count step.orphan e.push)" = 1 ] || fail "no step.orphan (orphan seen)"

# Enter: no second copy, and no confirmation asked while it runs.
keys Enter
refute_fixed 'Type push 1.2.3 to run it.'
assert_fixed "e.push is still running from the previous console (pid $pid): not starting a second copy"
[ "$(journal_count step.started e.push)" = 1 ] || fail "a second copy was started"
[ "$(wc -l <"$SCREEN_TMP/push.pids")" = 1 ] || fail "the stub ran twice"

# c stops it (SIGTERM to its group); the console notices it is gone.
keys c
wait_text 'you stopped the run from the previous console; outcome unknown'
running "$pid" && fail "pid $pid still runs after c"
stub=$(head -n 1 "$SCREEN_TMP/push.pids")
running "$stub" && fail "the stub (pid $stub, in the group of $pid) still runs after c"
[ -e "$SCREEN_TMP/pushed" ] && fail "the stopped command finished its push"
[ "$(journal_count step.orphan_stop e.push)" = 1 ] || fail "no step.orphan_stop"
grep '"type":"step.orphan_ended"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"how":"stopped by the operator","outcome":"unknown"' ||
	fail "no step.orphan_ended saying the operator stopped it"
assert_fixed "its process (pid $pid, started at"
assert_fixed 'RESUMED'

# A re-run asks for the typed confirmation again, saying why to check.
keys Enter
assert_fixed 'Its last run was interrupted and may have done its work'
assert_text 'Type push 1\.2\.3 to run'
type_text 'push 1.2.3'
keys Enter
[ "$(journal_count step.confirmed e.push)" = 2 ] || fail "no second step.confirmed"
wait_for 'test "$(journal_count step.started e.push)" = 2'
wait_gone 'RESUMED'
touch "$SCREEN_TMP/release"
wait_text 'e.push done'
[ "$(wc -l <"$SCREEN_TMP/pushed")" = 1 ] || fail "the push did not run exactly once to its end"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "the journal does not verify"
pass "a killed console's run is interrupted, its process found, stopped, and re-run only after a new confirmation"
