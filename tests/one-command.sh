#!/bin/sh
# One command at a time unless the playbook says otherwise (batch mode, a
# live session): while a run step's command runs, a second run is refused
# with a clear error and journals no start, unless both steps are marked
# "parallel": true; batch mode reads on beside a parallel step. The slow
# commands wait for a file the test creates: no fixed sleeps.
set -u
bin=${REWIND_BIN:-./rewind}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LANG=C.UTF-8
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "one-command",
  "title": "One command at a time",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.slow", "kind": "run", "title": "slow, parallel",
        "run": "i=0; while [ ! -e gate ] && [ $i -lt 1500 ]; do sleep 0.02; i=$((i+1)); done; echo slow done",
        "parallel": true, "timeout": "60s", "drill": { "output": "slow done" } },
      { "id": "a.plain", "kind": "run", "title": "plain", "run": "echo plain",
        "drill": { "output": "plain" } },
      { "id": "a.also", "kind": "run", "title": "also parallel",
        "run": "i=0; while [ ! -e gate ] && [ $i -lt 1500 ]; do sleep 0.02; i=$((i+1)); done; echo also done",
        "parallel": true, "timeout": "60s", "drill": { "output": "also done" } }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
"$bin" check "$tmp/pb.json" >"$tmp/check.out" 2>&1 || fail "rewind check refused parallel: $(cat "$tmp/check.out")"

S=$tmp/s
J=$S/journal.jsonl
count() { grep "\"type\":\"$1\"" "$J" 2>/dev/null | grep -c "\"step\":\"$2\""; }
# wait_for TYPE STEP N: until the journal holds N events TYPE of STEP (10 s
# times REWIND_TEST_SLACK).
limit=$((1000 * ${REWIND_TEST_SLACK:-5}))
wait_for() {
	i=0
	until [ "$(count "$1" "$2")" -ge "$3" ]; do
		[ "$i" -lt "$limit" ] || { echo "FAIL: no $1 of $2 within $((limit / 100)) s" >&2; return 1; }
		sleep 0.01
		i=$((i + 1))
	done
}

# The actions, each line sent when the journal shows the one before it
# took effect.
{
	trap ': >"$tmp/gate"' EXIT	# a failure never leaves a command waiting
	echo 'run a.slow'
	wait_for step.started a.slow 1 || exit 1
	echo 'run a.plain'
	wait_for action.refused a.plain 1 || exit 1
	echo 'run a.also'
	wait_for step.started a.also 1 || exit 1
	: >"$tmp/gate"
	wait_for step.finished a.slow 1 || exit 1
	wait_for step.finished a.also 1 || exit 1
	echo 'run a.plain'
	wait_for step.finished a.plain 1 || exit 1
	echo next
} | (cd "$tmp" && "$bin" run "$tmp/pb.json" --batch --operator olga \
	--session-dir "$S" >"$tmp/out" 2>"$tmp/err")

grep -qF 'stdin:2: run a.plain: step a.slow is still running; one command runs at a time (wait for it or cancel it; only steps both marked "parallel": true run together)' "$tmp/err" ||
	fail "the second run was not refused clearly: $(cat "$tmp/err")"
grep '"type":"error"' "$tmp/out" | grep -q '"line":2' ||
	fail "no JSON error for line 2 on stdout"
[ "$(count step.started a.plain)" = 1 ] ||
	fail "a.plain started $(count step.started a.plain) times (once, after the others)"
[ "$(count step.started a.also)" = 1 ] || fail "a.also (parallel) did not start beside a.slow"
# a.also started while a.slow ran: its start comes before a.slow's end.
order=$(grep -oE '"type":"step\.(started|finished)","phase":"[a-z]+","step":"a\.(slow|also|plain)"' "$J" |
	sed 's/.*"type":"step\.\([a-z]*\)".*"step":"a\.\([a-z]*\)"/\1-\2/' | tr '\n' ' ')
case $order in
"started-slow started-also finished-"*) ;;
*) fail "the parallel steps did not run together: $order" ;;
esac
grep -q '"type":"phase.advanced"' "$J" || fail "assess did not end with its three steps done: $(cat "$tmp/err")"
"$bin" verify "$S" >/dev/null || fail "verify failed"

[ "$failures" = 0 ] || exit 1
echo "one command at a time: a second run refused, parallel steps run together"
