#!/bin/sh
# A wrong decision earns nothing for carrying it out. git-conversion's
# below-threshold scenario expects "monitor" (the counters are under the
# thresholds); the careless walk chose level1 and ran its reset and its
# checks without a fault, and the card gave execution 10/10 and
# verifications 20/20 for them as if they were right. Steps that apply
# only on the wrong decision's path are not counted, and the reason says
# so, naming the decision taken, the expected one and the steps. The
# expected path (monitor) executes and verifies nothing, so both criteria
# are left out of the careless walk's card as out of the good walk's: the
# two are scored out of the same maximum. The good walk keeps full marks.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/git-conversion-rollback.json
walks=$src/tests/fixtures/walks
for k in careless walk; do
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/$k" --scenario=below-threshold \
		<"$walks/git-conversion-rollback-scenario-below-threshold.$k" \
		>"$tmp/$k.out" 2>&1 || fail "the $k walk did not complete"
done
python3 - "$tmp/careless/scorecard.json" "$tmp/walk/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c, g = (json.load(open(f)) for f in sys.argv[1:3])
def crit(card, name):
    return next(x for x in card["criteria"] if x["name"] == name)
e = crit(c, "execution")
assert not e["applies"] and e["points"] is None, e
assert "not on the path of the expected decision monitor" in e["why"], e["why"]
assert "1 of 1 done on the path of the decision taken (level1), not the expected monitor, so not counted: execute.reset-to-commit" in e["why"], e["why"]
assert [x["step"] for x in c["wrong_path_executed"]] == ["execute.reset-to-commit"], c["wrong_path_executed"]
v = crit(c, "verifications")
assert not v["applies"] and v["points"] is None, v
assert "8 of 8 done on the path of the decision taken (level1), not the expected monitor, so not counted: verify.l1-factory-methods" in v["why"], v["why"]
assert len(c["wrong_path_verified"]) == 8, c["wrong_path_verified"]
assert g["score"] == g["max"], (g["score"], g["max"])
assert c["max"] == g["max"], (c["max"], g["max"])
assert c["score"] < g["score"], (c["score"], g["score"])
assert g["wrong_path_executed"] == [] and g["wrong_path_verified"] == [], g
PY
"$bin" report "$tmp/careless" >"$tmp/report" 2>&1
grep -q '| execution | n/a | not on the path of the expected decision monitor.*not the expected monitor, so not counted' "$tmp/report" ||
	fail "the report's card does not say why execution earned nothing: $(grep '| execution' "$tmp/report")"
[ "$failed" = 0 ] && echo "PASS: drill-wrong-path"
exit "$failed"
