#!/bin/sh
# Ctrl-C in the live console is q: it asks, naming the command still
# running; Esc stays; a second Ctrl-C (or Enter) quits, the journal says
# how the console ended and what still ran, and the terminal says after
# exit which command goes on (pid, command) and how to resume. SIGTERM
# ends the console the same way, journalled with the signal's name.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

. "$REWIND_SRCDIR/tests/screen/lib/slowpush.sh"


set -- run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
	--session-dir "$SESSION_DIR" --operator sam \
	--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
start_app -x 100 -y 26 "$@"
keys '>' '>' '>'
keys Enter
type_text 'push 1.2.3'
keys Enter
wait_for 'test -s "$SCREEN_TMP/push.pids"'
pid=$(grep '"type":"step.spawned"' "$SESSION_DIR/journal.jsonl" |
	sed 's/.*"payload":{"pid":\([0-9]*\).*/\1/')

# Ctrl-C asks, naming what still runs; Esc stays.
keys C-c
app_alive || fail "Ctrl-C ended the console without asking"
wait_text 'Quit the live console\? e\.push is still running'
keys Escape
refute_fixed 'Quit the live console?'
app_alive || fail "the console ended after Esc"
[ "$(journal_count session.quit)" = 0 ] || fail "session.quit journalled after Esc"

# Ctrl-C twice quits.
keys C-c
wait_text 'Quit the live console\?'
keys_nowait C-c
wait_exit
grep '"type":"session.quit"' "$SESSION_DIR/journal.jsonl" |
	grep -q "\"how\":\"quit\",\"running\":\[{\"step\":\"e.push\",\"pid\":$pid," ||
	fail "session.quit does not name the running e.push with its pid"
screen_text -J | grep -qF "rewind: e.push is still running (pid $pid): \"$STUB\" \"1.2.3\"" ||
	fail "the terminal does not say after exit what still runs"
screen_text -J | grep -qF "resume it with: rewind run $SESSION_DIR" ||
	fail "no resume line after Ctrl-C"

# SIGTERM: the console ends as q would and journals the signal.
# e.push, still running when the console quit, ends meanwhile: the next
# console says at once how it ended, as its keeper recorded it.
touch "$SCREEN_TMP/release"
wait_for "grep -q '\"exit\"' '$SESSION_DIR'/output/e.push-*.status"
start_app -x 150 -y 26 run "$SESSION_DIR"
wait_text 'e\.push ended after the console quit: done, exit 0 at [0-9:]+ UTC'
# The Output tab dates its end by the keeper's record, not the resume.
ended=$(sed 's/.*"ended":"[0-9-]*T\([0-9:]*\).*/\1/' "$SESSION_DIR"/output/e.push-*.status)
tab Output
wait_text "e\.push  exit 0 after .* at $ended \(after the console quit\)"
rpid=$(app_pid) || fail "cannot find rewind's pid"
kill -TERM "$rpid"
wait_exit
[ "$(journal_count session.quit)" = 2 ] || fail "SIGTERM did not journal session.quit"
grep '"type":"session.quit"' "$SESSION_DIR/journal.jsonl" | tail -n 1 |
	grep -q '"how":"SIGTERM"' || fail "the second session.quit does not say SIGTERM"
screen_text -J | grep -qF "resume it with: rewind run $SESSION_DIR" ||
	fail "no resume line after SIGTERM"
# The next resume learned nothing new of e.push: the status line does not
# repeat what the previous resume already said and journalled.
start_app -x 150 -y 26 run "$SESSION_DIR"
wait_text '^ resumed'
wait_idle
refute_text 'e\.push ended after the console quit' \
	"a second resume repeats the previous resume's news"
keys_nowait q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "the journal does not verify"
pass "Ctrl-C asks as q does; Ctrl-C, q and SIGTERM journal how the console ended and what still ran"
