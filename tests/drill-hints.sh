#!/bin/sh
# No hint of a shipped drill gives a scored answer away: no example in a
# prompt, title or note ("e.g. 1.2.2") is any scenario's answer, no
# default pre-fills one, no option's text says it is recommended, and no
# note names the version to restore; checked here by reading the
# playbooks (not through the lint), and the lint rule
# scenario-hint-answers refuses each kind in its fixture.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

python3 - "$src/playbooks" >"$tmp/audit" 2>&1 <<'PY' || fail "$(cat "$tmp/audit")"
import glob, json, os, re, sys
bad = []
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    if p.endswith("schema.json"):
        continue
    pb = json.load(open(p))
    if not pb.get("scenarios"):
        continue
    answers = {}
    for sc in pb["scenarios"]:
        for k, v in (sc.get("answers") or {}).items():
            answers.setdefault(v, sc["id"])
    texts = []
    for name, v in (pb.get("variables") or {}).items():
        texts.append(("variables.%s.prompt" % name, v.get("prompt", "")))
        if v.get("default") in answers and any(
                (sc.get("answers") or {}).get(name) == v["default"] for sc in pb["scenarios"]):
            bad.append("%s: %s's default %s is a scored answer" % (pb["id"], name, v["default"]))
    for ph in pb["phases"]:
        for st in ph["steps"]:
            texts.append((st["id"], st.get("title", "")))
            texts.append((st["id"] + " note", st.get("note", "")))
            for o in st.get("options", []):
                if re.search("recommended", o.get("label", "") + " " + o.get("description", ""), re.I):
                    bad.append("%s: option %s of %s says recommended" % (pb["id"], o["id"], st["id"]))
    for where, t in texts:
        for m in re.finditer(r"(?:e\.g\.|for example|such as) ([^ ),;\"']+)", t or ""):
            w = m.group(1).rstrip(".:")
            if w in answers:
                bad.append("%s %s: example %s is scenario %s's answer" % (pb["id"], where, w, answers[w]))
    restore = [s for ph in pb["phases"] for s in ph["steps"] if s.get("variable") in ("RESTORE_TAG", "RESTORE_VERSION")]
    for st in restore:
        for sc in pb["scenarios"]:
            v = (sc.get("answers") or {}).get(st["variable"])
            if v and v in (st.get("note") or ""):
                bad.append("%s: the note of %s names %s" % (pb["id"], st["id"], v))
if bad:
    print("; ".join(bad)); sys.exit(1)
PY
"$bin" check "$src/tests/fixtures/playbooks/lint/scenario-hint-answers.json" >"$tmp/lint" 2>&1 &&
	fail "check passes the hints fixture"
for want in 'the example 1.2.2 is scenario outage' 'the default static pre-fills' 'says it is recommended'; do
	grep -q "$want" "$tmp/lint" || fail "check does not say \"$want\": $(cat "$tmp/lint")"
done
[ "$failed" = 0 ] && echo "PASS: drill-hints"
exit "$failed"
