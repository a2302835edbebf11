#!/bin/sh
# rewind watch shows what the watched session's commands print, as the
# operator's console does: the Output tab follows a run's output while it
# runs (read from the session's cast file as the run writes it), ends with
# the run's end line, and scrolls; a watcher that opens later reads the
# past runs' output back from their casts. (It once showed only the start
# and end lines.) The command waits for a file the test creates: no fixed
# sleeps. (The command prints out-one as "out" "one", so that its
# start line, which shows the command, does not hold what it prints.)
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "watch-output",
  "title": "Watch the output",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.talk", "kind": "run", "title": "talk",
        "run": "printf '%s-%s\\n' out one; i=0; while [ ! -e gate ] && [ $i -lt 3000 ]; do sleep 0.02; i=$((i+1)); done; printf '%s-%s\\n' out two; seq 1 40 | sed 's/^/row-/'",
        "timeout": "120s" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

# The operator's side: a batch session that runs the step, then keeps
# its stdin open until the step has finished (and the test says so).
{
	trap ': >"$SCREEN_TMP/gate"' EXIT
	n=0
	until [ -e "$SCREEN_TMP/go" ] || [ "$n" -ge 3000 ]; do
		sleep 0.02; n=$((n + 1))
	done
	echo 'run a.talk'
	n=0
	until [ -e "$SCREEN_TMP/stop" ] || [ "$n" -ge 6000 ]; do
		sleep 0.02; n=$((n + 1))
	done
} | run_rewind run --batch --session-dir "$SESSION_DIR" --operator olga \
	"$SCREEN_TMP/pb.json" >"$SCREEN_TMP/batch.out" 2>&1 &
batch=$!
trap 'kill $batch 2>/dev/null' EXIT
wait_for '[ -s "$SESSION_DIR/journal.jsonl" ]' 10

start_app -x 100 -y 30 watch "$SESSION_DIR"
tab Output
: >"$SCREEN_TMP/go"
wait_text 'a\.talk +started' 10
# Its output while it runs, from the cast file.
wait_text 'out-one' 10
refute_fixed 'out-two'
: >"$SCREEN_TMP/gate"
wait_text 'a\.talk +exit 0 after' 10
assert_fixed 'row-40'
# The output comes before the end line, in order.
screen_text | grep -nE 'row-40|a\.talk +exit 0' | head -1 | grep -q row-40 ||
	fail "the end line came before the last output"
# It scrolls: the first output line is back at the top.
keys Tab
keys g
assert_fixed 'out-one'
refute_fixed 'row-40'
keys_nowait q
wait_exit
: >"$SCREEN_TMP/stop"
wait $batch

# A watcher that opens later reads the past run's output back.
fresh_server
start_app -x 100 -y 30 watch "$SESSION_DIR"
tab Output
assert_fixed 'row-40'
keys Tab
keys g
assert_fixed 'out-one'
pass
