#!/bin/sh
# The help overlay (?) is generated from the keymap and the action table;
# it is captured whole here, so a binding added, removed or relabelled
# shows up as a diff. Also: it covers the whole screen but the key bar
# (header row included), each action is listed once per context with all
# its keys, the legend of the checklist's marks ends it, j/k and C-d
# scroll it without running off its end, ? closes it and any other key
# (q too) closes it without acting.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
# 80x60: tall enough for the whole overlay on one screen.
start_app -x 80 -y 60 drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SESSION_DIR" --operator sam
keys '?'
expect_screen help-80x60 <<'EOF'
 rewind keys (any other key closes; j/k scroll)
 Everywhere
   ?                Show or hide this help
   q                Quit (the session stays resumable)
   Tab              Focus the next pane
   S-Tab            Focus the previous pane
   ]                Show the next side tab
   [                Show the previous side tab
   j, Down          Move the selection down
   k, Up            Move the selection up
   g, Home          Jump to the first line
   G, End           Jump to the last line
   C-d, PgDn        Scroll half a page down
   C-u, PgUp        Scroll half a page up
   m                Add a note to the journal
   s                Set one of the playbook's variables
   >                Advance to the next phase
   /                Search the log
   n                Jump to the next match
   N                Jump to the previous match
   f                Follow the log as it grows
   C-l              Redraw the screen
   R                Re-read the tags and refresh the registry answers now
   u                Open the due update reminder, ready to send
   U                Dismiss the due update reminder
 Checklist
   Enter            Act on the selected step (run, tick, choose...)
   Space            Tick (or untick) a check; record an interrupted run done
   x                Mark the selected step not applicable, with a reason
   a                Record an approval of the selected approve step
   c                Cancel the running command
   y                Copy the approve step's rewind approve command (OSC 52)
   Y                Show the approve command on one line to copy with the mouse
 Log
   n                Jump to the next match
   N                Jump to the previous match
   /                Search the log
   f                Follow the log as it grows
   h, Left          Show the output from further left
   l, Right         Show the rest of long output lines
 Dialogs
   Enter            Accept the dialog
   y, Y             Answer yes to a y/N question (no Enter)
   n, N             Answer no to a y/N question (no Enter)
   Esc              Close the dialog without any effect
   e                Edit the message in $VISUAL or $EDITOR before sending
   Down             Move the selection down
   Up               Move the selection up
   Left             In a typed value: move the cursor one character left
   Right            In a typed value: move the cursor one character right
   Home, Ctrl-A     In a typed value: move the cursor to its start
   End, Ctrl-E      In a typed value: move the cursor to its end
   Backspace        In a typed value: delete the character before the cursor
   Ctrl-U           In a typed value: clear it
   Ctrl-W           In a typed value: delete the word before the cursor
 Tags
   Enter            Set the selected input step's variable to this tag
 Registry
   Enter            Set the selected input step's variable to this version
 Enter act x n/a ? help q quit Tab pane m note
EOF

# ? again closes it and the console is back as it was.
keys '?'
assert_text '^ DRILL  TEST MODE  Example' "? did not close the help"
assert_fixed '[ ] See what is deployed and wheth…'
refute_fixed 'rewind keys'

# At 80x24 it does not fit: j scrolls one line, C-d half a page, and
# scrolling stops with the last line at the bottom (22 overlay rows for
# 66 lines: at most 44 lines scrolled away).
resize 80 24
keys '?'
assert_fixed '   C-l              Redraw the screen'
refute_fixed 'Dialogs'
keys j
[ "$(row 2)" = '   ?                Show or hide this help' ] ||
	soft_fail "j did not scroll the help by one line"
keys C-d C-d C-d C-d C-d
expect_screen help-80x24-end <<'EOF'
 rewind keys (any other key closes; j/k scroll)
   Down             Move the selection down
   Up               Move the selection up
   Left             In a typed value: move the cursor one character left
   Right            In a typed value: move the cursor one character right
   Home, Ctrl-A     In a typed value: move the cursor to its start
   End, Ctrl-E      In a typed value: move the cursor to its end
   Backspace        In a typed value: delete the character before the cursor
   Ctrl-U           In a typed value: clear it
   Ctrl-W           In a typed value: delete the word before the cursor
 Tags
   Enter            Set the selected input step's variable to this tag
 Registry
   Enter            Set the selected input step's variable to this version
 Checklist marks
   [ ]              to do
   [✓]              done
   […]              running
   [✗]              failed
   [-]              skipped (left open when the phase ended)
   [/]              n/a: marked so, or its condition can no longer hold
   [?]              waiting on a variable its condition names (not counted)
   [‽]              interrupted, outcome unknown (its console ended)
 Enter act x n/a ? help q quit Tab pane m note
EOF
keys k
[ "$(row 2)" = '   e                Edit the message in $VISUAL or $EDITOR before sending' ] ||
	soft_fail "k after the end did not scroll back up by one line"

# Any other key closes it and does nothing else: Enter must not run the
# selected step.
keys Enter
refute_fixed 'rewind keys' "Enter did not close the help"
assert_fixed '[ ] See what is deployed and wheth…' "Enter ran the step behind the help"
[ "$(journal_count step.started)" = 0 ] || fail "Enter ran a step while closing the help"

# q, like any other key, closes the help (it quit the whole drill at
# once): the console stays.
keys '?'
wait_text 'rewind keys' 5
keys q
refute_fixed 'rewind keys' "q did not close the help"
assert_fixed '[ ] See what is deployed and wheth…' "q quit the console from the help"

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
pass "help overlay generated from the keymap"
