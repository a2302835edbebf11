#!/bin/sh
# The report of a drill says what the drill was: the scenario (its title,
# briefing and the game master's notes) and each injection with when it
# fired (after which step, or by the game master), the alert it raised
# and what it changed; one that never fired says so.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

"$bin" drill "$src/playbooks/web-service-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=p0-outage \
	<"$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk" \
	>"$tmp/out" 2>&1 || fail "the walk did not complete"
"$bin" report "$tmp/s" >"$tmp/report" 2>&1 || fail "rewind report failed"
sed -n '/^## Drill$/,/^## Drill score card$/p' "$tmp/report" >"$tmp/drill"
grep -qxF 'Scenario **p0-outage**: P0: the latest deployment takes the API down' "$tmp/drill" ||
	fail "no scenario line in the drill section"
grep -q "^Game master's notes: Every request fails after v1.1.0 went out" "$tmp/drill" ||
	fail "no game master's notes"
grep -q '^| errors-climb | [0-9:.]*Z after assess.current | GM: support reports every API call failing since v1.1.0 went out | 3 log lines arrive in backend |' "$tmp/drill" ||
	fail "the injection errors-climb is not listed with when, its alert and what it changed"
grep -q '^| lead-asks | never | GM: the engineering lead asks when the rollback will be done |' "$tmp/drill" ||
	fail "the injection that never fired is not listed as never"
[ "$failed" = 0 ] && echo "PASS: report-drill" || cat "$tmp/drill"
exit "$failed"
