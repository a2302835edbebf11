#!/bin/sh
# The console is killed (SIGKILL) while a destructive push runs; the
# resumed console finds it still running and the operator stops it (the
# cancel key). Its pane then says what was done and what is known: who
# stopped it and with which signal, and what its keeper recorded (killed
# by SIGTERM at T), never that its exit status is unknown; the outcome
# stays unknown (stopped while it ran, it may have acted).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

. "$REWIND_SRCDIR/tests/screen/lib/slowpush.sh"

kill_mid_push

start_app -x 260 -y 34 run "$SESSION_DIR" --operator sam
wait_text 'still running from the previous console'
n=0
until screen_text | grep -q 'press .* to stop it'; do
	[ "$n" -lt 6 ] || fail "no stop hint on e.push's pane"
	keys Up
	n=$((n + 1))
done
key=$(screen_text | sed -n 's/.*or press \([^ ]*\) to stop it.*/\1/p' | head -n 1)
[ -n "$key" ] || fail "no stop key named"
keys "$key"
wait_for 'test "$(journal_count step.orphan_ended)" = 1' 10
wait_text 'Its run: stopped by sam \(SIGTERM sent at [0-9:]+ UTC\); its keeper recorded: killed by SIGTERM at [0-9:]+ UTC'
refute_text 'exit status is unknown'
assert_text 'Last run: interrupted .* outcome unknown'
pass "a stopped orphan's pane says who stopped it, with which signal, and what its keeper recorded"
