#!/bin/sh
# A decision that moves the recovery-time target says so: the status line
# and the Journal tab say "recovery-time target now 5m (was 10m)"
# with the rule's label, and the header's clock counts against the new
# target. (The change was once silent.)
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "rto-change",
  "title": "A decision moves the RTO",
  "variables": { "LEVEL": { "prompt": "Incident level", "pattern": "(level-1|level-2)" } },
  "targets_rto": {
    "default": "10m",
    "rules": [ { "when": { "LEVEL": "level-1" }, "within": "5m", "label": "level 1: restore within 5 minutes" } ]
  },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [
      { "id": "decide.level", "kind": "decide", "title": "Which level?",
        "variable": "LEVEL",
        "options": [
          { "id": "level-2", "label": "Level 2" },
          { "id": "level-1", "label": "Level 1" } ] }
    ] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
run_rewind check "$SCREEN_TMP/pb.json" >"$SCREEN_TMP/check.out" 2>&1 ||
	fail "rewind check refused the fixture: $(cat "$SCREEN_TMP/check.out")"

start_app -x 100 -y 30 run --session-dir "$SCREEN_TMP/s" --operator olga \
	"$SCREEN_TMP/pb.json"
wait_text ' of 10m RTO$'
keys '>'			# to the decide phase
keys Enter			# the decision dialog
keys Down
keys Enter			# Level 1
type_text 'the outage is total'
keys Enter
wait_text 'recovery-time target now 5m \(was 10m\): level 1'
wait_text ' of 5m RTO$'
# tab NAME: press ] until the side tab NAME is shown.
n=0
until screen_text | grep -qF '[Journal]'; do
	[ "$n" -lt 8 ] || fail "no [Journal] tab after 8 presses of ]"
	keys ']'
	n=$((n + 1))
done
assert_fixed 'recovery-time target now 5m (was 10m): level 1'
pass
