#!/bin/sh
# One mistake costs once: a required check marked n/a is charged by its
# phase's criterion (assessment for assess and decide, verifications for
# verify), which lists it, and the checks criterion leaves it out instead
# of charging it again. The web service's p0-outage good walk with
# decide.target-stable marked n/a loses assessment points only; the npm
# critical-outage good walk with verify.pipeline marked n/a loses
# verification points only. Each total drops by exactly what that one
# criterion lost, and the checks criterion says where the step went.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

# walk PLAYBOOK SCENARIO STEP NAME: the good walk, and the same walk with
# STEP marked n/a, both in batch mode.
walk() {
	w=$src/tests/fixtures/walks/$1-scenario-$2.walk
	sed -E "s/^tick $3 .*/na $3 no time for it/" "$w" >"$tmp/$4.walk"
	grep -q "^na $3 " "$tmp/$4.walk" || fail "$4: the walk does not tick $3"
	for k in good na; do
		f=$tmp/$4.walk
		[ "$k" = good ] && f=$w
		"$bin" drill "$src/playbooks/$1.json" --batch --operator olga \
			--no-real-in-clone --session-dir "$tmp/$4-$k" \
			--scenario="$2" <"$f" >"$tmp/$4-$k.out" 2>&1 ||
			fail "$4 $k: the walk did not complete: $(grep '"type":"error"' "$tmp/$4-$k.out" | head -2)"
	done
}
walk web-service-rollback p0-outage decide.target-stable web
walk npm-dist-tag-rollback critical-outage verify.pipeline npm

python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
def card(name):
    c = json.load(open("%s/%s/scorecard.json" % (sys.argv[1], name)))
    return c, {x["name"]: x for x in c["criteria"]}
for name, step, where in (("web", "decide.target-stable", "assessment"),
                          ("npm", "verify.pipeline", "verifications")):
    g, gby = card(name + "-good")
    c, by = card(name + "-na")
    assert g["score"] == g["max"] == c["max"], (name, g["score"], g["max"], c["max"])
    lost = {k: gby[k]["points"] - by[k]["points"] for k in gby
            if gby[k]["applies"] and gby[k]["points"] != by[k]["points"]}
    assert list(lost) == [where], (name, "charged in", lost,
                                   by["checks"]["why"])
    assert g["score"] - c["score"] == lost[where], (name, g["score"], c["score"], lost)
    assert step in json.dumps(c["unassessed"] + c["unverified"]), (name, step)
    ch = by["checks"]
    assert ch["points"] == ch["max"], (name, ch)
    assert "1 required marked n/a, charged under %s" % where in ch["why"], (name, ch["why"])
PY
# The phases criterion does not charge it again: example p0-outage (with
# phase targets) with assess.tags, a run step, marked n/a loses assessment
# points only, and the assess phase says where the step was charged.
w=$src/tests/fixtures/walks/example-scenario-p0-outage.walk
sed -E 's/^run assess.tags$/na assess.tags no time for it/' "$w" >"$tmp/ex.walk"
grep -q '^na assess.tags ' "$tmp/ex.walk" || fail "ex: the walk does not run assess.tags"
for k in good na; do
	f=$tmp/ex.walk
	[ "$k" = good ] && f=$w
	"$bin" drill "$src/playbooks/example.json" --batch --operator olga \
		--no-real-in-clone --session-dir "$tmp/ex-$k" \
		--scenario=p0-outage <"$f" >"$tmp/ex-$k.out" 2>&1 ||
		fail "ex $k: the walk did not complete"
done
python3 - "$tmp" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
def card(name):
    c = json.load(open("%s/%s/scorecard.json" % (sys.argv[1], name)))
    return c, {x["name"]: x for x in c["criteria"]}
g, gby = card("ex-good")
c, by = card("ex-na")
assert by["phases"]["applies"], by["phases"]
lost = {k: gby[k]["points"] - by[k]["points"] for k in gby
        if gby[k]["applies"] and gby[k]["points"] != by[k]["points"]}
assert list(lost) == ["assessment"], ("charged in", lost, by["phases"]["why"])
assess = next(p for p in c["phases"] if p["phase"] == "assess")
assert "not_done" not in assess, assess
assert assess.get("na_charged") == "assess.tags marked n/a, charged under assessment", assess
PY
[ "$failed" = 0 ] && echo "PASS: drill-na-once"
exit "$failed"
