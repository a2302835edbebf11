#!/bin/sh
# rewind drill --inject SESSION ID with an id the scenario lacks names the
# injection id asked for, never the scenario's id (which a trainee running
# it against their own session must not learn). Before: "inject no-such:
# scenario p0-outage has no injection of that name".
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

printf 'run assess.current\n' |
	"$bin" drill "$src/playbooks/web-service-rollback.json" --batch \
		--operator olga --no-real-in-clone --session-dir "$tmp/s" \
		--scenario=p0-outage >"$tmp/s.out" 2>&1
"$bin" drill --inject "$tmp/s" no-such >"$tmp/out" 2>&1 &&
	fail "an unknown injection was accepted"
grep -q 'no injection no-such in this drill' "$tmp/out" ||
	fail "the refusal does not name the injection: $(cat "$tmp/out")"
grep -q 'p0-outage' "$tmp/out" &&
	fail "the refusal names the scenario: $(cat "$tmp/out")"
[ "$failed" = 0 ] && echo "PASS: drill-inject-unknown"
exit "$failed"
