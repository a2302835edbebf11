#!/bin/sh
# A pre-release entered as the version to restore while the channel is
# latest, as an operator meets it in the console: the value is set, and
# the status line warns that it would hand every user a pre-release.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "prerelease-warning-test", "title": "Pre-release onto latest",
  "header": { "from": "BAD", "to": "GOOD" },
  "variables": {
    "CHANNEL": { "prompt": "Channel to restore", "pattern": "(latest|beta)" },
    "BAD": { "prompt": "Bad version" },
    "GOOD": { "prompt": "Version to restore", "from": "registry" }
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
printf 'set CHANNEL latest\nquit\n' | run_rewind run "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SCREEN_TMP/s" --operator sam >"$SCREEN_TMP/prefix.out" 2>&1
start_app -x 120 -y 30 run "$SCREEN_TMP/s"
wait_text 'Looked at the channel' 5
keys s
wait_text 'Set a variable' 5
keys Down
wait_text '▸ BAD' 5
keys Down
wait_text '▸ GOOD' 5
keys Enter
wait_text 'Version to restore' 5
type_text 1.3.0-beta.2
keys Enter
wait_text 'GOOD set. Warning: GOOD 1.3.0-beta.2 is a pre-release' 5
pass "a pre-release onto latest is set with a warning in the status line"
