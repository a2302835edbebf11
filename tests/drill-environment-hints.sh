#!/bin/sh
# A production run shows no staging hint: web-service's health endpoint
# input said "Staging rehearsal: http://staging:8000/..." (and its prompt
# "(staging: ...)") in every run. The hint of each environment is on the
# input step of that environment only.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
pb=$src/playbooks/web-service-rollback.json

for env in production staging; do
	printf '%s\n' "set ENVIRONMENT $env" >"$tmp/$env.walk"
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/$env" <"$tmp/$env.walk" >"$tmp/$env.out" 2>&1
	python3 - "$pb" "$tmp/$env.out" "$env" >"$tmp/why" 2>&1 <<'PY' || fail "$env: $(tail -1 "$tmp/why")"
import json, sys
pb = json.load(open(sys.argv[1]))
env = sys.argv[3]
other = "staging" if env == "production" else "production"
steps = {s["id"]: s for ph in pb["phases"] for s in ph["steps"]}
last = [json.loads(l) for l in open(sys.argv[2]) if l.startswith('{"type":"awaiting"')][-1]
open_ids = [s["id"] for s in last["steps"] + last.get("optional", [])]
shown = [i for i in open_ids if steps[i]["kind"] == "input" and
         steps[i].get("variable") == "HEALTH_URL"]
assert len(shown) == 1, ("the HEALTH_URL inputs open", shown)
st = steps[shown[0]]
words = (st.get("note", "") + st["title"] + pb["variables"]["HEALTH_URL"]["prompt"]).lower()
assert (other + ":") not in words and (other + " ") not in words \
    and "//" + other not in words, (env, "shows the hint of", other, st)
PY
done
[ "$failed" = 0 ] && echo "PASS: drill-environment-hints"
exit "$failed"
