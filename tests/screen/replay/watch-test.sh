#!/bin/sh
# rewind watch follows a session that other processes drive: the past is
# in the Journal tab, events appended by a batch session show within a
# second, acting keys are refused (and neither the key bar nor the help
# offers them), and the watcher approves as themselves
# through the approve dialog (journalled with their name as the actor,
# like `rewind approve`). Quitting writes nothing.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session

# The walk up to the approve phase, by a batch session that then exits
# (status 1: the session is left incomplete).
grep -v '^#' "$REWIND_SRCDIR/playbooks/example.walk" | sed '/^approve /,$d' |
	run_rewind drill --batch --session-dir "$SESSION_DIR" --operator sam \
		"$REWIND_SRCDIR/playbooks/example.json" >"$SCREEN_TMP/prefix.out" 2>&1
[ "$(journal_count phase.advanced)" = 2 ] ||
	fail "batch prefix did not reach the approve phase"
n0=$(wc -l <"$SESSION_DIR/journal.jsonl")

start_app watch "$SESSION_DIR"
# The batch session has ended: no console drives it, and the watcher
# says so first.
wait_text 'no console is driving this session since 19:30:00 UTC'
assert_fixed ' WATCH: NO CONSOLE '
assert_fixed '▶ approve'
assert_fixed '[ ] Engineering lead sign'

# The past is in the Journal tab.
keys ']' ']'
assert_fixed '[Journal]'
assert_text 'decision.made +decide.respo'
keys '[' '['

# Acting keys are refused; nothing is journalled.
keys Space
assert_fixed 'watching: read-only here; a approves the selected step'
keys m
keys '>'
[ "$(wc -l <"$SESSION_DIR/journal.jsonl")" = "$n0" ] ||
	fail "a refused key wrote to the journal"

# The key bar and the help list only what works here: moving, reading,
# searching the log and approving (no tick, note, next phase, variable,
# tag pick, refresh, update reminder or message edit).
[ "$(row 24)" = " a approve ? help q quit Tab pane" ] ||
	fail "the watch key bar offers more than works: $(row 24)"
resize 80 40
keys '?'
expect_screen watch-help 1 39 <<'EOF'
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
   /                Search the log
   n                Jump to the next match
   N                Jump to the previous match
   f                Follow the log as it grows
   C-l              Redraw the screen
 Checklist
   a                Record an approval of the selected approve step
 Log
   n                Jump to the next match
   N                Jump to the previous match
   /                Search the log
   f                Follow the log as it grows
   h, Left          Show the output from further left
   l, Right         Show the rest of long output lines
 Dialogs
   Enter            Accept the dialog
   Esc              Close the dialog without any effect
   Down             Move the selection down
   Up               Move the selection up
 Checklist marks
   [ ]              to do
   [✓]              done
   […]              running
   [✗]              failed
   [-]              skipped (left open when the phase ended)
EOF
keys '?'
resize 80 24
assert_fixed '[ ] Engineering lead sign'

# The watcher approves as erin.
keys a
assert_fixed 'Engineering Lead'
keys Enter
type_text erin
keys Enter
type_text "seen from the war room"
keys Enter
# Before signing, the watcher sees what the sign-off covers and answers.
assert_fixed 'Sign as erin (Engineering Lead)?'
assert_fixed 'execute.checkout'
assert_text 'DESTRUCTIVE|destructive'
grep -q '"type":"approval.granted"' "$SESSION_DIR/journal.jsonl" &&
	fail "the approval was recorded before the watcher answered"
keys y					# one key signs
assert_fixed '[✓] Engineering lead sig… erin '
grep -q '"actor":"erin","type":"approval.granted","phase":"approve","step":"approve.signoff"' \
	"$SESSION_DIR/journal.jsonl" || fail "no approval.granted by erin in the journal"

# Another process moves on and ticks: the watcher shows it within a second.
printf 'next\nconfirm execute.checkout 1.3.2\nrun execute.checkout\n' |
	run_rewind drill --batch --operator sam "$SESSION_DIR" >"$SCREEN_TMP/more.out" 2>&1
[ "$(journal_count step.finished execute.checkout)" = 1 ] ||
	fail "the batch session did not run execute.checkout"
wait_text '▶ execute' 1
wait_text '\[✓\] Check out the last go…' 1
# The status says what the other process did, or, once it has ended,
# that no console drives the session (the newer truth wins).
assert_text 'from another terminal|no console is driving this session since|the console ended at the end of its input'

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "watch exit status $APP_EXIT"
screen_text -J | grep -qxF "rewind: stopped watching $SESSION_DIR" ||
	fail "no goodbye line"
run_rewind verify "$SESSION_DIR" >/dev/null || fail "the journal does not verify"
pass
