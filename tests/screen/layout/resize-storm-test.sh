#!/bin/sh
# A resize storm while a LIVE step streams output: 20 resizes between
# sizes large, small and too small, half of them waited for (the app has
# drawn that size) and half fired back to back; the app stays alive, the
# step runs to its end, and the final 80x24 screen is intact.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/screen-stream.json" \
	--session-dir "$SESSION_DIR" --operator sam
# While output streams the app is never idle for long: no wait_idle
# until the step is over, only waits for what the screen shows.
keys_nowait Enter			# start streaming
wait_text 'assess.stream  run  running' 5
# The step has only started: the status line must not call it done.
row 23 | grep -q ' done$' &&
	soft_fail "status line says \"$(row 23 | sed 's/^ //')\" while the step is still running"
keys_nowait ']'				# watch the Output tab
wait_text '│ line [0-9]+$' 5

n=0
for size in 100x30 120x40 60x16 200x60 50x12 90x25 140x45 70x20 \
	    40x10 80x24 160x50 61x17 120x30 59x15 100x35 200x60 \
	    75x22 130x40 64x18 100x30; do
	cols=${size%x*} rows=${size#*x}
	n=$((n + 1))
	resize_nowait "$cols" "$rows"
	if [ $((n % 2)) = 0 ]; then
		wait_fit "$cols" "$rows" 3
	fi
	app_alive || fail "the app died at resize $n ($size)"
done
[ "$n" = 20 ] || fail "only $n resizes"
# The step was still streaming through all of it.
[ "$(journal_count step.finished assess.stream)" = 0 ] ||
	fail "the step ended before the storm did: no output during the storm"
: >"$SCREEN_TMP/storm-over"		# let the step finish

resize 80 24
wait_text '│ stream finished$' 10
wait_text '^\[✓\] Stream output through' 5
wait_idle
expect_screen after-storm <<'EOF'
 LIVE  TEST MODE  Screen test: a step that streams output                 MmSSs
 ▶ assess  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  1/2             │ Step  [Output]  Jrnl   Tgt   Tags   Reg
[✓] Stream output through… sam hh:mm│ after storm 9
[ ] Looked at the output            │ after storm 10
                                    │ after storm 11
                                    │ after storm 12
                                    │ after storm 13
                                    │ after storm 14
                                    │ after storm 15
                                    │ after storm 16
                                    │ after storm 17
                                    │ after storm 18
                                    │ after storm 19
                                    │ after storm 20
                                    │ after storm 21
                                    │ after storm 22
                                    │ after storm 23
                                    │ after storm 24
                                    │ after storm 25
                                    │ stream finished
                                    │ ■ assess.stream  exit 0 after D at hh:mm:ss
 assess.stream done
 Enter act ? help q quit Tab pane m note
EOF

# Nothing was lost to the storm: the Output scrollback starts at line 1,
# below the run's start line (focus the Output pane, jump to its top) and
# the journal counts every line.
keys Tab g
row 4 | grep -q '│ ▶ assess\.stream  started ' ||
	soft_fail "the Output tab does not start with the run's start line"
[ "$(row 5)" = '[ ] Looked at the output            │ line 1' ] ||
	soft_fail "the top of the output is not line 1"

[ "$(journal_count step.finished assess.stream)" = 1 ] || fail "no step.finished"
lines=$(grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" |
	sed -n 's/.*"lines":\([0-9]*\).*/\1/p')
[ "${lines:-0}" -ge 426 ] || fail "the step's output has $lines lines, not at least 426"
grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" | grep -q '"exit":0,' ||
	fail "the step did not exit 0: $(grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl")"

keys q
assert_fixed 'Quit the live console?'
keys_nowait Enter
wait_exit
[ "$APP_EXIT" = 0 ] || fail "the live console did not exit cleanly"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "rewind verify failed"
pass "20 resizes during a streaming step"
