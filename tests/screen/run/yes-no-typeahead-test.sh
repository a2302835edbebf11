#!/bin/sh
# A y/N question takes one key; what was typed on with it (a reason typed
# by habit: "no time") is dropped, never taken as commands. Before, at
# "Mark required step ... n/a? ... y/N", "no time" answered no with n and
# then Space ticked the step and m opened the note dialog. The same holds
# for the Untick question.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "yes-no-typeahead-test", "title": "A required check",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.status", "kind": "check", "title": "Status page checked" },
      { "id": "a.other", "kind": "check", "title": "Other page checked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] }, { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 120 -y 30 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator sam
wait_text 'Status page checked' 5
keys g
keys x
wait_text 'Mark required step a.status \(Status page checked\) n/a\?' 3
type_text 'no time'			# all of it in one go
wait_text 'a.status not marked n/a' 3
[ "$(journal_count step.ticked)" = 0 ] ||
	fail "the keys typed after the n answer ticked the step"
[ "$(journal_count step.na)" = 0 ] || fail "no time marked the step n/a"
refute_text 'Note for the journal' "the m typed after the n answer opened the note dialog"
assert_text '^\[ \] Status page checked' "the check is not open any more"

# The Untick question: n answers, the Space after it asks nothing again.
keys Space
wait_for '[ "$(journal_count step.ticked a.status)" = 1 ]' 3
keys Space
wait_text 'Untick a\.status' 3
type_text 'n  m'
wait_text 'a\.status stays ticked' 3
refute_text 'y/N' "the Space typed after the n answer asked again"
refute_text 'Note for the journal' "the m typed after the n answer opened the note dialog"
[ "$(journal_count step.unticked)" = 0 ] || fail "the check was unticked"
pass "keys typed after a y/N answer are dropped"
