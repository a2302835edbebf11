#!/bin/sh
# A drill with a --scenario, in the console: the header says DRILL; the
# Registry, Tags and Targets tabs show the scenario's world, from two
# shipped playbooks (pypi-release-recovery, scenario publish-workflow-fails:
# tags, the index's versions and the GitHub release; npm-dist-tag-rollback,
# scenario critical-outage: the bad version on latest). The shipped
# playbooks have no injection and no step that asks for a prediction, so
# the rest drills the small playbook below: Enter on a run step that wants
# a prediction opens the Prediction dialog, Esc cancels it with nothing
# journalled, an answer journals step.predicted and the step runs; the
# game master's injection after that step fires (drill.inject journalled,
# its alert in the status line and the Output tab, latest moves in the
# Registry tab); the Targets tab keeps the scenario's state from the
# trainee while the drill is open; at the end the score card replaces the
# step pane and Targets shows the state ("Scenario state now:", the world
# after the injection). Every expected
# value below is copied from the playbook and scenario it names.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

COLS=140
ROWS=44	# the score card and its decision table above the Output tab
STATUS_ROW=$((ROWS - 1))

# console NAME PLAYBOOK SCENARIO: a fresh drill of PLAYBOOK's SCENARIO,
# its session in $SCREEN_TMP/NAME (SESSION_DIR, for journal_count).
console() {
	SESSION_DIR=$SCREEN_TMP/$1
	fresh_server
	start_app -x "$COLS" -y "$ROWS" drill "$2" --scenario "$3" \
		--session-dir "$SESSION_DIR" --operator sam --no-real-in-clone
	wait_text 'q quit' 5
	row 1 | grep -q '^ DRILL ' || fail "the header does not say DRILL"
}

# status_is TEXT: the status line (the row above the key bar) says TEXT.
status_is() {
	[ "$(row "$STATUS_ROW")" = " $1" ] ||
		fail "status line is \"$(row "$STATUS_ROW")\", not \" $1\""
}

# --- a shipped playbook: the index never got 1.4.0 ----------------------------------------
console pypi "$REWIND_SRCDIR/playbooks/pypi-release-recovery.json" \
	publish-workflow-fails
tab Registry
assert_fixed '│ pypi bitfinex-maker-kit'
for v in 1.3.2 1.3.1 1.3.0; do
	assert_text "│ +$(echo "$v" | sed 's/\./\\./g') +-\$" \
		"version $v is not in the Registry tab"
done
refute_text '│ +1\.4\.0 ' "the Registry tab lists 1.4.0, which the index never got"
# The scenario fills in none of the trainee's inputs: VERSION is unset
# until the trainee names it (from the Tags tab).
assert_fixed '│ value: (unset)'
keys Enter
wait_text 'without the leading v' 5
type_text 1.4.0
keys Enter
wait_text '│ assess.version  input  done' 5
tab Tags
assert_text '│ .*  3 tags$' "the Tags tab does not count the scenario's 3 tags"
# the tag of the VERSION variable, marked, and HEAD there: the world's
# main is at its newest tag, as git describe answers
assert_fixed '│ main @ v1.4.0 '
assert_fixed '│ HEAD,VERSION v1.4.0'
assert_text '│ +v1\.3\.2$'
assert_text '│ +v1\.3\.1$'
tab Targets
assert_fixed "│ The scenario's state is the game master's until the drill ends"
refute_fixed 'Scenario state now:' "the trainee's Targets tab shows the scenario's state"
refute_fixed 'github_release:' "the trainee's Targets tab shows the GitHub release"

# --- a shipped playbook: the bad version on latest -----------------------------------------
console npm "$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" critical-outage
tab Registry
assert_fixed '│ npm mycelicmemory'
assert_fixed '│ dist-tags: latest=1.2.3 beta=1.3.0-beta.2 canary=1.3.0-canary.7'

# --- a prediction, an injection after its step, the score card -----------------------------
PB=$SCREEN_TMP/scenario.json
cat >"$PB" <<'EOF'
{
  "id": "screen-scenario",
  "title": "Screen test: a drill scenario that changes under the trainee",
  "targets": {
    "git": { "path": "." },
    "registry": [ { "type": "npm", "name": "widget", "channels": [ "latest", "beta" ] } ]
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "assess.latest", "kind": "run", "title": "Version on the latest channel",
        "run": "npm view widget@latest version", "predict": true,
        "drill": { "output": "1.2.3" } },
      { "id": "assess.look", "kind": "check", "title": "Looked at the Registry tab" }
    ] },
    { "id": "decide", "steps": [
      { "id": "decide.response", "kind": "decide", "title": "Roll latest back?",
        "options": [ { "id": "rollback", "label": "Roll latest back to 1.2.2" },
                     { "id": "wait", "label": "Wait for a fix" } ] }
    ] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ],
  "scenarios": [
    { "id": "bad-latest", "title": "1.2.3 on latest corrupts saved files; 1.2.4 appears mid-incident",
      "expect": { "step": "decide.response", "option": "rollback" },
      "state": {
        "tags": [ "v1.2.3", "v1.2.2" ],
        "registry": { "widget": { "dist-tags": { "latest": "1.2.3", "beta": "1.3.0-beta.1" } } }
      },
      "inject": [
        { "id": "latest-moved", "after": "assess.latest",
          "alert": "GM: a co-maintainer just published 1.2.4 to latest",
          "state": { "registry": { "widget": { "dist-tags": { "latest": "1.2.4" } } } },
          "lines": [ "npm notice widget@1.2.4 published by co-maintainer" ] }
      ] }
  ]
}
EOF
ALERT='GM: a co-maintainer just published 1.2.4 to latest'
console gm "$PB" bad-latest
tab Registry
assert_fixed '│ npm widget'
assert_fixed '│ dist-tags: latest=1.2.3 beta=1.3.0-beta.1'
tab Tags
assert_text '│ .*  2 tags$'
# HEAD at the newest tag, as the world's git describe answers
assert_text '│ HEAD +v1\.2\.3$'
assert_text '│ +v1\.2\.2$'
tab Targets
refute_fixed 'Scenario state now:' "the trainee's Targets tab shows the scenario's state"

