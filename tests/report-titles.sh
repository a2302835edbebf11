#!/bin/sh
# The report never prints a raw template in a step title: a variable the
# session set shows its value, one it never set its ‹label› (as the
# console shows it), e.g. the npm walk's "Hotfix ‹hotfix version›
# published and tested" (n/a: the condition did not hold).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone --session-dir "$tmp/s" \
	<"$src/tests/fixtures/walks/npm-dist-tag-rollback-immediate-rollback.walk" \
	>"$tmp/out" 2>&1
grep -q '"phase":"complete"' "$tmp/out" || { tail -3 "$tmp/out"; fail "the npm walk did not complete"; }
"$bin" report "$tmp/s" -o "$tmp/r.md" >/dev/null 2>"$tmp/err" || fail "report: $(cat "$tmp/err")"
grep -n '\${[A-Z_]*}' "$tmp/r.md" >"$tmp/raw" && fail "raw templates in the report: $(head -3 "$tmp/raw")"
grep -qF 'Hotfix ‹hotfix version› published and tested' "$tmp/r.md" ||
	fail "an unset variable is not shown as its label: $(grep -F 'published and tested' "$tmp/r.md" | head -2)"
grep -qF '1.2.3 -> 1.2.2 on latest' "$tmp/r.md" ||
	fail "a set variable is not shown with its value: $(grep -F 'form filled in' "$tmp/r.md" | head -2)"
[ "$failed" = 0 ] && echo "PASS: report-titles: step titles with values or labels, never \${NAME}"
exit "$failed"
