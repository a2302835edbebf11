#!/bin/sh
# The replay's Output tab scrolls like the console's: a command printed 60
# lines and one wider than the pane; in the replay's Output tab k, C-u and
# PgUp show earlier lines, j and PgDn later ones, and l shows the wide
# line from further right (h back). The replay help lists those keys.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

printf 'run a.many\n' | run_rewind run \
	"$REWIND_SRCDIR/tests/fixtures/playbooks/long-output.json" --batch \
	--session-dir "$SCREEN_TMP/s" --operator sam >/dev/null 2>&1
SESSION_DIR=$SCREEN_TMP/s
[ "$(journal_count step.finished a.many)" = 1 ] || fail "the batch run did not finish"
start_app replay "$SCREEN_TMP/s"
keys G
keys Tab
wait_text '\[Output\]'
assert_fixed 'row-60'
refute_fixed 'row-40'
keys C-u
keys C-u
wait_text 'row-40'
keys PgUp
wait_text 'row-3[0-5]'
keys PgDn
keys PgDn
keys PgDn
wait_text 'row-60'
keys k
keys k
keys k
refute_fixed 'WIDE-START'
keys j
keys j
keys j
wait_text 'WIDE-START'
refute_fixed 'WIDE-END'
keys l l l l l l l l l l l l l l l l l l
wait_text 'WIDE-END'
refute_fixed 'WIDE-START'
keys h h h h h h h h h h h h h h h h h h
wait_text 'WIDE-START'
keys '?'
wait_text 'PgUp'
assert_text 'C-u, PgUp +Scroll half a page up'
assert_text '^ *h +Show the output from further left'
pass "the replay's Output tab scrolls up, down and sideways"
