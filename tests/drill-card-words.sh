#!/bin/sh
# The score card and the report say the same thing, in words a trainee can
# act on. example p0-outage walked as a new trainee did (assessment marked
# n/a, a wait decision): communication names the message the decision left
# out, not "nothing to communicate" beside the checks ticked; the report's
# time per phase says where assess.status marked n/a was charged (under
# assessment, once: the phases criterion keeps its points, as the card
# says). npm
# critical-outage signed by someone who is not one of the drill's
# approvers: the report's Approvals table says the sign-off is not counted
# in this drill, as the card does, where it said "valid". An open
# web-service p0-outage drill's report judges against the scenario's 8m,
# as the console does, not the playbook's target.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walks=$src/tests/fixtures/walks
drill() { # PLAYBOOK SCENARIO WALK DIR
	"$bin" drill "$src/playbooks/$1.json" --batch --operator olga \
		--no-real-in-clone --session-dir "$4" --scenario="$2" <"$3" \
		>"$4.out" 2>&1 ||
		fail "$4: the walk did not complete: $(grep '"type":"error"' "$4.out" | head -2)"
}

drill example p0-outage "$walks/example-scenario-p0-outage.wait" "$tmp/w"
python3 - "$tmp/w/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
by = {x["name"]: x for x in c["criteria"]}
m = by["communication"]
assert m["applies"] and m["points"] == 0, m
assert "communicate.team" in m["why"], m["why"]
assert "nothing to communicate" not in m["why"], m["why"]
assert by["phases"]["points"] == by["phases"]["max"], by["phases"]
assert by["assessment"]["points"] < by["assessment"]["max"], by["assessment"]
print("communication: %s" % m["why"])
PY
"$bin" report "$tmp/w" >"$tmp/w.report" 2>&1
grep -q '^| assess | .* met (assess.status marked n/a, charged under assessment) |$' "$tmp/w.report" ||
	fail "time per phase: $(grep '^| assess |' "$tmp/w.report")"

sed 's/^\(approve approve.release-manager "Release Manager"\) dana /\1 priya /' \
	"$walks/npm-dist-tag-rollback-scenario-critical-outage.unwatched" >"$tmp/priya"
grep -q ' priya ' "$tmp/priya" || fail "the walk has no sign-off to change"
drill npm-dist-tag-rollback critical-outage "$tmp/priya" "$tmp/p"
"$bin" report "$tmp/p" >"$tmp/p.report" 2>&1
line=$(grep '^| approve.release-manager | Release Manager | priya' "$tmp/p.report")
case $line in
*"| not counted in this drill: not one of the drill's approvers for the role |") ;;
*) fail "the report's approval: $line" ;;
esac

# an open drill: the report judges against the scenario's own target (8m),
# as the console's clock does
head -12 "$walks/web-service-rollback-scenario-p0-outage.walk" >"$tmp/open"
"$bin" drill "$src/playbooks/web-service-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/o" \
	--scenario=p0-outage <"$tmp/open" >"$tmp/o.out" 2>&1
"$bin" report "$tmp/o" >"$tmp/o.report" 2>&1
grep -q '^RTO: .*target 8m 00s' "$tmp/o.report" ||
	fail "the open drill's report: $(grep '^RTO' "$tmp/o.report")"

[ "$failed" = 0 ] && echo "PASS: drill-card-words: $(cat "$tmp/why")"
exit "$failed"
