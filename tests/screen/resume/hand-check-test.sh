#!/bin/sh
# After a resume, a run interrupted by the console's death (its command
# ended on its own: outcome unknown) is never shown as "ok": marked n/a,
# the step pane says "interrupted — outcome unknown (then marked n/a)"
# and that the run may have acted; the tick key records instead that it
# did its work (a note of what was checked, required): the pane then says
# who checked what, and it does not run again. A complete session whose
# rollback was marked n/a shows its RTO as "not proven" in the header,
# as the report does.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
dir=$(dirname "$0")
echo $$ >>"$dir/push.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
echo "$1" >>"$dir/pushed"
STUB
chmod +x "$STUB"
stop_stubs() {
	status=$?
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null) $feed; do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
feed=
trap 'stop_stubs; _screen_cleanup' EXIT

# The fixture with a recovery-time target.
PB=$SCREEN_TMP/orphan-rto.json
sed 's/^  "phases": \[/  "targets_rto": { "default": "1h" },\n  "phases": [/' \
	"$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" >"$PB"
grep -q targets_rto "$PB" || fail "could not add a target to the fixture"

# interrupt DIR: a batch console confirms and starts e.push in session
# DIR and is killed (SIGKILL) while it runs, with the run's keeper; the
# push then ends by itself, its exit status unknown.
interrupt() {
	rm -f "$SCREEN_TMP/release" "$SCREEN_TMP/pushed" "$SCREEN_TMP/push.pids"
	mkfifo "$SCREEN_TMP/in.$1"
	sleep 60 >"$SCREEN_TMP/in.$1" &
	feed=$!
	# Not run_rewind: its subshell would be the pid killed, not rewind.
	env HOME="$SCREEN_TMP/home" XDG_STATE_HOME="$SCREEN_TMP/state" \
		"$REWIND_BIN" run "$PB" --batch --session-dir "$SCREEN_TMP/$1" \
		--operator sam --var VERSION=1.2.3 --var "PUSH_CMD=$STUB" \
		<"$SCREEN_TMP/in.$1" >/dev/null 2>&1 &
	rw=$!
	exec 3>"$SCREEN_TMP/in.$1"
	printf 'next\nnext\nnext\nconfirm e.push push 1.2.3\nrun e.push\n' >&3
	wait_for 'test -s "$SCREEN_TMP/push.pids"'
	wait_for "grep -q step.spawned '$SCREEN_TMP/$1/journal.jsonl'"
	# Its keeper too: else it records the exit status, and the outcome
	# is known (resume-keeper-batch.sh).
	keeper=$(grep '"type":"step.spawned"' "$SCREEN_TMP/$1/journal.jsonl" |
		sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
	[ -n "$keeper" ] || fail "step.spawned names no keeper"
	kill -KILL "$rw" "$keeper"
	wait_for "test ! -e /proc/$rw"
	exec 3>&-
	kill "$feed"
	feed=
	touch "$SCREEN_TMP/release"
	wait_for 'test -s "$SCREEN_TMP/pushed"'
}

# --- marked n/a: never "ok" ----------------------------------------------------
interrupt na
SESSION_DIR=$SCREEN_TMP/na
start_app -x 100 -y 30 run "$SESSION_DIR" --operator sam
wait_text 'RESUMED'
wait_text 'Last run: interrupted — outcome unknown'
assert_fixed 'Space records that'
keys x
wait_text 'its interrupted run stays outcome unknown'
keys y
type_text 'cannot tell what it did'
keys Enter
wait_text 'Last run: interrupted — outcome unknown \(then'
assert_fixed 'DESTRUCTIVE (marked n/a after an interrupted run:'
refute_fixed 'Last run: ok'
# Done: the rollback marked n/a, so the RTO was not proven.
keys Down Space '>' '>' '>'
wait_text 'COMPLETE'
wait_text 'RTO, not proven'
keys_nowait q
wait_exit

# --- checked by hand: done, with who checked what -------------------------------
interrupt hand
SESSION_DIR=$SCREEN_TMP/hand
start_app -x 100 -y 30 run "$SESSION_DIR" --operator sam
wait_text 'Last run: interrupted — outcome unknown'
keys Space
wait_text 'what did you check'
keys Enter
wait_text 'this needs some text'
type_text '   '			# blanks are no note either
keys Enter
wait_text 'this needs some text'
assert_fixed 'what did you check'
keys C-u
type_text 'npm view shows latest 1.2.3'
keys Enter
wait_text 'Checked by hand by sam'
assert_fixed 'npm view shows latest 1.2.3'
refute_fixed 'Last run: ok'
[ "$(journal_count step.started e.push)" = 1 ] || fail "the step ran again"
grep '"type":"step.ticked"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"interrupted_run_checked":true' || fail "no hand check in the journal"
# Running it again: the question never calls the interrupted run a success.
keys Enter
wait_text 'recorded done by hand' 5
refute_text 'succeeded'
keys Escape
wait_gone 'recorded done by hand' 5
keys Down Space '>' '>' '>'
wait_text 'COMPLETE'
refute_fixed 'not proven'
pass "an interrupted run is never ok: n/a keeps it unknown (RTO not proven); a hand check records who checked what"
