#!/bin/sh
# The score card quotes only what the trainee saw. A wrong answer's reason
# names where its evidence was shown (the briefing, an alert, the step
# whose output showed it, the drill's world) and quotes it; when only a
# step that never ran would have shown it, the card says so and quotes
# nothing (it used to quote "Error count: 3" from assess.error-rate, a
# step the trainee marked n/a).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/git-conversion-rollback.json
walk=$src/tests/fixtures/walks/git-conversion-rollback-scenario-below-threshold.careless
grep -q '^run assess.error-rate$' "$walk" || fail "the walk does not run assess.error-rate"
sed 's/^run assess.error-rate$/na assess.error-rate the counters can wait/' "$walk" >"$tmp/unrun.walk"
for w in ran unrun; do
	[ "$w" = ran ] && in=$walk || in=$tmp/unrun.walk
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/$w" --scenario=below-threshold <"$in" \
		>"$tmp/$w.out" 2>&1 || fail "the $w walk did not complete"
done
python3 - "$tmp/ran/scorecard.json" "$tmp/unrun/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
ran, unrun = (json.load(open(f)) for f in sys.argv[1:3])
def answers(card):
    return next(x for x in card["criteria"] if x["name"] == "answers")
a = answers(ran)
assert "SCOPE given as system, the scenario's is none (assess.error-rate showed: \"Error count: 3\")" in a["why"], a["why"]
assert ran["answers"][0]["evidence"] == "Error count: 3", ran["answers"]
a = answers(unrun)
assert "Error count" not in a["why"], a["why"]
assert "would" not in a["why"], a["why"]
assert "SCOPE given as system, the scenario's is none (assess.error-rate shows it, but it was not run)" in a["why"], a["why"]
assert "evidence" not in unrun["answers"][0], unrun["answers"]
assert unrun["answers"][0]["not_seen"] == "assess.error-rate shows it, but it was not run", unrun["answers"]
PY
"$bin" report "$tmp/unrun" >"$tmp/report" 2>&1
grep -q 'assess.error-rate shows it, but it was not run' "$tmp/report" ||
	fail "the report does not say the step was not run"
grep -q 'Error count: 3' "$tmp/report" &&
	fail "the report quotes output of a step that never ran: $(grep 'Error count: 3' "$tmp/report")"
[ "$failed" = 0 ] && echo "PASS: drill-evidence-seen"
exit "$failed"
