#!/bin/sh
# Batch mode shows the trainee a drill's injection as the console does:
# its alert and the log lines it adds, never its id, its moment, the
# game master's description or its change to the world (the answer). The
# journal keeps all of it. pypi-release-recovery's critical-bug-published
# good walk, whose two injections fire after steps.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

"$bin" drill "$src/playbooks/pypi-release-recovery.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-bug-published \
	<"$src/tests/fixtures/walks/pypi-release-recovery-scenario-critical-bug-published.walk" \
	>"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; fail "the walk did not complete"; }
python3 - "$tmp/out" "$tmp/s/journal.jsonl" <<'PY' || failed=1
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
jnl = [json.loads(l) for l in open(sys.argv[2])]
shown = [e for e in out if e.get("type") == "drill.inject"]
kept = [e for e in jnl if e.get("type") == "drill.inject"]
bad = 0
def fail(msg):
    global bad
    print("FAIL: drill-inject-batch: " + msg)
    bad = 1
if len(shown) != len(kept) or not kept:
    fail("%d injections journalled, %d shown" % (len(kept), len(shown)))
for s, k in zip(shown, kept):
    p = s.get("payload", {})
    extra = set(p) - {"alert", "log", "lines"}
    if extra:
        fail("the trainee is shown %s of %s" % (sorted(extra), k["payload"]["id"]))
    if k["payload"]["id"] in json.dumps(s):
        fail("the trainee is shown the id %s" % k["payload"]["id"])
    if "actor" in s:
        fail("the trainee is shown who fired %s" % k["payload"]["id"])
    for key in ("alert", "lines"):
        if key in k["payload"] and p.get(key) != k["payload"][key]:
            fail("the %s of %s is not shown" % (key, k["payload"]["id"]))
    if "state" not in k["payload"] and "id" not in k["payload"]:
        fail("the journal lost the injection's answer")
sys.exit(bad)
PY
[ "$failed" = 0 ] && echo "PASS: drill-inject-batch"
exit $failed
