#!/bin/sh
# An interrupted run checked by hand: the console died while a confirmed
# destructive run ran, its keeper was killed too (else it would have
# recorded the exit status), and the run ended on its own (outcome
# unknown).
# The operator checks by hand that it did its work and records it with
# `tick STEP WHAT-WAS-CHECKED` (the console's tick key): a note is
# required, the step is then done without running again, the journal's
# step.ticked says so (interrupted_run_checked), and the report's command
# row and timeline say who checked what. A run step that was never
# interrupted cannot be ticked (it is done by running it).
set -u
. "${REWIND_SRCDIR:-.}/tests/lib/resumelib.sh"
S=$tmp/s
J=$S/journal.jsonl

fail() {
	echo "FAIL: interrupted-checked: $*"
	for f in "$tmp"/err*; do [ -f "$f" ] && sed "s|^|$(basename "$f"): |" "$f"; done
	exit 1
}

cat >"$tmp/slow-push" <<'STUB'
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
chmod +x "$tmp/slow-push"

pb=$src/tests/fixtures/playbooks/orphan.json
args="--batch --session-dir $S --operator sam --var VERSION=1.2.3 --var PUSH_CMD=$tmp/slow-push"

# A run step never interrupted is done by running it, not by a tick.
printf 'next\nnext\nnext\ntick e.push it looked fine\n' |
	"$bin" run "$pb" $args --session-dir "$tmp/s0" >/dev/null 2>"$tmp/err0"
grep -q 'tick e.push: a run step is done by running it' "$tmp/err0" ||
	fail "tick on a run step that was never interrupted was not refused"

# --- the first console: confirm, run, and die mid-run --------------------------
mkfifo "$tmp/in1"
sleep 60 >"$tmp/in1" &
feed_pid=$!
# shellcheck disable=SC2086
"$bin" run "$pb" $args <"$tmp/in1" >"$tmp/out1" 2>"$tmp/err1" &
rw_pid=$!
exec 3>"$tmp/in1"
printf 'next\nnext\nnext\nconfirm e.push push 1.2.3\nrun e.push\n' >&3
wait_for 'test -s "$tmp/push.pids"'
wait_for 'test "$(count step.spawned)" -ge 1'
keeper=$(grep '"type":"step.spawned"' "$J" | sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
[ -n "$keeper" ] || fail "step.spawned names no keeper"
kill -KILL "$rw_pid" "$keeper"
wait "$rw_pid" 2>/dev/null
rw_pid=
exec 3>&-
kill "$feed_pid"
feed_pid=
# The run goes on without its console and does its work.
touch "$tmp/release"
wait_for 'test -s "$tmp/pushed"'

# --- the second: the run is found ended, outcome unknown; checked by hand ----
# shellcheck disable=SC2086
printf 'tick e.push\ntick e.push npm view shows latest 1.2.3\n' |
	"$bin" run "$S" $args >"$tmp/out2" 2>"$tmp/err2"
[ "$(count step.interrupted)" = 1 ] || fail "no step.interrupted"
grep -q 'tick e.push: say what you checked' "$tmp/err2" ||
	fail "a tick of the interrupted run without a note was not refused"
grep '"type":"step.ticked"' "$J" | grep -q '"step":"e.push".*"note":"npm view shows latest 1.2.3","interrupted_run_checked":true' ||
	fail "step.ticked does not record the hand check: $(grep step.ticked "$J")"
[ "$(count step.started)" = 1 ] || fail "the step ran again"
grep '"type":"awaiting"' "$tmp/out2" | tail -n 1 | grep -q '"e.push"' &&
	fail "e.push still awaits after the hand check: $(grep awaiting "$tmp/out2" | tail -n 1)"

# --- what the report says ----------------------------------------------------------
"$bin" report "$S" >"$tmp/report.md" 2>"$tmp/err-report" || fail "rewind report failed"
grep -qF "interrupted — outcome unknown: the console ended while it ran; checked by hand by sam: npm view shows latest 1.2.3 |" "$tmp/report.md" ||
	fail "the report's command row does not say who checked what: $(grep '| e.push' "$tmp/report.md")"
grep -q "checked by hand e.push: its interrupted run did its work (npm view shows latest 1.2.3)" "$tmp/report.md" ||
	fail "the report's timeline does not name the hand check"
"$bin" verify "$S" >/dev/null || fail "the journal does not verify"
echo "interrupted-checked: an interrupted run recorded done by a hand check, with what was checked"
