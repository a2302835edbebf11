#!/bin/sh
# > completing the session with optional steps still open asks first,
# answered with one key: n keeps the session open, y completes it (the
# open optional steps are skipped, and the checklist's count says so:
# "complete 1/2, 1 skipped", never 2/2).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"complete","title":"Complete with optional steps","phases":[
{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[]},{"id":"verify","steps":[]},
{"id":"communicate","steps":[
  {"id":"c.told","kind":"check","title":"Told the team"},
  {"id":"c.blog","kind":"check","title":"Blog post","required":false}]}]}
JSON
SESSION_DIR=$SCREEN_TMP/s
printf 'next\nnext\nnext\nnext\nnext\ntick c.told\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
start_app -x 120 -y 30 drill "$SESSION_DIR"
wait_text 'Blog post'
keys '>'
wait_text 'Complete the session\? 1 optional step is still open and will be marked'
assert_fixed 'skipped. y/N'
[ "$(journal_count session.completed)" = 0 ] || fail "completed before the answer"
keys n
wait_text 'not completed'
[ "$(journal_count session.completed)" = 0 ] || fail "n completed the session"
keys '>'
wait_text 'Complete the session\?'
keys y
wait_text 'COMPLETE'
[ "$(journal_count session.completed)" = 1 ] || fail "y did not complete the session"
[ "$(journal_count step.skipped c.blog)" = 1 ] || fail "the optional step was not skipped"
# The count says the skipped step was not done.
assert_fixed 'Checklist: complete  1/2, 1 skipped'
keys_nowait q
pass "> with optional steps open asks first; n stays, y completes"
