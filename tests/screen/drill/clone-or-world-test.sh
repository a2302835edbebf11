#!/bin/sh
# A drill step that opts in to the throwaway clone says, before it runs,
# where its output will come from: "simulated from the drill's world" when
# the scenario's world gives the repository (it said "runs for real in a
# throwaway clone", then simulated it from the world), and the run agrees
# (its step.started says the clone did not serve). Without that world the
# pane still says it runs in the clone for a command the world does not
# know.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/clone-world.json
cat >"$PB" <<'EOF2'
{
  "id": "clone-or-world",
  "title": "Screen test: clone or world",
  "targets": { "git": { "path": "." } },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "assess.tags", "kind": "run", "title": "Tags here",
        "run": "git tag --list", "drill": { "real_in_clone": true } },
      { "id": "assess.version", "kind": "run", "title": "Version file",
        "run": "cat VERSION", "drill": { "real_in_clone": true } }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ],
  "scenarios": [
    { "id": "two-tags", "title": "Two tags", "briefing": "Look at the tags.",
      "state": { "tags": [ "v1.2.3", "v1.2.2" ] } }
  ]
}
EOF2
SESSION_DIR=$SCREEN_TMP/world
start_app -x 160 -y 30 drill "$PB" --scenario two-tags --session-dir "$SESSION_DIR" --operator sam
wait_text 'q quit' 5
wait_text "Drill: simulated from the drill's world" 5
refute_fixed 'runs for real in a throwaway clone' "the pane promises the clone for a world-simulated step"
keys Enter
wait_text 'assess.tags  run  done' 5
grep '"type":"step.started"' "$SESSION_DIR/journal.jsonl" | grep -q '"clone":' ||
	fail "the run was not simulated from the world, as the pane said"
# Without the scenario's repository, a command the world does not know
# runs in the clone, as the pane says.
keys_nowait q
wait_exit
fresh_server
start_app -x 160 -y 30 drill "$PB" --session-dir "$SCREEN_TMP/plain" --operator sam
wait_text 'q quit' 5
keys j
wait_text 'cat VERSION' 5
wait_text 'Drill: runs for real in a throwaway clone' 5
pass "the step pane says simulated from the drill's world when the world gives the repository"
