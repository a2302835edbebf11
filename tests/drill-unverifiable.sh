#!/bin/sh
# A verification the drill's world cannot show (telemetry, download rates,
# user reports) is never ticked "on faith" for points: the score card lists
# each such check of the verify phase as not verifiable in the drill, with
# what the trainee did, and scores none of them; a check the world gives a
# simulated probe for (npm's CI pipeline: the runs on main) is not listed.
# The good npm critical-outage walk still scores full marks.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s" --scenario=critical-outage \
	<"$walk" >"$tmp/out" 2>&1 || fail "the walk did not complete"
python3 - "$tmp/s/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
u = {x["step"]: x["reason"] for x in c["unverifiable"]}
assert sorted(u) == ["verify.downloads", "verify.reports", "verify.telemetry"], u
assert u["verify.downloads"] == "ticked; nothing in the drill showed it", u
assert u["verify.telemetry"] == "nothing in the drill shows it", u
assert c["score"] == c["max"], (c["score"], c["max"])
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q 'Checks the drill cannot verify (not scored)' "$tmp/report" ||
	fail "the report's score card does not list the checks the drill cannot verify"
[ "$failed" = 0 ] && echo "PASS: drill-unverifiable"
exit "$failed"
