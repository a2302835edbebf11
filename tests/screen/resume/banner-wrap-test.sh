#!/bin/sh
# At 80 columns nothing is cut without saying so: the RESUMED banner's
# heading wraps to two rows rather than lose its end; a step's row of the
# banner that does not fit ends in "…" (the step pane has it whole); a
# status line too long for the screen ends in "…" and is kept whole in
# the Output tab, where sideways scrolling shows its end.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
dir=$(dirname "$0")
echo "pushing $1"
echo $$ >>"$dir/push.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
stop_stubs() {
	status=$?
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_stubs; _screen_cleanup' EXIT


set -- run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
start_app "$@"
keys '>' '>' '>'
keys Enter
assert_fixed 'Type push 1.2.3 to run it.'
type_text 'push 1.2.3'
keys Enter
wait_for 'test -s "$SCREEN_TMP/push.pids"'
rpid=$(app_pid) || fail "cannot find rewind's pid"
kill -KILL "$rpid"
wait_for 'test ! -e "/proc/$rpid"'

start_app "$@"
wait_text '^ RESUMED' 5
[ "$(row 3)" = ' RESUMED: the previous console ended while this was running; outcome unknown,' ] ||
	fail "the banner's first row is not the start of its heading: '$(row 3)'"
[ "$(row 4)" = ' check before running again' ] ||
	fail "the banner's heading does not go on on a second row: '$(row 4)'"
row 5 | grep -q '^  e\.push: still running from the previous console, .*…$' ||
	fail "the banner's step row is not cut with an ellipsis: '$(row 5)'"

# Enter: refused (its run still goes on); the status line is too long.
keys Enter
wait_text '^ e\.push is still running from the previous console' 3
status=$(row 23)
case $status in
' e.push is still running from the previous console (pid '*'…') ;;
*) fail "the long status line does not end in an ellipsis: '$status'" ;;
esac
# The whole of it in the Output tab: its end shows when scrolled sideways.
n=0
until screen_text | grep -qF '[Output]'; do
	[ "$n" -lt 8 ] || fail "no [Output] tab after 8 presses of ]"
	keys ']'
	n=$((n + 1))
done
keys Tab
assert_fixed 'status: e.push is still'
n=0
until screen_text | grep -qF 'press c to stop it'; do
	[ "$n" -lt 20 ] || fail "the status line's end is not in the Output tab"
	keys l
	n=$((n + 1))
done
pass "the banner wraps and cut lines end in an ellipsis, kept whole"
