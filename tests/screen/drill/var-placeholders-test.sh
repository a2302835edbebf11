#!/bin/sh
# Titles and notes never show a variable's raw name: the shipped npm
# playbook's "Hotfix HOTFIX_VERSION published and tested" and
# "incidents/rollback-ROLLBACK_VERSION.md" were read as written. A step's
# title (checklist row, step pane) and note show the value once it is
# set, and a readable placeholder while it is not: the start of a short
# prompt, else the name in words (‹hotfix version›). The Journal tab's
# var.set rows name the variable.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/vars.json
cat >"$PB" <<'JSON'
{
  "id": "screen-var-placeholders",
  "title": "Screen test: values and placeholders in titles and notes",
  "variables": {
    "HOTFIX_VERSION": { "prompt": "The already published hotfix version to promote to beta",
                        "pattern": "[0-9]+\\.[0-9]+\\.[0-9]+" },
    "ROLLBACK_VERSION": { "prompt": "Bad version", "pattern": "[0-9]+\\.[0-9]+\\.[0-9]+" }
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.ready", "kind": "check", "title": "Hotfix ${HOTFIX_VERSION} published and tested",
        "note": "The workflow writes incidents/rollback-${ROLLBACK_VERSION}.md." },
      { "id": "a.hotfix", "kind": "input", "title": "Name the hotfix", "variable": "HOTFIX_VERSION" },
      { "id": "a.bad", "kind": "input", "title": "Name the bad version", "variable": "ROLLBACK_VERSION" }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 120 -y 30 drill "$PB" --session-dir "$SESSION_DIR" \
	--operator sam --no-real-in-clone
wait_text 'q quit' 5

select_step() {
	_n=0
	until screen_text | grep -qF "│ $1  "; do
		[ "$_n" -lt 8 ] || fail "no step $1 in the checklist"
		keys j
		_n=$((_n + 1))
	done
}

# Unset: placeholders, in the row, the step pane's title and the note.
select_step a.ready
assert_text '^\[ \] Hotfix ‹hotfix version› published' "the checklist row shows no placeholder"
assert_text '│ Hotfix ‹hotfix version› published and tested' "the step pane's title shows no placeholder"
assert_fixed 'The workflow writes incidents/rollback-‹Bad version›.md.'
refute_fixed 'HOTFIX_VERSION' "a raw variable name is shown"
refute_fixed 'ROLLBACK_VERSION' "a raw variable name is shown"

# Set: the values.
select_step a.hotfix
keys Enter
wait_text '^ +Name the hotfix' 5
type_text 1.2.4
keys Enter
wait_text 'value: 1.2.4' 5
select_step a.bad
keys Enter
wait_text '^ +Name the bad version' 5
type_text 1.2.3
keys Enter
wait_text 'value: 1.2.3' 5
keys g
select_step a.ready
wait_text '│ Hotfix 1.2.4 published and tested' 5
assert_text '^\[ \] Hotfix 1.2.4 published' "the checklist row does not show the value"
assert_fixed 'The workflow writes incidents/rollback-1.2.3.md.'
refute_fixed '‹' "a placeholder is left after the values were set"

# The Journal tab's var.set rows name the variable (they named none).
n=0
until screen_text | grep -q "\[Journal\]"; do
	[ "$n" -lt 8 ] || fail "no [Journal] tab after 8 presses of ]"
	keys ]
	n=$((n + 1))
done
wait_text 'var\.set +HOTFIX_VERSION +sam' 5
assert_text 'var\.set +ROLLBACK_VERSION +sam' "the Journal row of ROLLBACK_VERSION does not name it"
pass "titles and notes show values, or placeholders while unset; Journal rows name the variable set"
