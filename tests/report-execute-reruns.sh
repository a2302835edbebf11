#!/bin/sh
# The report's time to execute counts the execute phase's steps run again
# after the phase was left (reopened because a variable they used
# changed) and says so: "(with Ns of re-runs after the phase: dist-tag,
# dist-tag-check)"; report.json has them as execute_reruns(_s).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
printf '%s\n' next next next 'run dist-tag' 'run dist-tag-check' next \
	'tick users-ok' next 'set RESTORE_VERSION 1.2.1' 'run dist-tag' \
	'run dist-tag-check' 'tick users-ok' 'tick notice' next |
	"$bin" run "$src/tests/fixtures/playbooks/redo.json" --batch --operator sam \
	--session-dir "$S" >"$tmp/out" 2>"$tmp/err"
grep -q '"type":"session.completed"' "$S/journal.jsonl" ||
	{ fail "the walk did not complete: $(tail -3 "$tmp/err")"; exit $failed; }
[ "$(grep -c '"type":"step.started".*"step":"dist-tag"' "$S/journal.jsonl")" = 2 ] ||
	fail "dist-tag did not run twice"
"$bin" report "$S" >"$tmp/r.md" 2>&1 || fail "rewind report failed"
grep -q '^| Time to execute | .* (with .* of re-runs after the phase: dist-tag, dist-tag-check) |$' "$tmp/r.md" ||
	fail "the time to execute does not count the re-runs: $(grep 'Time to execute' "$tmp/r.md")"
"$bin" report "$S" --format json >"$tmp/r.json" 2>&1
grep -q '"execute_reruns":[[:space:]]*"dist-tag, dist-tag-check"' "$tmp/r.json" ||
	fail "report.json names no re-runs"
python3 - "$tmp/r.json" "$S/journal.jsonl" <<'PY' || fail "time_to_execute_s leaves the re-runs out"
import json, sys
from datetime import datetime
m = json.load(open(sys.argv[1]))["metrics"]
ev = [json.loads(l) for l in open(sys.argv[2])]
t = lambda e: datetime.fromisoformat(e["wall"].replace("Z", "+00:00")).timestamp()
into = next(t(e) for e in ev if e["type"] == "phase.advanced" and e["payload"].get("to") == "execute")
left = next(t(e) for e in ev if e["type"] == "phase.advanced" and e["payload"].get("from") == "execute")
runs = 0.0
starts = {}
for e in ev:
    if e.get("step") in ("dist-tag", "dist-tag-check") and t(e) > left:
        if e["type"] == "step.started":
            starts[e["step"]] = t(e)
        elif e["type"] == "step.finished":
            runs += t(e) - starts.pop(e["step"])
want = (left - into) + runs
sys.exit(abs(m["time_to_execute_s"] - want) > 0.01 or m["execute_reruns_s"] <= 0)
PY
exit $failed
