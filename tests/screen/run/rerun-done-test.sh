#!/bin/sh
# Enter on a destructive step that already ran and succeeded: the typed
# confirmation says so, with the time, before it runs again.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"rerun","title":"Run again","phases":[
{"id":"assess","steps":[{"id":"a.move","kind":"run","title":"Move latest back",
  "destructive":true,"confirm":"move","run":"echo moved"}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 120 -y 30 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator sam
keys Enter
wait_text 'Type move to run it'
refute_text 'already ran' "the first run is called a re-run"
type_text move
keys Enter
wait_text 'a.move done'
keys Enter
wait_text 'It already ran and succeeded at 19:3[0-9]:[0-9]{2} UTC; run again\?'
assert_fixed 'Type move to run it'
keys Escape
[ "$(journal_count step.started a.move)" = 1 ] || fail "it ran again without the confirmation"
keys_nowait q
pass "a destructive step that succeeded says so, with the time, in its confirmation"
