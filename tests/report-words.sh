#!/bin/sh
# The post-mortem says what happened in words a reader needs: each command
# also as it ran, with its variables' values (a secret masked); every step
# marked n/a with its reason, whatever its kind; timeline rows in words,
# never event type names; and one line saying whether the RTO was met.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

# The console fixture with a 10-minute RTO target.
sed 's/^  "phases": \[/  "targets_rto": { "default": "10m" },\n  "phases": [/' \
	"$src/tests/fixtures/playbooks/console.json" >"$tmp/pb.json"
cat >"$tmp/walk" <<'WALK'
choose a.decide hotfix the fix is small
confirm a.move 1.2.2
run a.move
na a.tell nobody to tell in a test
na a.slow it waits for a file no one writes
run a.quick
na a.quick the failure is expected here
next
next
next
next
next
next
WALK
REWIND_TEST_NOW=2026-01-01T10:00:00Z "$bin" drill "$tmp/pb.json" --batch \
	--operator olga --session-dir "$tmp/s" --var PUBLISH_TOKEN=hunter2secret \
	<"$tmp/walk" >"$tmp/out" 2>"$tmp/err"
grep -q '"phase":"complete"' "$tmp/out" || { cat "$tmp/err"; tail -3 "$tmp/out"; echo "FAIL: report-words: the walk did not complete"; exit 1; }
"$bin" report "$tmp/s" -o "$tmp/r.md" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL: report-words: rewind report failed"; exit 1; }
md=$tmp/r.md

grep -qF '| a.move | echo "dist-tag add ${PACKAGE}@$RESTORE_VERSION latest" --token "$PUBLISH_TOKEN" | echo "dist-tag add @demo/widget@1.2.2 latest" --token "(secret)" |' "$md" ||
	fail "the command is not shown with its variables' values"
grep -qF hunter2secret "$md" && fail "the report holds the secret's value"
sed -n '/^## Not applicable/,/^## /p' "$md" >"$tmp/na"
grep -qF -- '- Tell the team (a.tell): nobody to tell in a test (by olga' "$tmp/na" ||
	fail "the message step marked n/a is not listed with its reason"
grep -qF -- '- List the tags, then wait (a.slow): it waits for a file no one writes' "$tmp/na" ||
	fail "the run step marked n/a is not listed with its reason"
sed -n '/^## Timeline/,/^## /p' "$md" | grep '^| [0-9]' | awk -F'|' '{ print $5 }' >"$tmp/what"
[ -s "$tmp/what" ] || fail "no timeline rows"
if grep -nE '(^| )(step|session|action|var|phase|approval|decision|message|journal|tags|registry|drill|reminder|note|log)\.[a-z_]+' "$tmp/what"; then
	fail "timeline rows name event types"
fi
grep -qF 'destructive run confirmed for a.move' "$md" || fail "the confirmation is not in words"
grep -qE '^RTO: \*\*met\*\*: recovered in [0-9.]+s \(counted from the session start to the end of the verify phase\), within the target of 10m 00s\.$' "$md" ||
	fail "no line says the RTO was met, counted from the session start"
# In a drill a detection time is the story's: the RTO counts by the
# drill's own clock, from the session start, as the score card does (a
# live session counts from DETECTED_AT: report-rto-end).
sed 's/^  "variables": {/  "variables": {\n    "DETECTED_AT": { "prompt": "when it was detected" },/' \
	"$tmp/pb.json" >"$tmp/pb2.json"
REWIND_TEST_NOW=2026-01-01T10:00:00Z "$bin" drill "$tmp/pb2.json" --batch \
	--operator olga --session-dir "$tmp/s2" --var PUBLISH_TOKEN=hunter2secret \
	--var 'DETECTED_AT=2026-01-01 09:00 UTC' <"$tmp/walk" >"$tmp/out2" 2>"$tmp/err2"
"$bin" report "$tmp/s2" -o "$tmp/r2.md" >/dev/null 2>"$tmp/err2" || { cat "$tmp/err2"; fail "rewind report of the detected session failed"; }
grep -qE '^RTO: \*\*met\*\*: recovered in [0-9.]+s \(counted from the session start to the end of the verify phase\), within the target of 10m 00s\.$' "$tmp/r2.md" ||
	fail "the drill's RTO does not count by its own clock: $(grep '^RTO' "$tmp/r2.md")"
# The Checklist's n/a count agrees with the Not applicable section (steps of
# any kind), in the Markdown and in report.json.
na_agrees() {	# report.md report.json what
	listed=$(sed -n '/^## Not applicable/,/^## [A-MO-Z]/p' "$1" | grep -c '^- ')
	counted=$(sed -n 's/^[0-9]* done, [0-9]* skipped, \([0-9]*\) n\/a, .*/\1/p' "$1")
	[ "$listed" = "$counted" ] ||
		fail "$3: the Checklist counts $counted n/a, Not applicable lists $listed"
	grep -qF "\"n/a\":	$listed," "$2" ||
		fail "$3: report.json's checklist n/a is not $listed"
}
"$bin" report "$tmp/s" --format json -o "$tmp/r.json" >/dev/null 2>&1
na_agrees "$md" "$tmp/r.json" "console walk"
# A path of the npm playbook leaves steps behind whose condition did not
# hold: nobody chose that, so the report says so instead of naming olga.
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch --operator olga \
	--session-dir "$tmp/n" --no-real-in-clone \
	<"$src/tests/fixtures/walks/npm-dist-tag-rollback-immediate-rollback.walk" >/dev/null 2>&1
"$bin" report "$tmp/n" -o "$tmp/n.md" >/dev/null 2>&1 || fail "rewind report of the npm walk failed"
"$bin" report "$tmp/n" --format json -o "$tmp/n.json" >/dev/null 2>&1
na_agrees "$tmp/n.md" "$tmp/n.json" "npm walk"
grep -qF -- '- Point the channel back at the restore version (execute.dist-tag): condition did not hold (' "$tmp/n.md" ||
	fail "a step whose condition did not hold is not listed as such"
if grep -F '(execute.dist-tag)' "$tmp/n.md" | grep -qF '(by olga'; then
	fail "a step whose condition did not hold is attributed to the operator"
fi
[ "$failed" = 0 ] && echo "PASS: report-words: resolved commands, n/a reasons, timeline in words, RTO line"
exit "$failed"
