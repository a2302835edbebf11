#!/bin/sh
# A run the console refuses before it asks the core leaves a trace: Enter
# on a run step whose condition is not decided yet, and on a destructive
# step whose confirmation names a variable with no value, each journal an
# action.refused naming the step and the reason (as a refusal the core
# makes does), which the report's timeline shows; nothing already
# journalled changes.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/trust.json" \
	--session-dir "$SESSION_DIR" --operator olga
head_before=$(head -n 3 "$SESSION_DIR/journal.jsonl")

keys g j j				# a.tag: confirms ${VERSION}, unset
keys Enter
assert_text 'VERSION' "the status line does not say VERSION has no value"
[ "$(journal_count action.refused a.tag)" = 1 ] ||
	fail "the refused run of a.tag was not journalled"
grep '"type":"action.refused"' "$SESSION_DIR/journal.jsonl" |
	grep '"step":"a.tag"' | grep -q '"action":"run","reason":"[^"]*VERSION' ||
	fail "the refusal of a.tag does not say why"

keys j j j				# a.b-run: waits on ROUTE
assert_fixed 'Run only for route b'
keys Enter
assert_text 'waits on ROUTE' "the status line does not say a.b-run waits"
[ "$(journal_count action.refused a.b-run)" = 1 ] ||
	fail "the refused run of a.b-run was not journalled"
[ "$(head -n 3 "$SESSION_DIR/journal.jsonl")" = "$head_before" ] ||
	fail "the journal's first events changed"
"$REWIND_BIN" verify "$SESSION_DIR" >/dev/null 2>&1 ||
	fail "the journal does not verify"
"$REWIND_BIN" report "$SESSION_DIR" >"$SCREEN_TMP/report.md" 2>&1
grep -i 'refused' "$SCREEN_TMP/report.md" | grep -q 'a.b-run' ||
	fail "the report does not show the refused run of a.b-run"
keys q
keys_nowait Enter
wait_exit
pass "refused runs are journalled and reported"
