#!/bin/sh
# Replay's search matches the text as the screens show it: a word split by
# SGR colour codes in a command's output ("ne<bold>edl</bold>e") is found,
# the journal's JSON keys and hashes are not ("prev"); n and N go to the
# next and previous match and the status line says when a search wrapped
# and when nothing matches.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
printf 'run assess.colours\n' |
	run_rewind run "$REWIND_SRCDIR/tests/fixtures/playbooks/screen-sgr.json" --batch \
		--session-dir "$SESSION_DIR" --operator sam >"$SCREEN_TMP/batch.out" 2>&1
[ "$(journal_count step.finished assess.colours)" = 1 ] ||
	{ cat "$SCREEN_TMP/batch.out"; fail "the batch run did not finish assess.colours"; }
started=$(grep -n '"type":"step.started"' "$SESSION_DIR/journal.jsonl" | cut -d: -f1)
finished=$(grep -n '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" | cut -d: -f1)

start_app -x 120 replay "$SESSION_DIR"

# A word the output shows whole, split by SGR codes in the journal.
keys g /
type_text needle
keys Enter
row 24 | grep -q "^ match: event $finished: " ||
	soft_fail "/needle did not find the output line 'find needle here' (status: '$(row 24)')"

# The journal's JSON is not what is searched.
keys /
type_text '"prev"'
keys Enter
[ "$(row 24)" = ' no event matches ""prev""' ] ||
	soft_fail "/\"prev\" matched the journal's JSON (status: '$(row 24)')"

# n and N: forwards, backwards, and wrapping said in the status line.
keys g /
type_text assess.colours
keys Enter
row 24 | grep -q "^ match: event $started: " ||
	soft_fail "/assess.colours did not go to the run's start, event $started (status: '$(row 24)')"
keys N
row 24 | grep -qE "^ wrapped to the end: event [0-9]+: " ||
	soft_fail "N before the first match does not say it wrapped to the end (status: '$(row 24)')"
keys n
row 24 | grep -q "^ wrapped to the start: event $started: " ||
	soft_fail "n after the last match does not say it wrapped to the start (status: '$(row 24)')"
keys n
row 24 | grep -qE "^ match: event [0-9]+: " ||
	soft_fail "n does not go on to the next match (status: '$(row 24)')"

keys_nowait q
wait_exit
[ -z "$_screen_mismatches" ] || fail "replay's search:$_screen_mismatches"
pass "replay's search matches what the screens show, with n, N and wrapping"