# The prediction: Esc cancels it, nothing is journalled, nothing runs.
assert_fixed '│ assess.latest  run  open'
keys Enter
wait_text '^ +Prediction$' 2
assert_fixed 'Your prediction, before it runs: what do you expect?'
keys Escape
wait_gone '^ +Prediction$' 2
status_is 'closed: nothing done'
assert_fixed '│ assess.latest  run  open'
[ "$(journal_count step.predicted)" -eq 0 ] || fail "Esc journalled a prediction"
[ "$(journal_count step.started)" -eq 0 ] || fail "Esc ran the step"
[ "$(journal_count drill.inject)" -eq 0 ] || fail "the injection fired before its step"

# Answered: journalled, the step runs, the injection fires after it.
keys Enter
wait_text '^ +Prediction$' 2
type_text 'ok, 1.2.3 on latest'
keys Enter
wait_text '│ assess.latest  run  done' 5
[ "$(journal_count step.predicted assess.latest)" -eq 1 ] ||
	fail "no step.predicted for assess.latest"
grep '"type":"step.predicted"' "$SESSION_DIR/journal.jsonl" |
	grep -qF '"text":"ok, 1.2.3 on latest"' || fail "the prediction's text is not journalled"
[ "$(journal_count drill.inject)" -eq 1 ] || fail "not one drill.inject in the journal"
grep '"type":"drill.inject"' "$SESSION_DIR/journal.jsonl" |
	grep -F '"id":"latest-moved"' | grep -qF '"after":"assess.latest"' ||
	fail "the drill.inject event is not latest-moved after assess.latest"
status_is "$ALERT"
refute_fixed 'alerts:' "the trainee's Targets tab shows the scenario's state"
tab Registry
assert_fixed '│ dist-tags: beta=1.3.0-beta.1 latest=1.2.4'
refute_fixed 'latest=1.2.3' "the Registry tab still shows latest=1.2.3"
tab Output
assert_text "│ [0-9]{2}:[0-9]{2}:[0-9]{2} $ALERT\$" "the alert is not in the Output tab, or has no time"
INJECTED='drill: npm notice widget@1.2.4 published by co-maintainer'
assert_fixed "│ $INJECTED" "the injected log line is not in the Output tab"
status_is "$ALERT"			# looking at tabs does not hide it

# To the end: the score card replaces the step pane.
keys j Space				# tick assess.look
keys '>'				# decide
keys Enter				# the choose dialog
wait_text 'Decide: Roll latest back\?' 2
keys j Enter				# a drill selects nothing: j takes rollback
wait_text '^ +Reason$' 2
type_text 'data loss on latest'
keys Enter
for _ in 1 2 3 4 5; do			# approve ... communicate, then the end
	keys '>'
done
# Only what this drill could be judged on counts: no recovery-time
# target, no approval, no destructive step, nothing to communicate and no
# check the drill can judge here, so 50 points (the two assess checks are
# assessed), not 130.
wait_text '│ Drill score card: [0-9]+ / [0-9]+$' 5
row 4 | grep -q '│ Drill score card: 50 / 50$' ||
	fail "the score card is not where the step was, or not 50 / 50"
assert_fixed '│ checks            n/a  no check the drill can judge'
assert_fixed '│ decision      30 / 30  chose rollback'
assert_fixed '│ rto               n/a  no target'
assert_fixed '│ predictions   10 / 10  1 of 1 right'
assert_fixed '│ expected      rollback  (the scenario gives none)'
status_is 'session complete'
[ "$(journal_count drill.inject)" -eq 1 ] || fail "the injection fired twice"
# The drill is over: Targets shows the scenario's state, in words, one
# line each (it was raw JSON, wrapped mid-string), after the injection.
tab Targets
assert_fixed '│ Scenario state now:'
assert_fixed '│   tags (2): v1.2.3, v1.2.2'
assert_fixed '│   package widget'
assert_fixed '│     dist-tags: beta 1.3.0-beta.1, latest 1.2.4'
assert_fixed '│   alerts: GM: a co-maintainer just'
refute_fixed '{"' "the Targets tab shows raw JSON"

run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "verify the drill's journal"

# The replay's Output tab shows the injection as the drill did.
keys_nowait q
wait_exit
tm new-session -d -s keep "sleep 600" 2>/dev/null || :
start_app replay "$SESSION_DIR"
keys Tab
assert_fixed '[Output]'
# (narrower there: the side pane is cut at the screen's edge)
assert_text "│ [0-9]{2}:[0-9]{2}:[0-9]{2} GM: a co-maintainer just" \
	"the replay's Output tab has no alert, or none with its time"
assert_fixed "│ drill: npm notice widget@1.2.4 published" \
	"the replay's Output tab has no injected log line"
pass
