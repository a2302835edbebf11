#!/bin/sh
# The value a dialog offers (the variable's value now) is shown selected:
# the first key typed replaces it. The editing keys are readline's, from
# the action table (the help lists them): Backspace deletes one character
# (of the offered value too), Left/Right/Home/End move the cursor and
# typing inserts there, Ctrl-W deletes the word before the cursor and
# Ctrl-U clears the value, so a version typed after Ctrl-U is that
# version (never 1.3.0-beta.1.2.1).
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

# Backspace on the offered value deletes its last character, not all of
# it; Ctrl-W the word before the cursor; Ctrl-U all of it.
keys s
wait_text '▸ GOOD' 5
keys Enter
wait_text 'Version to restore' 5
assert_fixed '1.3.0-beta.1'
keys BSpace
wait_text '1\.3\.0-beta\._' 5
refute_fixed '1.3.0-beta.1'
keys C-u
refute_fixed '1.3.0-beta.' "Ctrl-U left part of the value"
type_text 'one two'
wait_text 'one two_' 5
keys C-w
wait_text 'one _' 5
refute_fixed 'one two'
keys C-u
type_text 1.2.1
keys Enter
wait_for "grep -q '\"name\":\"GOOD\",\"value\":\"1.2.1\"' '$journal'" 5
wait_gone 'Version to restore' 5

# Ctrl-A (Home) and Left move the cursor; typing inserts there; Ctrl-E
# (End) goes back.
keys s
wait_text '▸ GOOD' 5
keys Enter
wait_text 'Version to restore' 5
keys C-a
type_text 9
wait_text '91\.2\.1' 5
keys BSpace Right Right BSpace
wait_text ' 12\.1 *$' 5
keys Left
type_text 3
wait_text ' 312\.1 *$' 5
keys C-e
type_text 0
wait_text '312\.10_' 5
keys Enter
wait_for "grep -q '\"name\":\"GOOD\",\"value\":\"312.10\"' '$journal'" 5
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
pass "an offered value is replaced by typing; Backspace deletes one character, the cursor keys, Ctrl-W and Ctrl-U edit as readline does"
