#!/bin/sh
# Skipping a required rollback step costs: the good npm critical-outage
# walk, but with the required execute.deprecate marked n/a instead of run,
# loses points under "execution" (listed as unexecuted), and its recovery
# is not within the RTO in the score card (within_rto false) nor in the
# report (rto_status "not proven", rto_met null, the step named in rto_unproven): both agree.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

good=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed -e '/^confirm execute.deprecate/d' \
	-e 's/^run execute.deprecate$/na execute.deprecate cosmetic, no time/' \
	-e 's/^run verify.deprecated$/&\
na verify.deprecated not deprecated, skipped/' \
	"$good" >"$tmp/skip.walk"
grep -q '^na execute.deprecate' "$tmp/skip.walk" || fail "the walk was not edited"
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s" --scenario=critical-outage \
	<"$tmp/skip.walk" >"$tmp/out" 2>&1 || fail "the walk did not complete"
python3 - "$tmp/s/scorecard.json" "$tmp/s/report.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
crit = {x["name"]: x for x in c["criteria"]}
assert "execution" in crit and crit["execution"].get("applies"), crit.keys()
assert crit["execution"]["points"] < crit["execution"]["max"], crit["execution"]
assert [x["step"] for x in c["unexecuted"]] == ["execute.deprecate"], c["unexecuted"]
assert c["score"] < c["max"], (c["score"], c["max"])
assert c["within_rto"] is False, c["within_rto"]
m = r["metrics"]
assert m["rto_status"] == "not proven", m
assert m["rto_met"] is None, m
assert "execute.deprecate marked n/a" in m["rto_unproven"], m["rto_unproven"]
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q 'Required execute steps marked n/a' "$tmp/report" ||
	fail "the report's score card does not list the skipped execute step"
[ "$failed" = 0 ] && echo "PASS: drill-skipped-execute"
exit "$failed"
