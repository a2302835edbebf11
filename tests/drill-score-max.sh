#!/bin/sh
# One maximum for every walk of a playbook and scenario, and points only for
# what was done. web-service p0-outage: the good walk scores full marks; a
# walk that decides to hotfix instead (the rollback it passes by loses its
# points rather than leaving the total) is scored out of the same maximum;
# a walk that marks execute.pip-install n/a (a rollback made fast by
# leaving its work undone) does not meet the execute phase's time target,
# the card naming the step; a walk that marks the required check
# verify.errors n/a loses verification points, once: the checks criterion
# leaves it out and says so (tests/drill-na-once.sh).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/web-service-rollback.json
good=$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk
drill() { # WALK DIR
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$2" --scenario=p0-outage <"$1" >"$2.out" 2>&1 ||
		fail "$2: the walk did not complete: $(grep '"type":"error"' "$2.out" | head -2)"
}
# hotfix: the assessment of the good walk, then a fix forward
sed -n '1,/^next$/p' "$good" >"$tmp/hotfix"
cat >>"$tmp/hotfix" <<'WALK'
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
tick communicate.version-history noted
tick communicate.metrics noted
tick communicate.root-cause noted
tick communicate.postmortem booked
next
WALK
sed 's/^run execute.pip-install$/na execute.pip-install the old wheels are still installed/' \
	"$good" >"$tmp/fast"
sed 's/^tick verify.errors .*/na verify.errors no time to read the log/' "$good" >"$tmp/unchecked"
drill "$good" "$tmp/g"
drill "$tmp/hotfix" "$tmp/h"
drill "$tmp/fast" "$tmp/f"
drill "$tmp/unchecked" "$tmp/u"
python3 - "$tmp/g" "$tmp/h" "$tmp/f" "$tmp/u" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
g, h, f, u = (json.load(open(d + "/scorecard.json")) for d in sys.argv[1:5])
def crit(card, name):
    return next(x for x in card["criteria"] if x["name"] == name)
assert g["score"] == g["max"], (g["score"], g["max"])
for name, card in (("hotfix", h), ("fast", f), ("unchecked", u)):
    assert card["max"] == g["max"], (name, card["max"], g["max"])
    assert card["score"] < g["score"], (name, card["score"], g["score"])
e = crit(h, "execution")
assert e["applies"] and e["points"] == 0, e
ph = crit(f, "phases")
assert ph["points"] == 0, ph
ex = [p for p in f["phases"] if p["phase"] == "execute"][0]
assert ex["within"] and ex["not_done"] == "execute.pip-install", ex
assert crit(g, "phases")["points"] == 10, crit(g, "phases")
ck = crit(u, "checks")
assert ck["points"] == ck["max"], ck
assert "charged under verifications" in ck["why"], ck
assert crit(u, "verifications")["points"] < 20, crit(u, "verifications")
print("hotfix %d/%d, fast %d/%d (%s), unchecked %d/%d (checks: %s)" % (
    h["score"], h["max"], f["score"], f["max"], ph["why"], u["score"],
    u["max"], ck["why"]))
PY
[ "$failed" = 0 ] && echo "PASS: drill-score-max: $(cat "$tmp/why")"
exit "$failed"
