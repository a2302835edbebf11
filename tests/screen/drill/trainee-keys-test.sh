#!/bin/sh
# What a trainee who never read the code met in the console, small fixes:
# a title cut in the checklist ends with an ellipsis; a note shows a
# variable's value ($PKG), and a confirmation not known yet shows the
# variable's label, never ${VER}; typing into an input pre-filled with an
# offered value replaces it (a cursor key keeps it to edit); a stray key in the
# Prediction dialog is not typed and an answer that is not a prediction
# is refused, so nothing is recorded until the trainee answers.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

COLS=150
ROWS=30
PB=$SCREEN_TMP/keys.json
cat >"$PB" <<'EOF'
{
  "id": "screen-trainee-keys",
  "title": "Screen test: small things a trainee met",
  "variables": {
    "PKG": { "prompt": "Package", "default": "widget" },
    "VER": { "prompt": "Version to restore (e.g. 1.2.2)", "pattern": "[0-9]+\\.[0-9]+\\.[0-9]+" },
    "LEVEL": { "prompt": "Level: low, medium or high", "default": "medium", "pattern": "(low|medium|high)" },
    "MODE": { "prompt": "Mode", "default": "fast", "pattern": "[a-z]+" }
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.level", "kind": "input", "title": "Rate the level", "variable": "LEVEL" },
      { "id": "a.mode", "kind": "input", "title": "Pick the mode", "variable": "MODE" },
      { "id": "a.look", "kind": "check",
        "title": "Looked at every channel of the package and every version it serves, newest first, pre-releases too",
        "note": "Installs $PKG from the channel." },
      { "id": "a.latest", "kind": "run", "title": "Version on latest",
        "run": "npm view widget version", "predict": true, "drill": { "output": "1.2.3" } },
      { "id": "a.move", "kind": "run", "title": "Move latest", "run": "echo move $VER",
        "destructive": true, "confirm": "${VER}", "drill": { "output": "moved" } },
      { "id": "a.ver", "kind": "input", "title": "Name the version", "variable": "VER" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF
SESSION_DIR=$SCREEN_TMP/s
start_app -x "$COLS" -y "$ROWS" drill "$PB" --session-dir "$SESSION_DIR" \
	--operator sam --no-real-in-clone
wait_text 'q quit' 5

select_step() {
	_n=0
	until screen_text | grep -qF "│ $1  "; do
		[ "$_n" -lt 12 ] || fail "no step $1 in the checklist"
		keys j
		_n=$((_n + 1))
	done
}

# A cut title ends with an ellipsis.
assert_text '^\[.\] Looked at every channel .*… *│' "the cut title does not end with …"

# A note shows the value; an unknown confirmation shows the label.
select_step a.look
assert_fixed 'Installs widget from the channel.'
refute_fixed '$PKG' "the note shows the raw \$PKG"
select_step a.move
assert_fixed 'type "‹Version to restore›" first'
refute_fixed '${VER}' "the confirmation shows the raw \${VER}"

# Typing replaces an offered value; a cursor key (Ctrl-E, end of line) keeps it to edit.
keys g
select_step a.level
keys Enter
wait_text 'medium_' 5
type_text high
keys Enter
wait_text 'value: high' 5
grep '"type":"var.set"' "$SESSION_DIR/journal.jsonl" | grep -q '"name":"LEVEL","value":"high"' ||
	fail "typing into the offered value did not replace it: $(grep LEVEL "$SESSION_DIR/journal.jsonl")"
select_step a.mode
keys Enter
wait_text 'fast_' 5
keys C-e
type_text er
keys Enter
wait_text 'value: faster' 5
grep '"type":"var.set"' "$SESSION_DIR/journal.jsonl" | grep -q '"name":"MODE","value":"faster"' ||
	fail "Left did not keep the offered value to edit"

# The prediction: a stray j is not typed, an answer that is no
# prediction is refused, nothing is recorded until the trainee answers.
select_step a.latest
keys Enter
wait_text '^ +Prediction$' 5
keys j
wait_text 'a prediction starts with ok, fails' 5
keys Enter
[ "$(journal_count step.predicted)" -eq 0 ] || fail "a stray key was recorded as a prediction"
assert_text '^ +Prediction$' "the Prediction dialog closed on a stray key"
type_text 'ok it prints 1.2.3'
keys Enter
wait_gone '^ +Prediction$' 5
[ "$(journal_count step.predicted)" -eq 1 ] || fail "the answer was not recorded"
grep '"type":"step.predicted"' "$SESSION_DIR/journal.jsonl" | grep -qF '"text":"ok it prints 1.2.3"' ||
	fail "the prediction's text is not the trainee's"
pass "cut titles end with …, notes and confirmations show values or labels, typing replaces an offered value, a stray key records no prediction"
