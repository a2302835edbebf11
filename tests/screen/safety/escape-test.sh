#!/bin/sh
# Command output is untrusted: in a LIVE run, a step that prints cursor
# movement, screen clears, OSC 52 (clipboard), an OSC title, a bell, \r
# and \b must neither move, clear nor retitle anything. The console shows
# the bytes as visible text (^[[2J, ^G...), the header and the key bar stay
# in place, tmux's pane title is not "pwned" and its clipboard stays
# empty. Its SGR colour alone is kept, re-rendered by curses (see
# sgr-test.sh).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/screen-escapes.json" \
	--session-dir "$SESSION_DIR" --operator sam
# OSC 52 would land in tmux's paste buffers if it got through.
tm set-option -g set-clipboard on
title_before=$(pane_title)
[ "$title_before" != pwned ] || fail "pane title already pwned"
assert_text '^ LIVE  TEST MODE  Screen test: a command that prints terminal escapes'

keys Enter				# run it (not destructive: no dialog)
wait_text '\[✓\] Print hostile escape … sam ' 10
keys ']'				# the Output tab
wait_text 'escapes printed' 5

expect_screen output <<'EOF'
 LIVE  TEST MODE  Screen test: a command that prints terminal escapes     MmSSs
 ▶ assess  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  1/1             │ Step  [Output]  Jrnl   Tgt   Tags   Reg
[✓] Print hostile escape … sam hh:mm│ ▶ assess.hostile  started hh:mm:ss  printf
                                    │ home^[[Hclear^[[2Jend
                                    │ clip^[]52;c;cHduZWQ=^Gboard
                                    │ title^[]0;pwned^Gset
                                    │ bell^Grang
                                    │ status: OK^H^HFAIL
                                    │ spoofed^MREAL
                                    │ colourREDplain
                                    │ escapes printed
                                    │ ■ assess.hostile  exit 0 after D at hh:mm:ss
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
                                    │
 assess.hostile done
 Enter act ? help q quit Tab pane m note > next
EOF

# Not one byte of it reached the terminal as a control: no colour on the
# hostile rows; RED (row 11, below the run's start line) is red, drawn by
# curses.
esc=$(printf '\033')
screen_text -e | sed -n 5,10p | grep -q "${esc}\[31m" &&
	fail "a hostile row is red"
screen_text -e | sed -n 11p | grep -q "${esc}\[31mRED" ||
	fail "the output's SGR red is not re-rendered"
[ "$(pane_title)" = "$title_before" ] ||
	fail "the pane title changed to \"$(pane_title)\""
[ "$(pane_title)" != pwned ] || fail "the pane title is pwned"
[ -z "$(tm list-buffers 2>/dev/null)" ] ||
	fail "OSC 52 set a tmux paste buffer: $(tm list-buffers)"

# Live: q asks first; Enter confirms.
keys q
assert_fixed 'Quit the live console?'
keys_nowait Enter
wait_exit
[ "$APP_EXIT" = 0 ] || fail "the live console did not exit cleanly"
screen_text -J | grep -qxF "rewind: session saved; resume it with: rewind run $SESSION_DIR" ||
	fail "no resume line after quitting the live session"
# The escapes printed after the app left the screen are not replayed.
[ "$(pane_title)" != pwned ] || fail "the pane title is pwned after exit"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "rewind verify failed"
pass "hostile output shown as text; screen, title and clipboard intact"
