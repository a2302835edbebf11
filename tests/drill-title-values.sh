#!/bin/sh
# The PyPI playbook's titles name the session's values once set, as the
# README says: "1.4.0 yanked on the package index", never the bare word
# "VERSION yanked on the package index" (what the report said before), and
# no "${" is left in the report.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

"$bin" drill "$src/playbooks/pypi-release-recovery.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-bug-published \
	<"$src/tests/fixtures/walks/pypi-release-recovery-scenario-critical-bug-published.walk" \
	>"$tmp/s.out" 2>&1 || fail "the walk did not complete"
"$bin" report "$tmp/s" >"$tmp/r.md" 2>&1 || fail "rewind report failed"
grep -q '^- \[x\] 1\.4\.0 yanked on the package index' "$tmp/r.md" ||
	fail "the yank's title does not show 1.4.0: $(grep 'yanked on the package' "$tmp/r.md")"
grep -q 'VERSION yanked on the package' "$tmp/r.md" &&
	fail "a title shows the bare word VERSION"
grep -q '\${' "$tmp/r.md" && fail "the report shows a template: $(grep -m1 '\${' "$tmp/r.md")"
[ "$failed" = 0 ] && echo "PASS: drill-title-values"
exit "$failed"
