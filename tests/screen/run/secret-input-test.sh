#!/bin/sh
# A secret variable's value is masked while it is typed in the input
# dialog: one * per character, never the text; set, it is kept out of
# the journal. A confirmation naming it shows the value masked too.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"secret","title":"A secret input",
 "variables":{"TOKEN":{"prompt":"Registry token","secret":true}},
 "phases":[
{"id":"assess","steps":[{"id":"a.token","kind":"input","title":"Give the token","variable":"TOKEN"},
 {"id":"a.pub","kind":"run","title":"Publish","run":"true","destructive":true,"confirm":"${TOKEN} pkg@1","drill":{"output":"ok"}}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 120 -y 30 drill "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator sam
keys Enter
wait_text 'Registry token'
type_text 'hunter2'
wait_text '\*\*\*\*\*\*\*_'
refute_fixed 'hunter2' "the secret is shown while typed"
keys Enter
wait_for '[ "$(journal_count var.set)" -ge 1 ]'
grep -q hunter2 "$SESSION_DIR/journal.jsonl" && fail "the secret reached the journal"
keys Down Enter
wait_text 'Type \*\*\*\*\*\*\*\* pkg@1 to run it'
refute_fixed 'hunter2' "the secret is shown in the confirmation prompt"
keys Escape
keys_nowait q
pass "a secret is masked while typed"
