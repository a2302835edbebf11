#!/bin/sh
# The time ROLLED_BACK_AT offers (time_of) is when its step was done, and
# the report's recovery time never understates because of the minute:
#  - an interrupted run recorded done by a hand check offers the time of
#    that check (not the minute the run started);
#  - a ROLLED_BACK_AT set to the minute the console offered is the
#    journal's exact time in the report (to the second);
#  - one typed by hand to another minute counts as the end of that minute.
set -u
. "${REWIND_SRCDIR:-.}/tests/lib/resumelib.sh"
fail() { echo "FAIL: rollback-time-exact: $*"; exit 1; }
took() {	# took DIR: the report's rto_took_s
	"$bin" report "$1" --format json >"$tmp/r.json" 2>"$tmp/r.err" ||
		fail "report: $(cat "$tmp/r.err")"
	python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["metrics"]["rto_took_s"]))' "$tmp/r.json"
}

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "rollback-exact",
  "title": "A rollback and its exact time",
  "variables": {
    "DETECTED_AT": { "prompt": "when was it detected" },
    "PUSH_CMD": { "prompt": "the push command" },
    "ROLLED_BACK_AT": { "prompt": "when was it rolled back",
      "pattern": "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC",
      "time_of": ["e.push"] }
  },
  "targets_rto": { "default": "1h" },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [
      { "id": "e.push", "kind": "run", "title": "Move the tag",
        "run": "\"$PUSH_CMD\" x", "destructive": true, "confirm": "move" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [
      { "id": "c.moved", "kind": "message", "title": "Say when",
        "required": false, "channel": "file", "path": "moved.txt",
        "template": "moved back at ${ROLLED_BACK_AT}" } ] }
  ]
}
JSON

# --- a run that ended in the console: its end, to the second ----------------
printf '#!/bin/sh\necho done\n' >"$tmp/quick"
chmod +x "$tmp/quick"
walk() {	# walk DIR ROLLED_BACK_AT
	printf '%s\n' 'set DETECTED_AT "2026-11-21 19:20 UTC"' next next next \
		'confirm e.push move' 'run e.push' "set ROLLED_BACK_AT \"$2\"" \
		next next next quit |
		REWIND_TEST_NOW=2026-11-21T19:30:40Z "$bin" run "$tmp/pb.json" --batch \
		--operator sam --session-dir "$1" --var PUSH_CMD="$tmp/quick" \
		>"$1.out" 2>&1
	grep -q '"type":"session.completed"' "$1/journal.jsonl" ||
		fail "the walk did not complete: $(tail -3 "$1.out")"
}
walk "$tmp/a" "2026-11-21 19:30 UTC"
t=$(took "$tmp/a")
[ "$t" -ge 640 ] && [ "$t" -le 642 ] ||
	fail "ROLLED_BACK_AT as offered (19:30, the run ended 19:30:40) gave $t s, not 640 (the journal's exact time)"
grep -q 'recovered in 10m 4[0-2]s' "$tmp/a/report.md" ||
	fail "report.md: $(grep '^RTO' "$tmp/a/report.md")"
# Typed by hand to a later minute: that minute's end, 19:31:59.
walk "$tmp/b" "2026-11-21 19:31 UTC"
t=$(took "$tmp/b")
[ "$t" = 719 ] || fail "ROLLED_BACK_AT typed as 19:31 gave $t s, not 719 (the end of that minute)"

# --- an interrupted run checked by hand: the time of the check ----------------
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
S=$tmp/s
args="--batch --session-dir $S --operator sam --var PUSH_CMD=$tmp/slow-push"
mkfifo "$tmp/in1"
sleep 60 >"$tmp/in1" &
feed_pid=$!
# shellcheck disable=SC2086
REWIND_TEST_NOW=2026-11-21T07:37:10Z "$bin" run "$tmp/pb.json" $args \
	<"$tmp/in1" >"$tmp/out1" 2>&1 &
rw_pid=$!
exec 3>"$tmp/in1"
printf '%s\n' 'set DETECTED_AT "2026-11-21 06:40 UTC"' next next next \
	'confirm e.push move' 'run e.push' >&3
wait_for 'test -s "$tmp/push.pids"'
wait_for 'grep -q step.spawned "$S/journal.jsonl"'
kill -KILL "$rw_pid"
wait "$rw_pid" 2>/dev/null
rw_pid=
exec 3>&-
kill "$feed_pid"
feed_pid=
touch "$tmp/release"
wait_for 'test -s "$tmp/pushed"'
# shellcheck disable=SC2086
printf '%s\n' 'tick e.push npm view shows latest moved' next next 'send c.moved' \
	'set ROLLED_BACK_AT "2026-11-21 07:38 UTC"' next |
	REWIND_TEST_NOW=2026-11-21T07:38:49Z "$bin" run "$S" $args >"$tmp/out2" 2>&1
grep -qx 'moved back at 2026-11-21 07:38 UTC' "$S/messages/moved.txt" 2>/dev/null ||
	fail "the offered time is not when the run was checked done (07:38): $(cat "$S/messages/moved.txt" 2>&1)"
t=$(took "$S")
[ "$t" -ge 3529 ] && [ "$t" -le 3531 ] ||
	fail "the report counted $t s, not 58m49s (06:40 to the hand check at 07:38:49)"
echo "PASS: rollback-time-exact: the offered time is when the step was done, and the report keeps its seconds"
