#!/bin/sh
# rewind sessions lists a session its console quit cleanly as "quit", in
# the phase it was quit in, even after rewind approve (from another
# terminal) journalled a sign-off and a refused one into it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
printf 'next\nnext\nquit\n' |
	"$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$S" >"$tmp/walk.out" 2>&1
grep -q '"type":"session.quit"' "$S/journal.jsonl" ||
	{ cat "$tmp/walk.out"; fail "the walk did not quit"; exit 1; }
phase=$(grep '"type":"session.quit"' "$S/journal.jsonl" | sed 's/.*"phase":"\([a-z]*\)".*/\1/')
"$bin" sessions >"$tmp/before.out" 2>&1
grep -F "$S " "$tmp/before.out" | grep -q " $phase  *quit " ||
	fail "before any sign-off it is not listed quit in $phase: $(cat "$tmp/before.out")"
# (refused: the operator cannot sign her own rollback; then signed)
"$bin" approve --yes "$S" p.sign --role 'Release Manager' --as olga \
	>"$tmp/refused.out" 2>&1 && fail "the operator's own sign-off was taken"
"$bin" approve --yes "$S" p.sign --role 'Release Manager' --as bob \
	>"$tmp/approve.out" 2>&1
grep -q '"type":"action.refused"' "$S/journal.jsonl" ||
	fail "no refusal journalled: $(cat "$tmp/refused.out")"
"$bin" sessions >"$tmp/after.out" 2>&1
grep -F "$S " "$tmp/after.out" | grep -q " $phase  *quit " ||
	fail "after rewind approve wrote to it, it is not listed quit in $phase: $(grep -F "$S " "$tmp/after.out")"
exit $failed
