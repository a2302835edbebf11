#!/bin/sh
# A check ticked by mistake can be unticked: `untick STEP [REASON]`
# (ticked checks only) journals step.unticked and the check is open again,
# in drill and live alike. The drill's score reads the final state (an
# optional check unticked and left open earns nothing: the checks
# criterion gives points for the checks done, and it is the only check
# the drill can judge), the report's
# timeline lists the untick with its reason, replay --print shows it, the
# journal verifies; a required check unticked holds the phase until it is
# ticked again; unticking an open check is refused.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'PB'
{ "id": "untick", "title": "Untick a check",
  "phases": [
    { "id": "assess", "title": "Assess", "steps": [
      { "id": "assess.ticket", "kind": "check", "title": "Incident ticket opened" },
      { "id": "assess.paged", "kind": "check", "title": "On-call paged", "required": false,
        "drill": { "output": "on-call rota: paged at 19:31" } } ] },
    { "id": "decide", "title": "Decide", "steps": [] },
    { "id": "approve", "title": "Approve", "steps": [] },
    { "id": "execute", "title": "Execute", "steps": [] },
    { "id": "verify", "title": "Verify", "steps": [] },
    { "id": "communicate", "title": "Communicate", "steps": [] } ] }
PB

# walk MODE DIR: the actions on stdin, in batch mode.
walk() {
	"$bin" "$1" "$tmp/pb.json" --batch --operator sam \
		--session-dir "$tmp/$2" >"$tmp/$2.out" 2>&1
}

# points DIR: the checks criterion's points on DIR's score card.
points() {
	python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
print([k["points"] for k in c["criteria"] if k["name"] == "checks"][0])' \
		"$tmp/$1/scorecard.json"
}

# --- drill: the optional check unticked and left open ----------------------------
printf '%s\n' 'tick assess.ticket INC-1' 'tick assess.paged' \
	'untick assess.paged paged the wrong rota' 'untick assess.paged' \
	next next next next next next | walk drill drill
grep -q '"type":"step.unticked","phase":"assess","step":"assess.paged","payload":{"reason":"paged the wrong rota"}' \
	"$tmp/drill/journal.jsonl" || fail "no step.unticked journalled: $(cat "$tmp/drill.out")"
grep -q '"type":"error","line":4,"message":"untick assess.paged: the step is open"' \
	"$tmp/drill.out" || fail "unticking an open check was not refused"
[ "$(points drill)" = 0 ] ||
	fail "the checks criterion gives $(points drill), not 0 (the unticked check is open)"
"$bin" verify "$tmp/drill" >/dev/null 2>&1 || fail "the drill's journal does not verify"
"$bin" report "$tmp/drill" >"$tmp/report.md" 2>&1 || fail "no report"
grep -q '| sam | assess | unticked assess.paged: paged the wrong rota |' "$tmp/report.md" ||
	fail "the report does not list the untick: $(grep -i tick "$tmp/report.md")"
"$bin" replay --print "$tmp/drill" 2>&1 | grep -q 'step.unticked  *assess.paged  *reason=paged the wrong rota' ||
	fail "replay --print does not show the untick"

# The same walk without the untick keeps full marks (the untick is what costs).
printf '%s\n' 'tick assess.ticket INC-1' 'tick assess.paged' \
	next next next next next next | walk drill kept
[ "$(points kept)" = 10 ] || fail "the checks criterion gives $(points kept) with the check ticked"

# --- live: a required check unticked holds the phase ----------------------------------
printf '%s\n' 'tick assess.ticket INC-1' 'untick assess.ticket wrong incident' \
	next 'tick assess.ticket INC-2' 'na assess.paged not paged' \
	next next next next next next | walk run live
grep -q '"type":"step.unticked","phase":"assess","step":"assess.ticket"' \
	"$tmp/live/journal.jsonl" || fail "live: no step.unticked journalled"
grep -q '"type":"error","line":3,"message":"next: phase assess still has open required steps: assess.ticket' \
	"$tmp/live.out" || fail "live: the phase moved on with the required check unticked"
grep -q '"type":"session.completed"' "$tmp/live/journal.jsonl" ||
	fail "live: the session did not complete once the check was ticked again"
"$bin" verify "$tmp/live" >/dev/null 2>&1 || fail "the live journal does not verify"
exit $failed
