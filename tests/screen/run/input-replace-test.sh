#!/bin/sh
# The value a dialog offers (the variable's value now) is shown selected:
# the first key typed replaces it, and Backspace clears all of it, so a
# version typed after Backspace is that version (never the old value with
# its last character gone and the new one after it: 1.3.0-beta.1.2.1).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "input-replace-test", "title": "Offered values",
  "variables": {
    "GOOD": { "prompt": "Version to restore" }
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.look", "kind": "check", "title": "Looked at the channel" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] }, { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] }
  ]
}
JSON
printf 'set GOOD 1.3.0-beta.1\nquit\n' | run_rewind run "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SCREEN_TMP/s" --operator sam >"$SCREEN_TMP/prefix.out" 2>&1
journal=$SCREEN_TMP/s/journal.jsonl
start_app -x 100 -y 30 run "$SCREEN_TMP/s"
wait_text 'Looked at the channel' 5

# Backspace on the offered value clears it; what is typed next is all.
keys s
wait_text '▸ GOOD' 5
keys Enter
wait_text 'Version to restore' 5
assert_fixed '1.3.0-beta.1'
keys BSpace
refute_fixed '1.3.0-beta.' "Backspace left part of the offered value"
type_text 1.2.1
keys Enter
wait_for "grep -q '\"name\":\"GOOD\",\"value\":\"1.2.1\"' '$journal'" 5
wait_gone 'Version to restore' 5

# The first key typed replaces the offered value.
keys s
wait_text '▸ GOOD' 5
keys Enter
wait_text 'Version to restore' 5
type_text 1.2.2
keys Enter
wait_for "grep -q '\"name\":\"GOOD\",\"value\":\"1.2.2\"' '$journal'" 5
wait_gone 'Version to restore' 5

# An arrow keeps it to edit: Backspace then deletes one character.
keys s
wait_text '▸ GOOD' 5
keys Enter
wait_text 'Version to restore' 5
keys Right BSpace
type_text 3
keys Enter
wait_for "grep -q '\"name\":\"GOOD\",\"value\":\"1.2.3\"' '$journal'" 5
pass "an offered value is replaced by typing and cleared by Backspace"
