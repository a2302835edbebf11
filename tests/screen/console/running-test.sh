#!/bin/sh
# A running step looks alive: its checklist row and the step pane show a
# spinner and the time since it started, both moving while it runs; the
# Output tab follows the new run even when it was scrolled back before;
# and the timer that animates it (two frames a second) runs only while a
# step runs: after the run the app draws no more often than before it.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session

# frames_in SECS: how many frames the app drew while the header clock
# moved on by SECS seconds (a bounded wait on the clock, not a sleep).
# Wake-ups would count the poll timers too, whose jitter on a loaded
# machine reached the spinner's own count; frames count only redraws.
frames_in() {
	n0=$(cat "$SCREEN_FRAMES")
	target=$(( $(clock_secs) + $1 ))
	i=0
	until [ "$(clock_secs)" -ge "$target" ]; do
		[ "$i" -lt $((100 * $1 * REWIND_TEST_SLACK)) ] || { echo "the header clock did not move on by $1 s" >&2; echo -1; return; }
		sleep 0.02
		i=$((i + 1))
	done
	echo $(( $(cat "$SCREEN_FRAMES") - n0 ))
}

# clock_secs: the header clock (MmSSs, e.g. 2m05s, at the end of row 1) in
# seconds.
clock_secs() {
	row 1 | awk '{ n = split($NF, t, /[ms]/); print t[1] * 60 + t[2] }'
}

start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/console.json" \
	--session-dir "$SESSION_DIR" --operator sam --var PUBLISH_TOKEN=x

# Some output first, then the Output tab scrolled back.
keys j j j j Enter
wait_text 'a\.quick failed'
base=$(frames_in 8)		# frames with nothing running: the header clock
keys ']' Tab k k
wait_text '\[scroll\]'
keys BTab k Enter			# a.slow, while Output is scrolled back

wait_text '│ LONG-START'
refute_fixed '[scroll]' "the Output tab did not follow the new run"
row=$(screen_text | grep -F "[…] List the tags" | sed "s/│.*//")
printf '%s\n' "$row" | grep -qE 'running [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [0-9]+:[0-5][0-9]$' ||
	soft_fail "the running step's checklist row has no spinner and elapsed time: $row"
keys '['				# the Step tab
assert_text 'a\.slow  run  running [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [0-9]+:[0-5][0-9]' \
	"the step pane shows no spinner and elapsed time"
first=$(screen_text | grep -F 'a.slow  run')
i=0
until [ "$(screen_text | grep -F 'a.slow  run')" != "$first" ]; do
	[ "$i" -lt 300 ] || fail "the spinner and clock of the running step do not move: $first"
	sleep 0.01
	i=$((i + 1))
done
wait_text 'a\.slow  run  running . 0:(0[2-9]|[1-5][0-9])' 10

busy=$(frames_in 8)		# frames while it runs: the spinner's 2 a second too
touch "$SESSION_DIR/go"
wait_text 'a\.slow  run  done'
idle=$(frames_in 8)		# and once nothing runs again
# The header clock redraws once a second, the spinner twice more while a
# step runs (16 frames in 8 s); once the run has ended the app draws as
# rarely as before it. A frame that lands on a window's edge, or a late
# journal poll that finds news, may add one or two: the margin is 4.
[ "$base" -ge 0 ] && [ "$idle" -ge 0 ] && [ "$idle" -le $((base + 4)) ] ||
	soft_fail "$idle frames in 8 s after the run, $base before it, $busy while it ran: the animation timer goes on"
[ "$busy" -ge $((base + 8)) ] ||
	soft_fail "$busy frames in 8 s while it ran, $base with nothing running: no animation"
pass "spinner and elapsed time while running, Output follows, no redraws when idle"
