#!/bin/sh
# A session resumed by another operator journals what that console does
# under its own --operator (in normal form): its --var values and its
# actions, never under the operator who started the session; the report's
# Inputs name who set each value.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
echo 'note started by olga' | "$bin" run "$src/tests/fixtures/playbooks/trust.json" \
	--batch --operator olga --session-dir "$S" >"$tmp/one.out" 2>&1
echo 'note resumed by pat' | "$bin" run "$S" --batch --operator ' pat ' \
	--var VERSION=1.2.3 >"$tmp/two.out" 2>&1
J=$S/journal.jsonl
grep '"type":"var.set"' "$J" | grep '"name":"VERSION"' | grep -q '"actor":"pat"' ||
	fail "--var on the resume is not journalled under pat: $(grep '"name":"VERSION"' "$J")"
grep '"type":"note.added"' "$J" | grep 'resumed by pat' | grep -q '"actor":"pat"' ||
	fail "the resumed console's note is not journalled under pat"
grep '"type":"note.added"' "$J" | grep 'started by olga' | grep -q '"actor":"olga"' ||
	fail "the first console's note is not under olga"
"$bin" report "$S" >"$tmp/report.md" 2>&1
grep -q '^| VERSION | 1\.2\.3 | pat |' "$tmp/report.md" ||
	fail "the report's Inputs do not name pat: $(grep VERSION "$tmp/report.md")"
exit $failed
