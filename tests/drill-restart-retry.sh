#!/bin/sh
# example's restart-fails scenario can be won: its outcome for
# execute.restart fails only the first run ("runs": 1), so the retry
# starts the service, and verify.health answers from the world: healthy
# after a restart that worked, 503 from the old process while none has.
# A trainee who marks the failed restart n/a instead of retrying sees the
# health check fail, and loses the execution criterion and the RTO.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/example.json
good=$src/tests/fixtures/walks/example-scenario-restart-fails.walk
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/g" --scenario=restart-fails <"$good" >"$tmp/g.out" 2>&1 ||
	fail "the good walk did not complete"
grep '"step":"execute.restart"' "$tmp/g.out" | grep '"type":"step.finished"' |
	sed -n 2p | grep -q '"ok":true' || fail "the retried restart did not succeed"
grep '"type":"output"' "$tmp/g.out" | grep -q 'status\\": \\"healthy' ||
	grep -q 'healthy' "$tmp/g/output/verify.health-1.cast" 2>/dev/null ||
	fail "verify.health did not answer healthy after the retry"

# The trainee gives up after the first failure.
awk '/^confirm execute.restart / && ++c == 2 { next }
	/^run execute.restart$/ && ++r == 2 { print "na execute.restart restarted by hand"; next }
	/^run verify.health$/ { print; print "na verify.health failed: 503 from the old process"; next }
	{ print }' "$good" >"$tmp/skip.walk"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/s" --scenario=restart-fails <"$tmp/skip.walk" >"$tmp/s.out" 2>&1 ||
	fail "the walk that skips the retry did not complete"
grep '"step":"verify.health"' "$tmp/s.out" | grep '"type":"step.finished"' |
	grep -q '"exit":22' || fail "verify.health did not fail without a started service"
python3 - "$tmp/s/scorecard.json" "$tmp/s/report.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
crit = {x["name"]: x for x in c["criteria"]}
assert crit["execution"]["points"] < crit["execution"]["max"], crit["execution"]
assert c["within_rto"] is False, c
# verify.health n/a: never proven, neither met nor missed
assert r["metrics"]["rto_status"] == "not proven", r["metrics"]
assert r["metrics"]["rto_met"] is None, r["metrics"]
PY
[ "$failed" = 0 ] && echo "PASS: drill-restart-retry"
exit "$failed"
