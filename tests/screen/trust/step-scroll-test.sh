#!/bin/sh
# At 80x24 a step taller than the step pane is never cut without a sign:
# the pane's last row says how many lines are below (and the keys, from
# the action table), Tab then G scrolls to its end (the approver's
# command whole, the session directory), and the sign then says how many
# lines are above; another step starts at its top again.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/tall.json
cat >"$PB" <<'EOF2'
{
  "id": "tall",
  "title": "Tall step",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.sign", "kind": "approve", "title": "Three leads sign",
        "note": "Before signing, each lead reads the change log of the release, the graphs of the last hour, the open incidents of the service, the customer tickets of the day, the on-call notes, the rollback plan and the list of steps that run next; each signs only when all of it is read and understood, and says so in the comment.",
        "roles": [ { "role": "Release Manager", "count": 1 },
                   { "role": "Service Owner", "count": 1 },
                   { "role": "Security Lead", "count": 1 } ] },
      { "id": "a.told", "kind": "check", "title": "The team is told" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF2

start_app -x 80 -y 24 run "$PB" --session-dir "$SCREEN_TMP/s" --operator olga
wait_text 'q quit' 5
assert_text 'a\.sign +approve +open'
assert_text '↓ [0-9]+ more lines \(Tab, then j scrolls\)' \
	"the cut step pane has no sign of the lines below"
refute_fixed 'Session directory:'
keys Tab				# the step pane takes the keys
assert_text '↓ [0-9]+ more lines \(j/C-d/G\)'
keys G
wait_text 'Session directory:' 5
assert_text '↑ [0-9]+ lines above \(k/C-u/g\)'
assert_text "--role 'Release Manager'"
refute_text '↓ [0-9]+ more line'
keys g
wait_text '↓ [0-9]+ more lines' 5
assert_text 'Three leads sign'
keys j
assert_text '↓ [0-9]+ more lines'
keys Tab j				# another step: from its top
assert_text 'a\.told +check +open'
refute_text 'more line|lines above'
keys q
keys_nowait Enter
wait_exit
pass "a step taller than the pane says what is below and scrolls"
