#!/bin/sh
# A verification the drill's world cannot show (telemetry, download rates,
# user reports) is never ticked "on faith" for points: the score card lists
# each such check, in any phase (the download counts of assess, the chat
# notice and status page of communicate), as one the drill cannot show,
# saying which were ticked on faith, and scores none of them (an optional
# one left open costs nothing); a check the world gives a simulated probe
# for (npm's CI pipeline: the runs on main) is not listed.
# A check whose evidence the scenario's briefing gives (briefing_shows:
# critical-outage's briefing states 1.2.3's share of the installs, which
# assess.downloads asks the trainee to look up) counts as shown: it is
# not listed, and the assessment criterion counts it.
# The good npm critical-outage walk still scores full marks.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s" --scenario=critical-outage \
	<"$walk" >"$tmp/out" 2>&1 || fail "the walk did not complete"
python3 - "$tmp/s/scorecard.json" "$tmp/s/journal.jsonl" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
u = {x["step"]: x["reason"] for x in c["unverifiable"]}
# Every phase: the assess, execute and communicate checks nothing shows
# are listed too; the pipeline check has the scenario's run list.
for step in ["verify.downloads", "verify.reports", "verify.telemetry",
             "communicate.chat",
             "communicate.status-page", "communicate.github-issue"]:
    assert step in u, (step, u)
assert "verify.pipeline" not in u, u
assert "assess.downloads" not in u, u
a = [x for x in c["criteria"] if x["name"] == "assessment"][0]
assert a["points"] == a["max"], a
assert u["verify.downloads"] == "ticked on faith: nothing in the drill showed it", u
assert u["verify.telemetry"] == "nothing in the drill shows it", u
skipped = [x["step"] for x in c["skipped"]]
assert not skipped, skipped
assert c["score"] == c["max"], (c["score"], c["max"])
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q 'Checks the drill cannot show (not scored; a tick is on faith)' "$tmp/report" ||
	fail "the report's score card does not list the checks the drill cannot verify"
# briefing_shows names check steps only, and says where when it does not.
python3 - "$src/playbooks/npm-dist-tag-rollback.json" "$tmp/bad.json" <<'PY'
import json, sys
pb = json.load(open(sys.argv[1]))
pb["scenarios"][0]["briefing_shows"] = ["assess.impact"]
json.dump(pb, open(sys.argv[2], "w"))
PY
"$bin" check "$tmp/bad.json" >"$tmp/bad.out" 2>&1 && fail "check took briefing_shows naming an input step"
grep -q 'scenarios\[0\].briefing_shows.*step "assess.impact" is not a check' "$tmp/bad.out" ||
	fail "no clear error for briefing_shows naming an input step: $(cat "$tmp/bad.out")"
[ "$failed" = 0 ] && echo "PASS: drill-unverifiable"
exit "$failed"
