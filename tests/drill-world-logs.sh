#!/bin/sh
# A check that reads its evidence from the drill's world (drill.log,
# drill.fails_on: web-service-rollback's verify.errors, "no new errors",
# reads the backend log) is judged by the world when it is ticked: in
# scenario stale-bytecode the backend died on start and was never started
# again, so the log still holds the v1.1.0 ERROR lines, and the careless
# walk's tick is a false all-clear: the score card's all-clears criterion
# costs it, quoting the line, and the report says so. After a good
# restart (the start replaces the log) the same tick holds: the good walk
# keeps full marks. verify.functionality ("works end to end") reads the
# world's health endpoint (drill.endpoint): the careless walk ticks it
# while the endpoint answers 500, a second false all-clear. Neither walk
# lists either as a check the drill cannot show.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/web-service-rollback.json
walks=$src/tests/fixtures/walks
drill() { # SCENARIO KIND DIR
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$3" --scenario="$1" \
		<"$walks/web-service-rollback-scenario-$1.$2" >"$3.out" 2>&1 ||
		fail "the $1 $2 walk did not complete"
}
drill stale-bytecode careless "$tmp/c"
drill stale-bytecode walk "$tmp/g"
drill p0-outage walk "$tmp/p"
python3 - "$tmp/c/scorecard.json" "$tmp/g/scorecard.json" \
	"$tmp/p/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c, g, p = (json.load(open(f)) for f in sys.argv[1:4])
def crit(card, name):
    return next(x for x in card["criteria"] if x["name"] == name)
for card in (c, g, p):
    for st in ("verify.errors", "verify.functionality"):
        assert st not in [x["step"] for x in card["unverifiable"]], card["unverifiable"]
fc = c["false_all_clears"]
assert [x["step"] for x in fc] == ["verify.functionality", "verify.errors"], fc
assert fc[0]["endpoint"] == "http://localhost:8000/api/v1/health", fc
assert fc[0]["line"].startswith("500 "), fc
assert fc[1]["log"] == "backend", fc
assert fc[1]["line"].startswith("ERROR [app] GET /api/v1/health -> 500"), fc
a = crit(c, "all-clears")
assert a["points"] == 0 and a["max"] == 10, a
assert 'verify.errors ticked while the backend log showed "ERROR [app] GET /api/v1/health' in a["why"], a
for card in (g, p):
    assert card["false_all_clears"] == [], card["false_all_clears"]
    assert crit(card, "all-clears")["points"] == 10, crit(card, "all-clears")
    assert card["score"] == card["max"], (card["score"], card["max"])
PY
"$bin" report "$tmp/c" >"$tmp/report" 2>&1
grep -q '| all-clears | 0 / 10 | verify.functionality ticked while the endpoint http://localhost:8000/api/v1/health answered "500 .*"; verify.errors ticked while the backend log showed "ERROR \[app\] GET /api/v1/health -> 500 Internal Server Error" |' "$tmp/report" ||
	fail "the report's score card does not say why the all-clear cost points: $(grep all-clears "$tmp/report")"
# Bad input says what and where: fails_on without log, log on a run step.
cat >"$tmp/bad.json" <<'JSON'
{"id":"x","title":"x","phases":[{"id":"assess","steps":[
 {"id":"a.c","kind":"check","title":"t","drill":{"fails_on":"ERROR"}}]},
 {"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[
 {"id":"e.r","kind":"run","title":"r","run":"true","drill":{"log":"app","fails_on":"ERROR"}}]},
 {"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
"$bin" check "$tmp/bad.json" >"$tmp/bad.out" 2>&1 && fail "check took fails_on without log"
grep -q 'phases\[0\].steps\[0\].drill.fails_on: needs log or endpoint' "$tmp/bad.out" ||
	fail "no clear error for fails_on without log: $(cat "$tmp/bad.out")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["phases"][0]["steps"]=[]; json.dump(d, open(sys.argv[1], "w"))' "$tmp/bad.json"
"$bin" check "$tmp/bad.json" >"$tmp/bad.out" 2>&1 && fail "check took log on a run step"
grep -q 'phases\[3\].steps\[0\].drill.log: only a check step reads its evidence' "$tmp/bad.out" ||
	fail "no clear error for log on a run step: $(cat "$tmp/bad.out")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["phases"][3]["steps"]=[]; d["phases"][4]["steps"]=[{"id":"v.c","kind":"check","title":"t","drill":{"log":"app","endpoint":"http://x/h","fails_on":"^5"}}]; json.dump(d, open(sys.argv[1], "w"))' "$tmp/bad.json"
"$bin" check "$tmp/bad.json" >"$tmp/bad.out" 2>&1 && fail "check took both log and endpoint"
grep -q 'phases\[4\].steps\[0\].drill.endpoint: a check reads one of log and endpoint' "$tmp/bad.out" ||
	fail "no clear error for log and endpoint both: $(cat "$tmp/bad.out")"
[ "$failed" = 0 ] && echo "PASS: drill-world-logs"
exit "$failed"
