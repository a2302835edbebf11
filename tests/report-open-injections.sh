#!/bin/sh
# The report of an open drill whose scenario has injections not yet fired
# says injections are hidden until the drill ends, never "The scenario
# has no injections" (what it said before), and names none of them.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

printf 'set ENVIRONMENT production\n' |
	"$bin" drill "$src/playbooks/web-service-rollback.json" --batch \
		--operator olga --no-real-in-clone --session-dir "$tmp/s" \
		--scenario=p0-outage >"$tmp/s.out" 2>&1
"$bin" report "$tmp/s" >"$tmp/r.md" 2>&1 || fail "rewind report failed"
grep -q 'Injections that have not fired are hidden until the drill ends' \
	"$tmp/r.md" || fail "the open drill's report does not say they are hidden"
grep -q 'has no injections' "$tmp/r.md" &&
	fail "the open drill's report says the scenario has no injections"
grep -q 'errors-climb\|lead-asks' "$tmp/r.md" &&
	fail "the open drill's report names an injection not fired"
[ "$failed" = 0 ] && echo "PASS: report-open-injections"
exit "$failed"
