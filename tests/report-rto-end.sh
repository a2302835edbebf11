#!/bin/sh
# The report's RTO ends where the recovery was proven, not where the
# session ended, and says which end it used: ROLLED_BACK_AT when the
# session has it, else the end of the verify phase.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

# A live session detects at 14:20 and records the rollback at 14:55; the
# session itself runs at 16:00. (A drill counts by its own clock: the
# times a trainee types belong to the story; see drill-rto-report.)
cat >"$tmp/live.json" <<'PB'
{ "id": "rto-live", "title": "live RTO", "targets_rto": { "default": "1h" },
  "variables": { "DETECTED_AT": { "prompt": "detected" },
                 "ROLLED_BACK_AT": { "prompt": "rolled back" } },
  "phases": [
  { "id": "assess", "steps": [ { "id": "assess.detected", "kind": "input",
    "title": "When was it detected", "variable": "DETECTED_AT" } ] },
  { "id": "decide", "steps": [] }, { "id": "approve", "steps": [] },
  { "id": "execute", "steps": [] },
  { "id": "verify", "steps": [ { "id": "verify.back", "kind": "input",
    "title": "When was it rolled back", "variable": "ROLLED_BACK_AT" } ] },
  { "id": "communicate", "steps": [] } ] }
PB
printf '%s\n' 'set DETECTED_AT "2026-11-21 14:20 UTC"' next next next next \
	'set ROLLED_BACK_AT "2026-11-21 14:55 UTC"' next next |
	REWIND_TEST_NOW=2026-11-21T16:00:00Z "$bin" run "$tmp/live.json" --batch \
	--operator olga --session-dir "$tmp/npm" >"$tmp/npm.out" 2>&1
grep -q '"phase":"complete"' "$tmp/npm.out" || { tail -3 "$tmp/npm.out"; fail "the live walk did not complete"; }
"$bin" report "$tmp/npm" --format json >"$tmp/npm.json" 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
"$bin" report "$tmp/npm" -o "$tmp/npm.md" >/dev/null 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
python3 - "$tmp/npm.json" >"$tmp/why" 2>&1 <<'PY' || fail "live: $(cat "$tmp/why")"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
assert m["rto_to"] == "the recovery time recorded (ROLLED_BACK_AT)", m.get("rto_to")
# typed to the minute by hand: the end of that minute (14:55:59)
assert m["rto_took_s"] == 35 * 60 + 59, m["rto_took_s"]
PY
grep -q 'counted from detection (DETECTED_AT) to the recovery time recorded (ROLLED_BACK_AT)' "$tmp/npm.md" ||
	fail "the report does not say where its RTO ended: $(grep '^RTO' "$tmp/npm.md")"

# Without ROLLED_BACK_AT: the end of the verify phase, before the
# communicate phase's steps.
REWIND_TEST_NOW=2026-11-21T16:00:00Z "$bin" drill "$src/playbooks/example.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/ex" \
	<"$src/playbooks/example.walk" >"$tmp/ex.out" 2>&1
grep -q '"phase":"complete"' "$tmp/ex.out" || { tail -3 "$tmp/ex.out"; fail "the example walk did not complete"; }
"$bin" report "$tmp/ex" --format json >"$tmp/ex.json" 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
python3 - "$tmp/ex.json" >"$tmp/why" 2>&1 <<'PY' || fail "example: $(cat "$tmp/why")"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
assert m["rto_to"] == "the end of the verify phase", m.get("rto_to")
assert m["rto_took_s"] <= m["session_s"], (m["rto_took_s"], m["session_s"])
PY
[ "$failed" = 0 ] && echo "PASS: report-rto-end: the RTO ends where recovery was proven, and says where"
exit "$failed"
