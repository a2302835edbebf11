#!/bin/sh
# The report's session length from detection (labelled so: the RTO line
# is the one recovery time) counts from detection
# (DETECTED_AT) when a live session has it, not from the session start,
# and its line says which start it used; a drill counts by its own clock.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/live.json" <<'PB'
{ "id": "total-live", "title": "live total", "targets_rto": { "default": "3h" },
  "variables": { "DETECTED_AT": { "prompt": "detected" } },
  "phases": [
  { "id": "assess", "steps": [ { "id": "assess.detected", "kind": "input",
    "title": "When was it detected", "variable": "DETECTED_AT" } ] },
  { "id": "decide", "steps": [] }, { "id": "approve", "steps": [] },
  { "id": "execute", "steps": [] }, { "id": "verify", "steps": [] },
  { "id": "communicate", "steps": [] } ] }
PB
walk='set DETECTED_AT "2026-11-21 14:20 UTC"
next
next
next
next
next
next'
printf '%s\n' "$walk" | REWIND_TEST_NOW=2026-11-21T16:00:00Z "$bin" run "$tmp/live.json" \
	--batch --operator olga --session-dir "$tmp/live" >"$tmp/live.out" 2>&1
grep -q '"phase":"complete"' "$tmp/live.out" || { tail -3 "$tmp/live.out"; fail "the live walk did not complete"; }
"$bin" report "$tmp/live" --format json >"$tmp/live.json.out" 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
"$bin" report "$tmp/live" -o "$tmp/live.md" >/dev/null 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
python3 - "$tmp/live.json.out" >"$tmp/why" 2>&1 <<'PY' || fail "live: $(cat "$tmp/why")"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
assert m["total_s"] >= 100 * 60, ("total from detection", m["total_s"])
assert m.get("total_from") == "detection (DETECTED_AT)", m.get("total_from")
PY
grep -q '^| Session length from detection (DETECTED_AT) (to its end; not the recovery time) | 1h 4[0-9]m' "$tmp/live.md" ||
	fail "the report's session-length line does not say it counts from detection: $(grep '^| Session length from' "$tmp/live.md")"
# Only one line reads as the recovery time: the RTO line.
grep -i 'recovery time, from\|^| Total' "$tmp/live.md" &&
	fail "another figure is still labelled as the recovery time"

# A drill: the times a trainee types belong to the story; its own clock.
printf '%s\n' "$walk" | REWIND_TEST_NOW=2026-11-21T16:00:00Z "$bin" drill "$tmp/live.json" \
	--batch --operator olga --session-dir "$tmp/drill" >"$tmp/drill.out" 2>&1
"$bin" report "$tmp/drill" --format json >"$tmp/drill.json.out" 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
python3 - "$tmp/drill.json.out" >"$tmp/why" 2>&1 <<'PY' || fail "drill: $(cat "$tmp/why")"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
assert m["total_s"] < 60 * 60, ("a drill's total by its own clock", m["total_s"])
assert m.get("total_from") == "the session start", m.get("total_from")
PY
[ "$failed" = 0 ] && echo "PASS: report-total-from"
exit "$failed"
