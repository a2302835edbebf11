#!/bin/sh
# Marking a required verification n/a before the execute phase's change
# ran (the rollback step marked n/a, so nothing moved) asks y/N with a
# sentence saying nothing has been rolled back yet; once the change ran,
# the question no longer says so.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"na-unverified","title":"Verify before the change","phases":[
{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[
  {"id":"e.move","kind":"run","title":"Move latest back","run":"echo moved",
   "destructive":true,"confirm":"move it"}]},
{"id":"verify","steps":[
  {"id":"v.latest","kind":"check","title":"latest serves the good version"},
  {"id":"v.smoke","kind":"check","title":"Smoke tests pass"}]},
{"id":"communicate","steps":[]}]}
JSON
# The rollback step marked n/a: the session reaches verify, nothing moved.
printf 'next\nnext\nnext\nna e.move "not today"\nnext\n' |
	run_rewind run "$SCREEN_TMP/pb.json" --batch --operator sam \
	--session-dir "$SCREEN_TMP/s" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"verify"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach verify"; }
SESSION_DIR=$SCREEN_TMP/s
start_app -x 100 -y 30 run "$SESSION_DIR" --operator sam
wait_text 'Smoke tests pass' 5
keys g x
wait_text 'Nothing has been rolled back yet: e\.move \(execute\) has' 5
assert_text 'not run'
assert_fixed 'y/N'
keys n
wait_text 'v\.latest not marked n/a' 5
[ "$(journal_count step.na v.latest)" = 0 ] || fail "n marked v.latest n/a"
keys q
keys_nowait Enter
wait_exit

# The change ran: the same question says nothing of the kind.
printf 'next\nnext\nnext\nconfirm e.move move it\nrun e.move\nnext\n' |
	run_rewind run "$SCREEN_TMP/pb.json" --batch --operator sam \
	--session-dir "$SCREEN_TMP/r" >"$SCREEN_TMP/ran.out" 2>&1
grep -q '"phase":"verify"' "$SCREEN_TMP/ran.out" ||
	{ cat "$SCREEN_TMP/ran.out"; fail "the batch walk did not reach verify"; }
SESSION_DIR=$SCREEN_TMP/r
start_app -x 100 -y 30 run "$SESSION_DIR" --operator sam
wait_text 'Smoke tests pass' 5
keys g x
wait_text 'Mark required step v\.latest' 5
refute_text 'rolled back yet'
keys Escape
keys q
keys_nowait Enter
wait_exit
pass "a verification marked n/a before the change ran says nothing was rolled back"
