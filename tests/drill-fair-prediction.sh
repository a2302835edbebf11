#!/bin/sh
# A prediction is asked only where the trainee can know the answer from
# what is shown. pypi critical-bug-published: the first yank check fails
# by design (the index's cache lags); before verify.yanked's prediction
# the trainee has been told: the yank-lags injection raises an alert
# about the cache, and the Targets tab's words (world_describe, see
# check_world) say the cache still serves 1.4.0 to the next install.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
"$bin" drill "$src/playbooks/pypi-release-recovery.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-bug-published \
	<"$src/tests/fixtures/walks/pypi-release-recovery-scenario-critical-bug-published.walk" \
	>"$tmp/out" 2>&1 || { echo "FAIL: drill-fair-prediction: the walk did not complete"; exit 1; }
python3 - "$tmp/s/journal.jsonl" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
told = asked = None
for i, e in enumerate(ev):
    if e["type"] == "drill.inject" and e["payload"].get("id") == "yank-lags":
        alert = e["payload"].get("alert") or ""
        if "cache" in alert:
            told = i
    if e["type"] == "step.predicted" and e.get("step") == "verify.yanked" and asked is None:
        asked = i
if asked is None:
    print("PASS: drill-fair-prediction: verify.yanked asks no prediction")
    sys.exit(0)
if told is None or told > asked:
    print("FAIL: drill-fair-prediction: verify.yanked's prediction is asked before "
          "the trainee is shown that the index's cache lags")
    sys.exit(1)
print("PASS: drill-fair-prediction: the cache's lag is alerted before the prediction")
PY
