#!/bin/sh
# At 80 columns the header of a complete live session keeps the
# playbook's title: the clock's "since detected" goes first, then the
# versions, before the title is left out.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
printf '%s\n' 'set DETECTED_AT "2026-11-21 19:27 UTC"' next next next \
	'run dist-tag' 'run dist-tag-check' next 'tick users-ok' next \
	'tick notice' 'set ROLLED_BACK_AT "2026-11-21 19:30 UTC"' next |
	run_rewind run "$REWIND_SRCDIR/tests/fixtures/playbooks/redo.json" --batch \
	--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/walk.out" 2>&1
grep -q '"type":"session.completed"' "$SESSION_DIR/journal.jsonl" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the batch walk did not complete the session"; }

start_app run "$SESSION_DIR" --operator sam
wait_text 'COMPLETE'
assert_text '^ LIVE  TEST MODE  Channel rollback' \
	"the title is left out of a complete session's header at 80 columns"
assert_text 'of 10m RTO, met$' "the clock's verdict is cut"
keys_nowait q
wait_exit
# Wide enough, everything shows.
fresh_server
start_app -x 120 run "$SESSION_DIR" --operator sam
wait_text 'COMPLETE'
assert_text '^ LIVE  TEST MODE  Channel rollback redone +1\.2\.3 → 1\.2\.2  [0-9]+m[0-9]{2}s of 10m RTO, met since detected 19:27 UTC$'
keys_nowait q
wait_exit
pass "a complete session's header keeps its title at 80 columns"
