#!/bin/sh
# An optional step that ran and failed, then was left when its phase ended,
# is reported as failed, not as "left open" (npm critical-outage: gh run
# watch fails; before, the checklist said "skipped: optional step left
# open").
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-outage \
	<"$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk" \
	>"$tmp/s.out" 2>&1 || fail "the walk did not complete"
"$bin" report "$tmp/s" >"$tmp/r.md" 2>&1 || fail "rewind report failed"
line=$(grep '^- \[-\] .*(execute.workflow-watch)' "$tmp/r.md")
case $line in
*"skipped: optional step failed"*) ;;
*) fail "the failed watch is not reported as failed: $line" ;;
esac
grep -q 'workflow-watch.*left open' "$tmp/r.md" &&
	fail "the failed watch is reported as left open"
[ "$failed" = 0 ] && echo "PASS: report-failed-optional"
exit "$failed"
