#!/bin/sh
# Every scored answer of every shipped scenario follows from something the
# drill shows the trainee (its briefing, an alert, a log line, an output,
# the world's registry, tags or targets), never only from the game
# master's notes: the scenario names that passage under evidence, and
# this test finds it there by itself (not through the lint). The lint rule
# scenario-answer-evidence refuses an answer with no evidence and one
# whose evidence only the game master's notes hold; a wrong answer's
# reason on the card quotes the passage.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

python3 - "$src/playbooks" >"$tmp/audit" 2>&1 <<'PY' || fail "$(cat "$tmp/audit")"
import glob, json, os, sys
def strings(o, out):
    if isinstance(o, dict):
        for k, v in o.items():
            out.append(k); strings(v, out)
    elif isinstance(o, list):
        for v in o: strings(v, out)
    elif isinstance(o, str):
        out.append(o)
def lines(v):
    return v if isinstance(v, list) else [v] if isinstance(v, str) else []
bad, n = [], 0
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    if p.endswith("schema.json"):
        continue
    pb = json.load(open(p))
    for sc in pb.get("scenarios", []):
        shown = [sc.get("briefing", "")]
        for i in sc.get("inject", []):
            shown += [i.get("alert", "")] + lines(i.get("lines"))
            strings(i.get("state"), shown)
        for o in (sc.get("outcomes") or {}).values():
            shown += lines(o.get("output"))
        strings((pb.get("drill") or {}).get("state"), shown)
        strings(sc.get("state"), shown)
        for ph in pb["phases"]:
            for st in ph["steps"]:
                shown += lines((st.get("drill") or {}).get("output"))
        text = "\n".join(shown).lower()
        ev = sc.get("evidence") or {}
        for name, value in (sc.get("answers") or {}).items():
            n += 1
            e = ev.get(name)
            if not e:
                bad.append("%s %s: %s=%s has no evidence" % (pb["id"], sc["id"], name, value))
            elif e.lower() not in text:
                bad.append("%s %s: %s's evidence is not shown: %s" % (pb["id"], sc["id"], name, e))
            elif e.lower() in (sc.get("description") or "").lower() and e.lower() not in text:
                bad.append("%s %s: %s only in the notes" % (pb["id"], sc["id"], name))
if bad or n < 60:
    print("%d answers; %s" % (n, "; ".join(bad)))
    sys.exit(1)
print("%d scored answers, each with evidence the drill shows" % n)
PY

# The lint: an answer without evidence, and evidence only the game
# master's notes hold.
python3 - "$src/playbooks/npm-dist-tag-rollback.json" "$tmp" <<'PY' || fail "could not write the lint fixtures"
import json, sys
pb = json.load(open(sys.argv[1]))
sc = [s for s in pb["scenarios"] if s["id"] == "critical-outage"][0]
del sc["evidence"]["IMPACT"]
json.dump(pb, open(sys.argv[2] + "/none.json", "w"))
sc["evidence"]["IMPACT"] = "most users who upgraded lose memories"
sc["description"] = "Most users who upgraded lose memories written since."
json.dump(pb, open(sys.argv[2] + "/notes.json", "w"))
PY
"$bin" check "$tmp/none.json" >"$tmp/none.out" 2>&1 && fail "check passes an answer with no evidence"
grep -q 'scenario-answer-evidence\|scores IMPACT=over-50 but names no evidence' "$tmp/none.out" ||
	fail "check does not name the answer without evidence: $(cat "$tmp/none.out")"
"$bin" check "$tmp/notes.json" >"$tmp/notes.out" 2>&1 && fail "check passes evidence only the notes hold"
grep -q 'evidence for IMPACT.*nowhere the drill shows' "$tmp/notes.out" ||
	fail "check does not say the evidence is not shown: $(cat "$tmp/notes.out")"
for p in "$src"/playbooks/*.json; do
	case "$p" in */schema.json) continue ;; esac
	"$bin" check "$p" >"$tmp/ok.out" 2>&1 || fail "$(basename "$p"): $(grep -i evidence "$tmp/ok.out" | head -3)"
done

# A wrong answer's reason quotes what the drill showed.
walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed 's/^set IMPACT .*/set IMPACT 10-50/' "$walk" >"$tmp/wrong"
grep -q '^set IMPACT 10-50' "$tmp/wrong" || fail "the walk sets no IMPACT"
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s" --scenario=critical-outage \
	<"$tmp/wrong" >"$tmp/out" 2>&1 || fail "the walk did not complete"
python3 - "$tmp/s/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
a = [x for x in c["criteria"] if x["name"] == "answers"][0]
assert "IMPACT given as 10-50, the scenario's is over-50 (the briefing showed: \"1.2.3 on about 70% of this week's installs\")" in a["why"], a["why"]
PY
# A passage from a command's columns (gh release list) is quoted with
# spaces, not raw tabs (the card showed v1.2.2^I^I...).
sed 's/^set RESTORE_VERSION .*/set RESTORE_VERSION 1.2.1/; s/^confirm \([^ ]*\) 1\.2\.2$/confirm \1 1.2.1/' "$walk" >"$tmp/wrong2"
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/s2" --scenario=critical-outage \
	<"$tmp/wrong2" >"$tmp/out2" 2>&1
python3 - "$tmp/s2/scorecard.json" >"$tmp/why2" 2>&1 <<'PY' || fail "$(cat "$tmp/why2")"
import json, sys
c = json.load(open(sys.argv[1]))
a = [x for x in c["criteria"] if x["name"] == "answers"][0]
assert "(assess.releases showed: \"v1.2.2" in a["why"], a["why"]
assert "\t" not in a["why"], a["why"]
assert "\t" not in a["why"], a["why"]
PY
[ "$failed" = 0 ] && echo "PASS: drill-answer-evidence: $(cat "$tmp/audit")"
exit "$failed"
