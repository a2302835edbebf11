#!/bin/sh
# After a resume the checklist's selection is on the step to act on: the
# interrupted step when a run was cut off (before any open step above
# it), else the first open step (not the first row, which is done), and
# the resume line names it.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

STUB=$SCREEN_TMP/slow
cat >"$STUB" <<'STUB'
#!/bin/sh
dir=$(dirname "$0")
echo $$ >>"$dir/slow.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
stop_stubs() {
	status=$?
	: >"$SCREEN_TMP/release"
	for p in $(cat "$SCREEN_TMP/slow.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_stubs; _screen_cleanup' EXIT

cat >"$SCREEN_TMP/pb.json" <<JSON
{
  "id": "resume-selection",
  "title": "Where a resume lands",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.one", "kind": "check", "title": "First look" },
      { "id": "a.two", "kind": "check", "title": "Second look" },
      { "id": "a.slow", "kind": "run", "title": "Slow probe", "run": "$STUB" },
      { "id": "a.last", "kind": "check", "title": "Last look" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

# A session quit after the first tick: the resume lands on a.two.
printf 'tick a.one\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator sam --session-dir "$SCREEN_TMP/quit" >"$SCREEN_TMP/quit.out" 2>&1
start_app -x 100 -y 24 drill "$SCREEN_TMP/quit"
wait_text 'resumed at a.two'
assert_fixed '│ a.two  check' "the step pane is not on the first open step"
keys_nowait q
wait_exit

# A live run cut off by the console's death: the resume lands on a.slow,
# past the open a.two above it.
mkfifo "$SCREEN_TMP/in"
run_rewind run "$SCREEN_TMP/pb.json" --batch --operator sam \
	--session-dir "$SCREEN_TMP/kill" <"$SCREEN_TMP/in" >"$SCREEN_TMP/kill.out" 2>&1 &
rpid=$!
exec 3>"$SCREEN_TMP/in"
printf 'tick a.one\nrun a.slow\n' >&3
wait_for 'test -s "$SCREEN_TMP/slow.pids"'
# The console's own pid, as its session.started journals it.
cpid=$(python3 -c 'import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "session.started":
        print(e["payload"]["console"]["pid"])' "$SCREEN_TMP/kill/journal.jsonl")
[ -n "$cpid" ] || fail "no console pid in the journal"
# Its keeper dies with it (else the keeper records how the run ended and
# nothing is left interrupted).
keeper=$(grep '"type":"step.spawned"' "$SCREEN_TMP/kill/journal.jsonl" |
	sed -n 's/.*"keeper":{"pid":\([0-9]*\).*/\1/p')
[ -n "$keeper" ] || fail "step.spawned names no keeper"
kill -9 "$cpid" "$keeper"
wait "$rpid" 2>/dev/null
exec 3>&-
: >"$SCREEN_TMP/release"
start_app -x 100 -y 24 run "$SCREEN_TMP/kill"
wait_text 'resumed at a\.slow \(interrupted\)'
assert_fixed '│ a.slow  run' "the step pane is not on the interrupted step"
keys_nowait q
pass "a resume selects the interrupted step, else the first open one, and names it"
