#!/bin/sh
# The score judges what a careless trainee skips: the npm critical-outage
# drill walked with the right decision and every verification run, but
# every assess check and every communicate step marked n/a and the users'
# notice never sent, loses the assessment and communication criteria,
# and each says why in words (the steps, the notice).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed -E 's/^(run|tick|send) ((assess|communicate)\.[a-z0-9.-]+).*/na \2 did not seem needed/' \
	"$walk" >"$tmp/careless"
grep -q '^na communicate.notice' "$tmp/careless" || fail "the walk still sends the notice"
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-outage <"$tmp/careless" >"$tmp/out" 2>&1 ||
	fail "the careless walk did not complete: $(grep '"type":"error"' "$tmp/out" | head -2)"
python3 - "$tmp/s/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
by = {x["name"]: x for x in c["criteria"]}
a, m = by["assessment"], by["communication"]
assert a["applies"] and a["points"] < a["max"], a
assert "assess.latest" in a["why"] and "n/a" in a["why"], a["why"]
assert m["applies"] and m["points"] == 0, m
assert "never sent" in m["why"] and "communicate.notice" in m["why"], m["why"]
assert c["unsent"] == ["communicate.notice"], c["unsent"]
# the two criteria cost at least 20 points, whatever else the card has
assert c["max"] - c["score"] >= 20, (c["score"], c["max"])
print("assessment %d/%d: %s; communication %d/%d: %s" % (
    a["points"], a["max"], a["why"], m["points"], m["max"], m["why"]))
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q 'never sent' "$tmp/report" || fail "the report does not say the notice was never sent"
[ "$failed" = 0 ] && echo "PASS: drill-careless: $(cat "$tmp/why")"
exit "$failed"
