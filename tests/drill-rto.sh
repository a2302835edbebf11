#!/bin/sh
# A wrong decision never makes the recovery-time target easier: in a drill
# the score's rto criterion is judged against the target of the scenario's
# expected decision, and says so. npm critical-outage expects
# immediate-rollback (60 minutes); the trainee chooses scheduled-rollback
# (240 minutes) and finishes two hours after the start.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-security-actions-down.walk
# Up to the approval at the start; the rest two hours later.
sed -n '1,/^approve /p' "$walk" >"$tmp/first"
sed '1,/^approve /d' "$walk" >"$tmp/rest"
REWIND_TEST_NOW=2026-01-01T10:00:00Z "$bin" drill \
	"$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s" --scenario=critical-outage \
	<"$tmp/first" >"$tmp/out1" 2>&1
REWIND_TEST_NOW=2026-01-01T12:00:00Z "$bin" drill "$tmp/s" --batch \
	--operator olga <"$tmp/rest" >"$tmp/out2" 2>&1 ||
	fail "the walk did not complete: $(grep '"type":"error"' "$tmp/out2" | head -2)"
python3 - "$tmp/s/scorecard.json" >"$tmp/rto" 2>&1 <<'PY' || fail "$(cat "$tmp/rto")"
import json, sys
c = json.load(open(sys.argv[1]))
rto = [x for x in c["criteria"] if x["name"] == "rto"][0]
assert c["expected"]["chosen"] == "scheduled-rollback", c["expected"]
assert rto["points"] == 0, "rto %s/%s: %s" % (rto["points"], rto["max"], rto["why"])
assert c["rto_seconds"] == 3600, c["rto_seconds"]
assert "expected decision immediate-rollback" in rto["why"], rto["why"]
assert "allows 14400 s" in rto["why"], rto["why"]
print(rto["why"])
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q 'expected decision immediate-rollback' "$tmp/report" ||
	fail "the report does not say the RTO was judged on the expected decision"
[ "$failed" = 0 ] && echo "PASS: drill-rto: $(cat "$tmp/rto")"
exit "$failed"
