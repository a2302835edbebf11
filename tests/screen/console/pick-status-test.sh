#!/bin/sh
# The status line after a pick from the Registry tab says what was set,
# to what, from where ("RESTORE_VERSION set to 1.2.2 from the Registry tab"),
# and keeps saying it when the new value reopens a step that ran with the
# old one (the reopen follows it, in words), never an event row's time or
# actor alone.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/pick-status.json
cat >"$PB" <<'EOF2'
{
  "id": "pick-status",
  "title": "Pick status",
  "header": { "from": "BAD_VERSION", "to": "RESTORE_VERSION" },
  "variables": {
    "BAD_VERSION": { "prompt": "Bad version", "default": "1.2.3" },
    "RESTORE_VERSION": { "prompt": "Version to restore",
                         "pattern": "[0-9]+\\.[0-9]+\\.[0-9]+",
                         "from": "registry" }
  },
  "targets": { "registry": [ { "type": "npm", "name": "widget" } ] },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "restore", "kind": "input", "title": "Version to restore",
        "variable": "RESTORE_VERSION" },
      { "id": "try", "kind": "run", "title": "Install the candidate",
        "run": "echo installing $RESTORE_VERSION",
        "drill": { "output": "installed" } } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ],
  "scenarios": [
    { "id": "three", "title": "Three releases, the last one bad",
      "state": {
        "registry": { "widget": {
          "dist-tags": { "latest": "1.2.3" },
          "versions": { "1.2.1": {}, "1.2.2": {}, "1.2.3": {} } } } } }
  ]
}
EOF2
status_row() { screen_text | sed -n "$(( $(screen_text | wc -l) - 1 ))p"; }

start_app -x 100 -y 30 drill "$PB" --scenario three \
	--session-dir "$SCREEN_TMP/s" --operator sam
wait_text 'q quit' 5
keys g ']' ']' ']' ']' ']' Tab		# the Registry tab, focused
assert_fixed '[Registry]'
keys j Enter				# newest first: 1.2.2
assert_fixed 'RESTORE_VERSION set to 1.2.2 from the Registry tab'
row=$(status_row)
case $row in *' = '*|*'pane)'*) fail "the status line is not in words: $row" ;; esac

keys Tab j Enter			# run the candidate with 1.2.2
wait_text '^ try done' 10
keys k Tab j Enter			# the Registry again: 1.2.1
# It would replace a value already set: asked first (y/N, one key).
wait_text 'Replace it with 1\.2\.1 from' 5
keys y
wait_text 'RESTORE_VERSION set to 1\.2\.1 from the Registry tab; try reopened: ran with other' 5
keys_nowait q
wait_exit
pass "a pick from the Registry says what was set, from where, and what it reopened"
