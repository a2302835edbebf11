#!/bin/sh
# A drill's scenario id names its answer (critical-bug-published): while
# the drill is open, the trainee's views (sessions --format json, replay
# --print, report) say it is hidden; once it completes, reviewers see it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb="$src/playbooks/example.json"
echo quit | "$bin" drill "$pb" --batch --scenario 1 --operator sam \
	--session-dir "$tmp/open" >/dev/null 2>&1
"$bin" sessions "$tmp/open" --format json >"$tmp/json" || fail "sessions failed"
grep -q '"scenario":.*"hidden until the drill ends"' "$tmp/json" ||
	fail "sessions --format json does not say the scenario is hidden"
"$bin" replay --print "$tmp/open" >"$tmp/print"
grep -q 'scenario=hidden until the drill ends' "$tmp/print" ||
	fail "replay --print does not say the scenario is hidden"
"$bin" report "$tmp/open" >"$tmp/report" 2>&1
"$bin" report "$tmp/open" --format json >"$tmp/report.json" 2>&1
for f in json print report report.json; do
	grep -q 'p0-outage' "$tmp/$f" && fail "$f names the open drill's scenario"
	grep -q 'rolls back to 1.3.2' "$tmp/$f" && fail "$f gives the game master's notes"
done

"$bin" drill "$pb" --batch --scenario 1 --operator sam \
	--session-dir "$tmp/done" <"$src/playbooks/example.walk" >/dev/null 2>&1 ||
	fail "the example walk did not complete"
"$bin" sessions "$tmp/done" --format json | grep -q '"scenario":.*"p0-outage"' ||
	fail "sessions does not name a completed drill's scenario"
"$bin" replay --print "$tmp/done" | grep -q 'scenario=p0-outage' ||
	fail "replay --print does not name a completed drill's scenario"
"$bin" report "$tmp/done" | grep -q 'Scenario \*\*p0-outage\*\*' ||
	fail "the report does not name a completed drill's scenario"
[ "$failed" = 0 ] && echo "drill-scenario-hidden: hidden while open, shown once completed"
exit $failed
