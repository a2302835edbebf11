#!/bin/sh
# A journal edited after the fact: line 11 (the decision) gets another
# rationale, so line 12's "prev" no longer matches. `rewind verify` names
# line 12 (and that line 11 may be the one changed); the replay says so
# in its header and status on open, still replays every event, marks the
# timeline from line 11 on as UNVERIFIED (the edited line cannot be told
# from a changed prev; not before it), jumps to the break with ], and
# --print flags it too (exit status 1, lines from 11 on marked "!").
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
grep -v '^#' "$REWIND_SRCDIR/playbooks/example.walk" |
	run_rewind drill --batch --session-dir "$SESSION_DIR" --operator sam \
		"$REWIND_SRCDIR/playbooks/example.json" >/dev/null 2>&1 ||
	fail "the batch walk failed"
J=$SESSION_DIR/journal.jsonl
n=$(wc -l <"$J")
sed -n 11p "$J" | grep -q '"type":"decision.made"' || fail "line 11 is not the decision"
sed -i '11s/means roll back now/means we wait and see/' "$J"
run_rewind verify "$SESSION_DIR" >"$SCREEN_TMP/verify.out" 2>&1 &&
	fail "rewind verify accepted the edited journal"
grep -q 'line 12: hash chain broken: prev does not match line 11' "$SCREEN_TMP/verify.out" ||
	fail "verify: $(cat "$SCREEN_TMP/verify.out")"
grep -q 'line 11 was changed, or lines after it removed: nothing from line 11 on is proven (10 events are)' \
	"$SCREEN_TMP/verify.out" || fail "verify does not name line 11: $(cat "$SCREEN_TMP/verify.out")"

start_app replay "$SESSION_DIR"
assert_text '^ REPLAY  DRILL  CHAIN BROKEN line 12 ' "no broken-chain flag in the header"
assert_fixed 'journal line 12: hash chain broken: prev does not match line 11; events from'
assert_fixed "COMPLETE" "the events after the break were not replayed"
assert_fixed " $n/$n UNVERIFIED"
keys g . . . . . . . . .		# event 1, then nine steps on
assert_fixed " 10/$n"
refute_fixed 'UNVERIFIED' "event 10 is before the break"
keys .
assert_fixed " 11/$n UNVERIFIED" "event 11, the edited one, reads as proven"
keys ']'
assert_fixed " 12/$n UNVERIFIED" "] did not stop at the break"
row 23 | grep -q 'X' || soft_fail "no X marker of the break on the timeline"
keys_nowait q
wait_exit

run_rewind replay --print "$SESSION_DIR" >"$SCREEN_TMP/print.out" 2>&1
rc=$?
[ "$rc" = 1 ] || fail "replay --print exit status $rc on a broken chain"
grep -qxF '# HASH CHAIN BROKEN at line 12: hash chain broken: prev does not match line 11; the line before it may be the one changed; lines marked ! are unverified' \
	"$SCREEN_TMP/print.out" || fail "--print: no broken-chain heading"
[ "$(grep -c '^!' "$SCREEN_TMP/print.out")" = $((n - 10)) ] ||
	fail "--print: lines 11..$n are not all marked"
grep '^!' "$SCREEN_TMP/print.out" | head -1 | grep -q 'decision.made' ||
	fail "--print: line 11, the edited decision, should be the first marked line"
grep -q 'reason=the matrix says P0 with most users affected means we wait and see' \
	"$SCREEN_TMP/print.out" || fail "--print does not show the edited line as it is"
pass
