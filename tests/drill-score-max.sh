#!/bin/sh
# One maximum for every walk of a playbook and scenario, and points only for
# what was done. web-service p0-outage: the good walk scores full marks; a
# walk that decides to hotfix instead (the rollback it passes by loses its
# points rather than leaving the total) is scored out of the same maximum;
# a walk that marks execute.pip-install n/a (a rollback made fast by
# leaving its work undone) loses execution points, once: the execute
# phase's time target says where the step was charged; a walk that marks the required check
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
assert ph["points"] == ph["max"], ph
ex = [p for p in f["phases"] if p["phase"] == "execute"][0]
assert ex["within"] and "not_done" not in ex, ex
assert ex["na_charged"] == "execute.pip-install marked n/a, charged under execution", ex
assert crit(g, "phases")["points"] == 10, crit(g, "phases")
ck = crit(u, "checks")
assert ck["points"] == ck["max"], ck
assert "charged under verifications" in ck["why"], ck
assert crit(u, "verifications")["points"] < 20, crit(u, "verifications")
print("hotfix %d/%d, fast %d/%d (%s), unchecked %d/%d (checks: %s)" % (
    h["score"], h["max"], f["score"], f["max"], ph["why"], u["score"],
    u["max"], ck["why"]))
PY

# Execution counts every required run step of the execute phase, not only
# the destructive ones: the fast walk (execute.pip-install marked n/a)
# loses execution points and the card names the step.
python3 - "$tmp/g" "$tmp/f" >"$tmp/why2" 2>&1 <<'PY' || fail "$(cat "$tmp/why2")"
import json, sys
g, f = (json.load(open(d + "/scorecard.json")) for d in sys.argv[1:3])
def crit(card, name):
    return next(x for x in card["criteria"] if x["name"] == name)
e = crit(g, "execution")
assert e["points"] == e["max"] and "all 1" not in e["why"], e
n = int(e["why"].split()[1])
assert n > 3, ("only the destructive steps counted", e["why"])
fe = crit(f, "execution")
assert fe["points"] < fe["max"] and "execute.pip-install" in fe["why"], fe
print("good: %s; fast: %d/%d %s" % (e["why"], fe["points"], fe["max"],
                                    fe["why"]))
PY

# npm critical-outage walked as a new trainee did (the workflow run taken
# as completed without watching it; the scenario makes it fail): nothing
# was restored, whatever RESTORE_VERSION says, and the five tests of the
# candidate marked n/a cost execution; scored out of the good walk's
# maximum.
npm=$src/playbooks/npm-dist-tag-rollback.json
walks=$src/tests/fixtures/walks
for w in walk unwatched; do
	"$bin" drill "$npm" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/npm-$w" --scenario=critical-outage \
		<"$walks/npm-dist-tag-rollback-scenario-critical-outage.$w" \
		>"$tmp/npm-$w.out" 2>&1 ||
		fail "npm $w: the walk did not complete: $(grep '"type":"error"' "$tmp/npm-$w.out" | head -2)"
done
python3 - "$tmp/npm-walk" "$tmp/npm-unwatched" >"$tmp/why3" 2>&1 <<'PY' || fail "$(cat "$tmp/why3")"
import json, sys
g, c = (json.load(open(d + "/scorecard.json")) for d in sys.argv[1:3])
def crit(card, name):
    return next(x for x in card["criteria"] if x["name"] == name)
assert g["score"] == g["max"], (g["score"], g["max"])
assert c["max"] == g["max"], ("careless max", c["max"], g["max"])
r = crit(c, "restore")
assert r["applies"] and r["points"] == 0, r
assert "never restored" in r["why"] and "latest 1.2.3" in r["why"], r["why"]
assert "latest of mycelicmemory serves it" in crit(g, "restore")["why"]
e = crit(c, "execution")
assert e["applies"] and e["points"] == 0, e
assert "execute.test-install" in e["why"], e["why"]
assert "execute.dist-tag" in e["why"], e["why"]
cf = crit(c, "confirmations")
assert cf["applies"] and cf["points"] == 0, cf
print("npm unwatched %d/%d (restore: %s; execution: %s)" % (
    c["score"], c["max"], r["why"], e["why"]))
PY

# pypi critical-bug-published walked as a trainee did (publish-failure):
# the same criteria as the good walk, restore left out in both (the
# expected path may take the hotfix route, which restores nothing), and
# all-clears scored at 0 rather than missing from the card; execution
# names the fix-route decision missing instead of owing both routes.
pypi=$src/playbooks/pypi-release-recovery.json
for w in walk publish-failure; do
	"$bin" drill "$pypi" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/pypi-$w" --scenario=critical-bug-published \
		<"$walks/pypi-release-recovery-scenario-critical-bug-published.$w" \
		>"$tmp/pypi-$w.out" 2>&1 ||
		fail "pypi $w: the walk did not complete: $(grep '"type":"error"' "$tmp/pypi-$w.out" | head -2)"
done
python3 - "$tmp/pypi-walk" "$tmp/pypi-publish-failure" >"$tmp/why4" 2>&1 <<'PY' || fail "$(cat "$tmp/why4")"
import json, sys
g, c = (json.load(open(d + "/scorecard.json")) for d in sys.argv[1:3])
def counted(card):
    return sorted(x["name"] for x in card["criteria"] if x["applies"])
assert counted(c) == counted(g), (counted(c), counted(g))
assert c["max"] == g["max"], (c["max"], g["max"])
r = [x for x in c["criteria"] if x["name"] == "restore"][0]
assert not r["applies"], r
# No fix route was chosen: execution says the route decision is missing,
# and owes neither route's steps one by one.
e = [x for x in c["criteria"] if x["name"] == "execution"][0]
owed = [u["step"] for u in c["unexecuted"]]
assert not [x for x in owed if x.startswith(("execute.hotfix-",
                                             "execute.recovery-"))], owed
assert "decide.fix-route" in owed, owed
assert "decide.fix-route: the decision missing: never chosen (hotfix or recovery)" in e["why"], e["why"]
assert "execute.hotfix-" not in e["why"] and "execute.recovery-" not in e["why"], e["why"]
print("pypi publish-failure %d/%d, criteria as the good walk's (execution: %s)" % (
    c["score"], c["max"], e["why"]))
PY
[ "$failed" = 0 ] && echo "PASS: drill-score-max: $(cat "$tmp/why" "$tmp/why2" "$tmp/why3" "$tmp/why4")"
exit "$failed"
