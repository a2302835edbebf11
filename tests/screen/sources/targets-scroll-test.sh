#!/bin/sh
# The Targets tab scrolls with the usual keys (it did not: the drill's
# world below the targets was cut off on a short screen). On a 100x16
# screen the p0-outage drill's Targets tab (in the watch) holds more rows;
# with the side pane focused, j scrolls it down past the first line to
# the world's last endpoint, and g brings the first line back. The
# world is the game master's while the drill is open: read in the watch.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

printf 'quit\n' | run_rewind drill --session-dir "$SCREEN_TMP/s" \
	--scenario p0-outage --no-real-in-clone --batch --operator sam \
	"$REWIND_SRCDIR/playbooks/web-service-rollback.json" >/dev/null 2>&1
[ -s "$SCREEN_TMP/s/journal.jsonl" ] || fail "the drill was not started"
start_app -x 100 -y 16 watch "$SCREEN_TMP/s"
wait_text 'q quit' 5
n=0
until screen_text | grep -q "\[Targets\]"; do
	[ "$n" -lt 8 ] || fail "no [Targets] tab after 8 presses of ]"
	keys ]
	n=$((n + 1))
done
wait_text '│ Game master: scenario' 5
refute_fixed 'endpoint http://staging:8000' "the whole world fits: nothing to scroll"
# Focus the side pane (Tab cycles the panes), then scroll down.
n=0
until [ "$n" -ge 3 ] || screen_text | grep -q 'endpoint http://staging:8000'; do
	keys Tab
	keys j j j j j j j j j j j j
	n=$((n + 1))
done
wait_text 'endpoint http://staging:8000' 5
refute_fixed '│ Game master: scenario' "the first line is still shown after scrolling down"
keys g
wait_text '│ Game master: scenario' 5
pass "the Targets tab scrolls"
