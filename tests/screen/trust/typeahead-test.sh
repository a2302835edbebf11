#!/bin/sh
# Keys typed before a dialog is drawn are dropped, never taken as its
# text: a stray key sent with the Enter that chooses a decision's option
# does not become the reason (its field starts empty), nor does one sent
# with the key that opens a y/N question answer it. Keys typed after a
# refused key (a dialog that never opened) do not act on the console.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"typeahead","title":"Type-ahead","variables":{"ROUTE":{"prompt":"route"}},
"phases":[
{"id":"assess","steps":[
  {"id":"d.route","kind":"decide","title":"Which route?","options":[
    {"id":"git","label":"Git","sets":{"ROUTE":"git"}},
    {"id":"pkg","label":"Package","sets":{"ROUTE":"pkg"}}]},
  {"id":"a.pkg","kind":"check","title":"Package only","when":{"ROUTE":"pkg"}},
  {"id":"a.told","kind":"check","title":"Told the team"}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[]},{"id":"verify","steps":[]},
{"id":"communicate","steps":[]}]}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 100 -y 24 drill "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator sam
wait_text 'q quit' 5
keys g Enter
wait_text 'Decide: Which route\?' 5
keys Down Enter x			# x arrives before the reason is drawn
wait_text 'Why this option\?' 5
refute_text '^ +x_'
assert_text '^ +_$'
type_text 'the registry is fine'
keys Enter
wait_for '[ "$(journal_count decision.made d.route)" = 1 ]' 5
grep '"decision.made"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"reason":"the registry is fine"' ||
	fail "the reason is not what was typed into the drawn field: $(grep '"decision.made"' "$SESSION_DIR/journal.jsonl")"

keys G x y				# y arrives before the question is drawn
wait_text 'Mark required step a\.told' 5
assert_fixed 'y/N'
refute_text 'Why does this step not apply'
keys Escape
wait_gone 'Mark required step' 5

keys k					# a.pkg waits on ROUTE=pkg: Enter refused
assert_text 'Package only'
keys Enter m				# m arrives after the refusal
wait_text 'a\.pkg does not apply' 5
refute_text 'Note for the journal'
[ "$(journal_count step.na)" = 0 ] || fail "a step was marked n/a"
keys_nowait q
pass "type-ahead before a dialog is drawn, or after a refusal, is dropped"
