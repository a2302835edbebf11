#!/bin/sh
# The trainee sees each phase's target while playing, as the score card
# counts it: the phase rail reads "▶ assess 0m01s of 2m" for the current
# phase of a drill of the bundled example (rto.phases: assess 2m, decide
# 2m, execute 5m; approve has none and shows none), in the current
# phase's colour while within it and in the late clock's colour once over
# (a drill walked to decide at 19:30 and opened at 19:33 reads "2m59s or 3m0Ns of
# 2m"). A narrow terminal leaves the target out rather than cut it.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
PB=$REWIND_SRCDIR/playbooks/example.json

# sgr_before TEXT: the escape sequences of row 2 just before TEXT.
sgr_before() {
	screen_text -e | sed -n 2p | sed "s/\(.*\)$1.*/\1/" |
		sed 's/.*[^m]\(\(\x1b\[[0-9;]*m\)*\)$/\1/'
}

start_app -x 120 -y 30 drill "$PB" --session-dir "$SCREEN_TMP/fresh" \
	--operator sam --no-real-in-clone
wait_text 'q quit'
row 2 | grep -q '^ ▶ assess [0-9]m[0-9][0-9]s of 2m  · decide  · approve' ||
	fail "the rail does not show assess's target: '$(row 2)'"
within=$(sgr_before ' [0-9]m[0-9][0-9]s of 2m')
case $within in
*'38;5;203'*) fail "assess is shown late within its target: '$within'" ;;
esac
keys_nowait q
wait_exit

# Walked to decide at 19:30 (batch stops there: not complete), opened three minutes later: decide is late.
printf '%s\n' 'run assess.status' 'run assess.tags' 'set SEVERITY P0' \
	'set IMPACT most' 'tick assess.ticket INC-1042 opened' 'next' |
	run_rewind drill "$PB" --batch --operator sam \
		--session-dir "$SESSION_DIR" >"$SCREEN_TMP/walk.out" 2>&1
grep -q '"phase":"decide"' "$SCREEN_TMP/walk.out" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the batch walk did not reach decide"; }
REWIND_TEST_NOW=2026-11-21T19:33:00Z
fresh_server
start_app -x 120 -y 30 drill "$SESSION_DIR" --operator sam
wait_text 'q quit'
row 2 | grep -q '^ ✓ assess  ▶ decide [23]m[05][0-9]s of 2m  · approve' ||
	fail "the rail does not show decide's time against its target: '$(row 2)'"
late=$(sgr_before ' [23]m[05][0-9]s of 2m')
case $late in
*'38;5;203'*) ;;
*) fail "decide's time over its target is not in the late colour: '$late'" ;;
esac
name=$(sgr_before '▶ decide')
case $name in
*'38;5;203'*) fail "the phase's name itself is in the late colour" ;;
esac

# Too narrow for the target beside every phase: left out, never cut.
resize 66 24
wait_text '^ ✓ assess  ▶ decide  · approve'
refute_text ' of 2m' "the target is cut on a narrow rail"
pass "the phase rail shows the current phase's time against its target, late in the late colour"
