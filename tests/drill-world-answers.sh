#!/bin/sh
# A drill's verifications come from the world and the scenario's answers
# are judged, never filled in. npm critical-outage walked well but for the
# restore version (1.2.1 instead of the scenario's 1.2.2): the installed
# CLI reports 1.2.1 (verify.version, verify.doctor: the world's programs,
# moved by npm install -g, not a fixed 1.2.2), and the score card's
# answers criterion costs points and says RESTORE_VERSION in words. The
# scenario fills in none of the trainee's assessment inputs (SEVERITY,
# IMPACT...): the journal has no value set by the scenario, and a
# playbook whose scenario does is refused by rewind check --strict.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed 's/^set RESTORE_VERSION 1\.2\.2/set RESTORE_VERSION 1.2.1/; s/^confirm execute\.dist-tag 1\.2\.2/confirm execute.dist-tag 1.2.1/' \
	"$walk" >"$tmp/wrong"
grep -q '^set RESTORE_VERSION 1.2.1' "$tmp/wrong" || fail "the walk was not changed"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/s" --scenario=critical-outage <"$tmp/wrong" \
	>"$tmp/out" 2>&1 ||
	fail "the walk did not complete: $(grep '"type":"error"' "$tmp/out" | head -2)"
python3 - "$tmp/s" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
d = sys.argv[1]
ev = [json.loads(l) for l in open(d + "/journal.jsonl")]
tail = {}
for e in ev:
    if e["type"] == "step.finished":
        tail[e["step"]] = e["payload"].get("tail", "")
    if e["type"] == "var.set":
        assert e["actor"] != "scenario", ("the scenario filled in", e["payload"])
assert tail["verify.version"].strip() == "1.2.1", tail["verify.version"]
assert tail["verify.doctor"].splitlines()[0] == "mycelicmemory 1.2.1", tail["verify.doctor"]
assert tail["execute.test-doctor"].splitlines()[0] == "mycelicmemory 1.2.1", tail["execute.test-doctor"]
c = json.load(open(d + "/scorecard.json"))
by = {x["name"]: x for x in c["criteria"]}
a = by["answers"]
assert a["applies"] and a["points"] < a["max"], a
assert "RESTORE_VERSION given as 1.2.1, the scenario's is 1.2.2" in a["why"], a["why"]
assert c["score"] < c["max"], (c["score"], c["max"])
print("answers %d/%d: %s" % (a["points"], a["max"], a["why"]))
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q "RESTORE_VERSION given as 1.2.1" "$tmp/report" ||
	fail "the report does not say the restore version was wrong"

# A scenario that fills in an input step's variable is refused.
python3 - "$pb" "$tmp/prefill.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
sc = p["scenarios"][0]
sc["vars"] = {"SEVERITY": sc["answers"]["SEVERITY"]}
json.dump(p, open(sys.argv[2], "w"))
PY
if "$bin" check --strict "$tmp/prefill.json" >"$tmp/check" 2>&1; then
	fail "check --strict accepts a scenario that fills in SEVERITY"
fi
grep -q 'fills in SEVERITY, which the trainee gives at step "assess.severity"' "$tmp/check" ||
	fail "check does not say what is filled in: $(cat "$tmp/check")"
# The game master sees the answers, the notes once (no "why" repeating
# them); the trainee's listing never shows the answers.
"$bin" drill --list-scenarios --game-master "$pb" >"$tmp/gm" 2>&1
grep -A4 '^critical-outage' "$tmp/gm" >"$tmp/gm1"
grep -q '^  answers: .*RESTORE_VERSION=1.2.2' "$tmp/gm1" ||
	fail "the game master's listing lacks the answers: $(cat "$tmp/gm1")"
grep -q '^  why: ' "$tmp/gm1" &&
	fail "the game master's listing repeats the notes as why: $(cat "$tmp/gm1")"
"$bin" drill --list-scenarios "$pb" >"$tmp/trainee" 2>&1
cut -f2- "$tmp/trainee" | grep -q 'RESTORE_VERSION\|1\.2\.2\|answers' &&
	fail "the trainee's listing gives answers away: $(cat "$tmp/trainee")"
[ "$failed" = 0 ] && echo "PASS: drill-world-answers: $(cat "$tmp/why")"
exit "$failed"
