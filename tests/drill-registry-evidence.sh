#!/bin/sh
# A check that reads its evidence from the drill's registry
# (drill.registry) is judged by the world when it is ticked.
# pypi-release-recovery's verify.fixed-release ("the fix's release
# finished") needs an unpinned install that no longer picks VERSION; in
# scenario critical-bug-published the index's cache still serves the
# yanked 1.4.0 once, so ticking it before an install has confirmed the
# yank is a false all-clear: the card's all-clears criterion costs it,
# quoting what the registry said, and the report says so. Looking does not
# use up the cached answer: the next install still picks 1.4.0. The good
# walk (the check ticked after verify.yanked saw 1.4.1) keeps full marks.
# execute.yank (a yank done by hand) is judged on the world the tick left:
# held where the scenario's injection yanks 1.4.0, a false all-clear where
# nothing does (a copy of the playbook without that injection). A check
# naming both yanked and resolves_not is refused where it is written.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/pypi-release-recovery.json
good=$src/tests/fixtures/walks/pypi-release-recovery-scenario-critical-bug-published.walk
drill() { # PLAYBOOK WALK DIR
	"$bin" drill "$1" --batch --operator olga --no-real-in-clone \
		--session-dir "$3" --scenario=critical-bug-published \
		<"$2" >"$3.out" 2>&1 ||
		fail "$3: the walk did not complete: $(grep '"type":"error"' "$3.out" | head -2)"
}
# early: verify.fixed-release ticked first, before any install confirmed
grep -v '^tick verify.fixed-release' "$good" |
	sed 's/^predict verify.yanked/tick verify.fixed-release release run green\n&/' >"$tmp/early"
grep -q '^tick verify.fixed-release' "$tmp/early" || fail "the early walk does not tick it"
# unyanked: the scenario's injection that yanks 1.4.0 taken out
python3 - "$pb" "$tmp/unyanked.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
for sc in p["scenarios"]:
    sc["inject"] = [i for i in sc.get("inject", []) if i["id"] != "yank-lags"]
json.dump(p, open(sys.argv[2], "w"))
PY
drill "$pb" "$good" "$tmp/g"
drill "$pb" "$tmp/early" "$tmp/e"
drill "$tmp/unyanked.json" "$good" "$tmp/u"
python3 - "$tmp/g" "$tmp/e" "$tmp/u" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
g, e, u = (json.load(open(d + "/scorecard.json")) for d in sys.argv[1:4])
def crit(card, name):
    return next(x for x in card["criteria"] if x["name"] == name)
for card in (g, e, u):
    for st in ("execute.yank", "verify.fixed-release"):
        assert st not in [x["step"] for x in card["unverifiable"]], card["unverifiable"]
assert g["false_all_clears"] == [], g["false_all_clears"]
assert g["score"] == g["max"], (g["score"], g["max"])
fc = e["false_all_clears"]
assert [x["step"] for x in fc] == ["verify.fixed-release"], fc
assert fc[0]["registry"] == "bitfinex-maker-kit", fc
assert fc[0]["line"] == "an unpinned install of bitfinex-maker-kit still resolves 1.4.0", fc
a = crit(e, "all-clears")
assert a["points"] < a["max"], a
assert 'verify.fixed-release ticked while the registry said "an unpinned install of bitfinex-maker-kit still resolves 1.4.0"' in a["why"], a
# looking did not use up the cache: the first install still picked 1.4.0
runs = [json.loads(l) for l in open(sys.argv[2] + "/journal.jsonl")]
fin = [r for r in runs if r["type"] == "step.finished" and r["step"] == "verify.yanked"]
assert fin and "-1.4.0-" in fin[0]["payload"]["tail"], [f["payload"] for f in fin]
fu = u["false_all_clears"]
assert [x["step"] for x in fu] == ["execute.yank"], fu
assert fu[0]["line"] == "bitfinex-maker-kit 1.4.0 is not yanked", fu
print(a["why"] + "; " + crit(u, "all-clears")["why"])
PY
"$bin" report "$tmp/e" >"$tmp/report" 2>&1
grep -q 'verify.fixed-release ticked while the registry said' "$tmp/report" ||
	fail "the report does not quote what the registry said"

# both kinds of registry evidence on one check: refused where written
python3 - "$pb" "$tmp/both.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
for ph in p["phases"]:
    for st in ph["steps"]:
        if st["id"] == "execute.yank":
            st["drill"]["registry"]["resolves_not"] = "${VERSION}"
json.dump(p, open(sys.argv[2], "w"))
PY
"$bin" check "$tmp/both.json" >"$tmp/both" 2>&1 && fail "a check with yanked and resolves_not was accepted"
grep -q 'execute.yank.*registry.*exactly one of yanked' "$tmp/both" ||
	grep -q 'registry.*exactly one of yanked' "$tmp/both" ||
	fail "the error does not say what is wrong: $(cat "$tmp/both")"

[ "$failed" = 0 ] && echo "PASS: drill-registry-evidence: $(cat "$tmp/why")"
exit "$failed"
