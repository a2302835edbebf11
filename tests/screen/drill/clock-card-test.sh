#!/bin/sh
# A drill's header clock stops where its score card's recovery time
# stops (the verify phase left), not at completion: a drill walked
# through verify at 19:30 and completed at 19:40 shows, when opened at
# 19:50, the card's recovery time in its header, not ten minutes.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
sed '/^send communicate.team/,$d' "$REWIND_SRCDIR/playbooks/example.walk" >"$SCREEN_TMP/to-verify.walk"
printf 'quit\n' >>"$SCREEN_TMP/to-verify.walk"
REWIND_TEST_NOW=2026-11-21T19:30:00Z run_rewind drill \
	"$REWIND_SRCDIR/playbooks/example.json" --batch --operator sam \
	--session-dir "$SESSION_DIR" <"$SCREEN_TMP/to-verify.walk" \
	>"$SCREEN_TMP/walk1.out" 2>&1
grep -q '"phase":"communicate"' "$SCREEN_TMP/walk1.out" ||
	{ cat "$SCREEN_TMP/walk1.out"; fail "the walk did not reach communicate"; }
sed -n '/^send communicate.team/,$p' "$REWIND_SRCDIR/playbooks/example.walk" |
	REWIND_TEST_NOW=2026-11-21T19:40:00Z run_rewind drill "$SESSION_DIR" \
	--batch --operator sam >"$SCREEN_TMP/walk2.out" 2>&1
grep -q '"phase":"complete"' "$SCREEN_TMP/walk2.out" ||
	{ cat "$SCREEN_TMP/walk2.out"; fail "the resumed walk did not complete"; }
secs=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["recovery_seconds"]))' \
	"$SESSION_DIR/scorecard.json") || fail "the score card has no recovery time"
[ "$secs" -lt 60 ] || fail "the card's recovery time is $secs s: the walk itself took seconds"
want=$(printf '%dm%02ds' $((secs / 60)) $((secs % 60)))

REWIND_TEST_NOW=2026-11-21T19:50:00Z
start_app drill "$SESSION_DIR" --operator sam
assert_fixed 'COMPLETE'
wait_text ' of 5m RTO, met$'
clock=$(row 1 | sed -n 's/.* \([0-9]*m[0-9][0-9]s\) of 5m RTO, met$/\1/p')
[ "$clock" = "$want" ] ||
	fail "the header clock reads '$clock', the card's recovery time is $want ($secs s)"
pass "the drill's header clock stops with the card's recovery time ($want)"
