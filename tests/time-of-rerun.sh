#!/bin/sh
# A time_of variable offers when the world changed: the first successful
# run of its step since the step's values were last set. A re-run with
# the same values (npm's "already set") does not move it; a change of
# value reopens the step, and its next success is the new time.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{"id":"time-of-rerun","title":"Move and say when",
 "variables":{
   "V":{"prompt":"version","default":"1.2.2"},
   "MOVED_AT":{"prompt":"When latest was moved back",
     "pattern":"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} UTC","time_of":["a.move"]}},
 "phases":[{"id":"assess","steps":[
   {"id":"a.move","kind":"run","title":"Move latest back","run":"echo moved to $V"},
   {"id":"a.moved","kind":"message","title":"Say when it moved","required":false,
    "channel":"file","path":"moved.txt","template":"latest moved back at ${MOVED_AT}"}]},
 {"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[]},
 {"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
S=$tmp/s
# at TIME ACTIONS...: one batch run on the session at TIME
at() {
	when=$1; shift
	printf '%s\n' "$@" quit >"$tmp/in"
	REWIND_TEST_NOW=$when "$bin" run "${target:-$tmp/pb.json}" --batch \
		--operator olga --session-dir "$S" <"$tmp/in" >"$tmp/out" 2>&1
	target=$S
}
# moved: the text of the last message sent (a second send writes moved-2.txt)
moved() {
	f=$S/messages/moved.txt
	[ -f "$S/messages/moved-2.txt" ] && f=$S/messages/moved-2.txt
	cat "$f" 2>/dev/null
}

at 2026-01-01T10:09:00Z 'run a.move'
at 2026-01-01T10:15:00Z 'run a.move' 'send a.moved'
[ "$(grep -c '"type":"step.finished"' "$S/journal.jsonl")" = 2 ] ||
	fail "a.move did not run twice: $(cat "$tmp/out")"
[ "$(moved)" = 'latest moved back at 2026-01-01 10:09 UTC' ] ||
	fail "a re-run with the same values moved the time offered: $(moved)"
# A new value reopens it: its next success is when the world changed.
at 2026-01-01T10:20:00Z 'set V 1.2.1' 'run a.move' 'send a.moved'
[ "$(moved)" = 'latest moved back at 2026-01-01 10:20 UTC' ] ||
	fail "after a new value the time offered is not the next run's: $(moved)"
exit $failed
