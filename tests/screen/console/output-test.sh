#!/bin/sh
# The Output tab says which command printed what: a line when a run
# starts (step, start time, command) and one when it ends (exit status,
# end time); tabs are expanded to 8-column stops; long lines scroll
# sideways with the keys of the action table (l/Right, h/Left), the pane
# saying from which column it shows them; and after quitting and resuming,
# the earlier runs' output is there again, read back from their cast files.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session

check() {
	screen_text | grep -qE -- "$1" || soft_fail "$2"
}

start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/console.json" \
	--session-dir "$SESSION_DIR" --operator sam --var PUBLISH_TOKEN=x

keys j j j Enter			# a.slow: prints, then waits for "go"
keys ']'				# the Output tab
wait_text 'LONG-START'
check '│ ▶ a\.slow  started 19:30:[0-9][0-9]  printf' \
	"no line says which step started which command when"
check '│ name    version tag$' "tabs are not expanded to 8-column stops"
check '│ widget  1\.2\.2   latest$' "tabs are not expanded to 8-column stops"
refute_fixed 'LONG-END'

keys Tab				# focus the Output tab
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do keys l; done
check 'LONG-END' "l does not scroll long lines sideways"
check '\[from column 145\] *$' "the pane does not say from which column it shows"
refute_fixed 'LONG-START'
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do keys Left; done
refute_fixed '[from column' "Left does not scroll back to the first column"
assert_fixed 'LONG-START'

touch "$SESSION_DIR/go"
wait_text '│ slow-done' 15
wait_text '│ ■ a\.slow  exit 0 after [0-9.]+s at 19:30:[0-9][0-9]$' 15
keys BTab j Enter			# a.quick: exits 3
wait_text '│ quick-output'
wait_text '│ ■ a\.quick  exit 3 after [0-9.]+s at 19:30:[0-9][0-9]:'
keys_nowait q
wait_text 'Quit the live console'
keys_nowait Enter
wait_exit

# --- resumed: the earlier runs' output is back --------------------------------------
fresh_server
start_app run "$SESSION_DIR" --operator sam
keys ']'
check '│ ▶ a\.slow  started 19:30:[0-9][0-9]  printf' "after a resume the first run's start line is gone"
check '│ widget  1\.2\.2   latest$' "after a resume the first run's output is gone"
check '│ slow-done$' "after a resume the first run's last line is gone"
check '│ ■ a\.slow  exit 0' "after a resume the first run's end line is gone"
check '│ quick-output$' "after a resume the second run's output is gone"
check '│ ■ a\.quick  exit 3' "after a resume the second run's end line is gone"
pass "run lines, tabs, sideways scrolling and the output of earlier runs after a resume"
