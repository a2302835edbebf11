#!/bin/sh
# A wrong decision is judged honestly. web-service p0-outage (the API is
# down; a good operator rolls back) walked with a hotfix instead: the
# health endpoint is the scenario's world, down until the backend is
# started from the restored tag, so verify.health and the watch of
# verify.monitor fail (the trainee can only mark them n/a); the card shows it: verifications lose points, the
# rto criterion says the recovery was never proven (and the report's RTO
# line does not call the target met), and the approval the
# hotfix path passes by (approve.lead, which the expected rollback goes
# through) is missing, with the reasons in words. The good walk's health
# check passes only after the rollback (it failed before the backend was
# started again).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
pb=$src/playbooks/web-service-rollback.json

cat >"$tmp/hotfix" <<'WALK'
set ENVIRONMENT production
run assess.current
set CURRENT_TAG v1.1.0
set INCIDENT_LINK INC-2041
set ISSUE "every API request returns 500 since v1.1.0"
set IMPACT "all users"
set SEVERITY P0
set FIX_OUTLOOK quick
set HEALTH_URL http://localhost:8000/api/v1/health
next
choose decide.response hotfix a fix forward looks quicker
next
next
tick execute.hotfix v1.1.1 deployed
next
run verify.health
na verify.health the endpoint still fails; moving on
tick verify.functionality checked
tick verify.errors checked
run verify.monitor
na verify.monitor the endpoint still answers 500
next
tick communicate.status-page noted
tick communicate.ticket updated
tick communicate.root-cause orjson missing
next
WALK
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/s" --scenario=p0-outage <"$tmp/hotfix" \
	>"$tmp/out" 2>&1 ||
	fail "the hotfix walk did not complete: $(grep '"type":"error"' "$tmp/out" | head -2)"
python3 - "$tmp/s" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
d = sys.argv[1]
ev = [json.loads(l) for l in open(d + "/journal.jsonl")]
health = [e["payload"] for e in ev
          if e["type"] == "step.finished" and e["step"] == "verify.health"]
assert health and not health[0]["ok"], ("verify.health passed", health)
# The 15-minute watch sees the same endpoint: it fails while it answers
# 500 (it said "15 minutes without new errors"), and at once (it took 2 s).
mon = [e["payload"] for e in ev
       if e["type"] == "step.finished" and e["step"] == "verify.monitor"]
assert mon and not mon[0]["ok"], ("verify.monitor passed", mon)
assert "error: 500" in mon[0]["tail"], mon[0]["tail"]
assert "without new errors" not in mon[0]["tail"], mon[0]["tail"]
assert mon[0]["duration_ms"] < 1000, mon[0]
c = json.load(open(d + "/scorecard.json"))
by = {x["name"]: x for x in c["criteria"]}
v, r, a = by["verifications"], by["rto"], by["approvals"]
assert v["applies"] and v["points"] < v["max"], v
# Both waved away, the watch (a wait step) too, and named as failed first.
assert v["why"].startswith("2 of "), v["why"]
assert "failed, then marked n/a: " in v["why"] and "verify.monitor" in v["why"], v["why"]
assert r["applies"] and r["points"] == 0, r
assert "never proven" in r["why"] and "verify.health" in r["why"], r["why"]
assert a["applies"] and a["points"] == 0, a
assert "approve.lead" in a["why"] and "expected decision rollback" in a["why"], a["why"]
# The rollback never ran: execution says so, not "n/a: no required
# execute step to run" (left out, as if nothing was asked).
x = by["execution"]
assert x["applies"] and x["points"] == 0, x
assert "decision taken (hotfix)" in x["why"] and "expected decision rollback" in x["why"], x["why"]
print("verifications %d/%d; rto %d/%d: %s; approvals %d/%d: %s" % (
    v["points"], v["max"], r["points"], r["max"], r["why"],
    a["points"], a["max"], a["why"]))
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q 'never proven' "$tmp/report" || fail "the report does not say the recovery was never proven"
# ...nor may its RTO line call the target met (it did: "recovered in 10.9s").
grep -q '^RTO: \*\*met\*\*' "$tmp/report" && fail "the report says the RTO was met: $(grep '^RTO' "$tmp/report")"
grep -q '^RTO: \*\*not proven\*\*: .*never proven: verify\.health marked n/a, verify\.monitor marked n/a\.$' "$tmp/report" ||
	fail "the report's RTO line does not name verify.health: $(grep '^RTO' "$tmp/report")"
# It says where the time was counted to (not "the session ended" then).
grep -q '^RTO: \*\*not proven\*\*: .* counted from the session start to the end of the verify phase (target ' "$tmp/report" ||
	fail "the report's RTO line does not say where it counted to: $(grep '^RTO' "$tmp/report")"

# The good walk: healthy only once the backend runs from the restored tag
# (and the watch of verify.monitor with it).
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/g" --scenario=p0-outage \
	<"$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk" \
	>"$tmp/gout" 2>&1 || fail "the good walk did not complete"
grep '"step":"verify.health"' "$tmp/g/journal.jsonl" | grep -q '"type":"step.finished".*"ok":true' ||
	fail "the good walk's health check did not pass"
grep '"step":"verify.monitor"' "$tmp/g/journal.jsonl" | grep -q '"type":"step.finished".*"ok":true' ||
	fail "the good walk's 15-minute watch did not pass"
grep -q '"type":"drill.world".*"step":"execute.start-backend"' "$tmp/g/journal.jsonl" ||
	grep '"step":"execute.start-backend"' "$tmp/g/journal.jsonl" | grep -q drill.world ||
	fail "starting the backend did not change the world's health endpoint"
[ "$failed" = 0 ] && echo "PASS: drill-wrong-decision: $(cat "$tmp/why")"
exit "$failed"
