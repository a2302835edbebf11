#!/bin/sh
# report.json's RTO verdict: "rto_status" says met, missed, not proven or
# not decided (the header's word too), and "rto_met" is true or false only
# when met or missed: a session within its target whose required
# verification was marked n/a is "not proven", rto_met null (not false
# beside a rto_took_s under rto_s).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{ "id": "rto-status", "title": "RTO status", "targets_rto": { "default": "1h" },
  "variables": { "DETECTED_AT": { "prompt": "detected" } },
  "phases": [
  { "id": "assess", "steps": [] }, { "id": "decide", "steps": [] },
  { "id": "approve", "steps": [] },
  { "id": "execute", "steps": [ { "id": "e.roll", "kind": "run",
    "title": "Roll back", "run": "true" } ] },
  { "id": "verify", "steps": [ { "id": "v.health", "kind": "run",
    "title": "Health", "run": "true" } ] },
  { "id": "communicate", "steps": [] } ] }
JSON
# status DIR DETECTED VERIFY-ACTION STATUS MET
status() {
	printf '%s\n' "set DETECTED_AT \"$2\"" next next next 'run e.roll' next \
		"$3" next next |
		REWIND_TEST_NOW=2026-11-21T16:00:00Z "$bin" run "$tmp/pb.json" --batch \
		--operator olga --session-dir "$tmp/$1" >"$tmp/$1.out" 2>&1
	grep -q '"phase":"complete"' "$tmp/$1.out" || { fail "$1: did not complete: $(tail -2 "$tmp/$1.out")"; return; }
	"$bin" report "$tmp/$1" --format json >"$tmp/$1.json" 2>"$tmp/err" || { fail "$1: report: $(cat "$tmp/err")"; return; }
	python3 - "$tmp/$1.json" "$4" "$5" >"$tmp/why" 2>&1 <<'PY' || fail "$1: $(cat "$tmp/why")"
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
want = {"true": True, "false": False, "null": None}[sys.argv[3]]
assert m.get("rto_status") == sys.argv[2], ("rto_status", m.get("rto_status"), m)
assert m["rto_met"] is want, ("rto_met", m["rto_met"], m)
PY
}
status unproven "2026-11-21 15:23 UTC" 'na v.health no time to check' "not proven" null
grep -q 'RTO: \*\*not proven\*\*' "$tmp/unproven/report.md" ||
	fail "report.md: $(grep '^RTO' "$tmp/unproven/report.md")"
status met "2026-11-21 15:23 UTC" 'run v.health' met true
status missed "2026-11-21 14:23 UTC" 'run v.health' missed false
[ "$failed" = 0 ] && echo "PASS: report-rto-status"
exit "$failed"
