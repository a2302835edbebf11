#!/bin/sh
# The report's timeline gives the phase the session was in when each event
# happened: a sign-off refused while the session is in communicate is
# listed under communicate, not under the approve phase of the step it
# names.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

sed '/^send communicate.team/,$d' "$src/playbooks/example.walk" |
	"$bin" drill "$src/playbooks/example.json" --batch --operator sam \
		--session-dir "$tmp/s" >"$tmp/walk.out" 2>&1
grep -q '"to":"communicate"' "$tmp/s/journal.jsonl" || fail "the walk did not reach communicate"
"$bin" approve "$tmp/s" approve.signoff --role "Wrong Role" --as erin --yes >/dev/null 2>&1 &&
	fail "a sign-off for a role the step does not have was taken"
"$bin" report "$tmp/s" --format json >"$tmp/report.json" 2>"$tmp/report.err" ||
	fail "rewind report failed: $(cat "$tmp/report.err")"
python3 - "$tmp/report.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
t = json.load(open(sys.argv[1]))["timeline"]
refused = [e for e in t if e["type"] == "action.refused"]
assert refused and refused[-1]["phase"] == "communicate", refused
runs = [e["phase"] for e in t if e["type"] == "step.finished"]
assert runs[0] == "assess" and "execute" in runs, runs
PY
"$bin" report "$tmp/s" --format md >"$tmp/report.md" 2>&1
grep -E '^\| [^|]+ \| erin \| communicate \| refused' "$tmp/report.md" >/dev/null ||
	fail "report.md does not list erin's refusal under communicate: $(grep erin "$tmp/report.md")"
[ "$failed" = 0 ] && echo "PASS: report-phase-column"
exit "$failed"
