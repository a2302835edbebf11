#!/bin/sh
# Every required step skipped costs in its criterion, and the card counts
# the real required totals: the npm critical-outage good walk with the
# six "Candidate" tests of the restore version marked n/a loses assessment
# points for the one that stays in decide (the read-only issue list; the
# five that install and run the candidate come after the sign-off, in
# execute, where the drill scores the rollback steps only) and names it;
# with the CI pipeline check
# (a verification the drill shows) marked n/a it loses verification
# points, counted against the 8 required verifications the drill can
# show (seven runs and the pipeline), not the runs alone. The good walk
# still scores full marks.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed -E 's/^run ((decide|execute)\.test-[a-z-]+)$/na \1 no time to test the candidate/' "$walk" >"$tmp/candidates"
[ "$(grep -cE '^na (decide|execute).test-' "$tmp/candidates")" = 6 ] || fail "the walk does not run six candidate tests"
sed -E 's/^tick verify.pipeline .*/na verify.pipeline did not look/' "$walk" >"$tmp/pipeline"
for w in candidates pipeline good; do
	f=$tmp/$w
	[ "$w" = good ] && f=$walk
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/s-$w" --scenario=critical-outage <"$f" >"$tmp/out-$w" 2>&1 ||
		fail "$w: the walk did not complete: $(grep '"type":"error"' "$tmp/out-$w" | head -2)"
done
python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
def card(w):
    c = json.load(open("%s/s-%s/scorecard.json" % (sys.argv[1], w)))
    return c, {x["name"]: x for x in c["criteria"]}
c, by = card("good")
assert c["score"] == c["max"], [(x["name"], x["why"]) for x in c["criteria"] if x["applies"] and x["points"] < x["max"]]
assert by["verifications"]["why"] == "0 of 8 marked n/a", by["verifications"]["why"]
c, by = card("candidates")
a = by["assessment"]
assert a["points"] < a["max"], a
assert "1 of 8" in a["why"] and "decide.test-known-issues" in a["why"] + json.dumps(c["unassessed"]), a["why"]
c, by = card("pipeline")
v = by["verifications"]
assert v["points"] < v["max"] and v["why"] == "1 of 8 marked n/a", v
assert [u["step"] for u in c["unverified"]] == ["verify.pipeline"], c["unverified"]
PY
[ "$failed" = 0 ] && echo "PASS: drill-skips"
exit "$failed"
