#!/usr/bin/env python3
"""A decision's options describe what each option does, never the
scenario's symptoms: no option description of a shipped playbook shares a
run of four words with a scenario's title or briefing (what the trainee
is told), and none maps the assessment to it (severity, impact and the
like are the trainee's to judge from what the drill shows)."""
import json, re, sys, glob, os

src = os.environ.get("REWIND_SRCDIR", ".")
bad = []

def words(t):
    return re.findall(r"[a-z0-9]+", t.lower())

def runs(t, n=4):
    w = words(t)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}

def steps(o):
    if isinstance(o, dict):
        if "kind" in o and "id" in o:
            yield o
        for v in o.values():
            yield from steps(v)
    elif isinstance(o, list):
        for v in o:
            yield from steps(v)

for path in sorted(glob.glob(src + "/playbooks/*.json")):
    if path.endswith("schema.json"):
        continue
    pb = json.load(open(path))
    told = set()
    for sc in pb.get("scenarios", []):
        for k in ("title", "briefing"):
            told |= runs(sc.get(k) or "")
    for st in steps(pb["phases"]):
        for o in st.get("options", []):
            d = o.get("description") or ""
            shared = runs(d) & told
            if shared:
                bad.append("%s: %s option %s restates the scenario: %s" % (
                    os.path.basename(path), st["id"], o["id"], sorted(shared)[0]))
            if re.search(r"\b(severity|users affected|of users)\b", d, re.I):
                bad.append("%s: %s option %s maps the assessment to the answer: %s" % (
                    os.path.basename(path), st["id"], o["id"], d))
for b in bad:
    print("FAIL: drill-option-words: " + b)
if not bad:
    print("PASS: drill-option-words")
sys.exit(1 if bad else 0)
