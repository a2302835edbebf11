#!/bin/sh
# The report's timeline says in words what a command changed in the
# drill's world ("the drill's world changed after execute.dist-tag: the
# registry"), never the internal event name (before: "event drill.world").
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-outage \
	<"$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk" \
	>"$tmp/s.out" 2>&1 || fail "the walk did not complete"
"$bin" report "$tmp/s" >"$tmp/r.md" 2>&1 || fail "rewind report failed"
grep -q 'drill\.world' "$tmp/r.md" &&
	fail "the timeline shows the event name: $(grep -m1 'drill\.world' "$tmp/r.md")"
grep -q "| the drill's world changed after execute.dist-tag: the registry |" \
	"$tmp/r.md" || fail "the dist-tag's change of the registry is not told"
grep -q "| the drill's world changed after execute.test-install: the installed programs |" \
	"$tmp/r.md" || fail "the test install's change is not told"
[ "$failed" = 0 ] && echo "PASS: report-world-words"
exit "$failed"
