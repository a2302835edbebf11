#!/bin/sh
# In a drill only the people the game master plays may sign: a sign-off
# entered under a made-up name (not one of the playbook's drill.approvers
# for the role) is journalled but never counts for the approvals
# criterion, and the card says whose and why; the good walk's sign-off by
# the named approver still counts (full marks). The operator signing for
# themself is refused outright.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed 's/^\(approve approve.release-manager "Release Manager"\) dana/\1 zed/' "$walk" >"$tmp/madeup"
grep -q '"Release Manager" zed' "$tmp/madeup" || fail "the walk has no sign-off to change"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/s" --scenario=critical-outage <"$tmp/madeup" >"$tmp/out" 2>&1 ||
	fail "the walk with a made-up approver did not complete: $(grep '"type":"error"' "$tmp/out" | head -2)"
python3 - "$tmp/s/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
a = [x for x in c["criteria"] if x["name"] == "approvals"][0]
assert a["points"] == 0, a
assert "zed's sign-off does not count: not one of the drill's approvers for the role" in a["why"], a["why"]
r = c["approvals"][0]
assert r["obtained"] == 0 and r["names"] == [] and r["not_counted"][0]["name"] == "zed", r
PY
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/g" --scenario=critical-outage <"$walk" >"$tmp/gout" 2>&1 ||
	fail "the good walk did not complete"
python3 - "$tmp/g/scorecard.json" >"$tmp/gwhy" 2>&1 <<'PY' || fail "$(cat "$tmp/gwhy")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["score"] == c["max"], (c["score"], c["max"])
PY
sed 's/^\(approve approve.release-manager "Release Manager"\) dana/\1 olga/' "$walk" >"$tmp/self"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/o" --scenario=critical-outage <"$tmp/self" >"$tmp/oout" 2>&1
grep -q 'olga is the operator of this session' "$tmp/oout" ||
	fail "the operator's own sign-off was not refused: $(grep -i approv "$tmp/oout" | head -3)"
[ "$failed" = 0 ] && echo "PASS: drill-approvers"
exit "$failed"
