#!/bin/sh
# A completed session no longer changes: rewind drill (or run) SESSION
# refuses to open it, saying so and naming rewind replay and report, and
# journals nothing (no session.resumed, no session.quit after the report
# written at completion); replay and report still read it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
"$bin" drill "$src/playbooks/example.json" --batch --operator sam \
	--session-dir "$S" <"$src/playbooks/example.walk" >/dev/null 2>&1 ||
	fail "the example walk failed"
grep -q '"type":"session.completed"' "$S/journal.jsonl" || fail "the walk did not complete"
cp "$S/journal.jsonl" "$tmp/before.jsonl"

printf 'quit\n' | "$bin" drill "$S" --batch >"$tmp/out" 2>&1 &&
	fail "a completed session was opened: $(cat "$tmp/out")"
grep -qF "rewind: session $S is complete and no longer changes (its report.md was written when it completed): rewind replay $S shows it, rewind report $S writes the report again" "$tmp/out" ||
	fail "the refusal does not say so: $(cat "$tmp/out")"
printf 'quit\n' | "$bin" drill --session-dir "$S" --batch --operator sam >"$tmp/out2" 2>&1 &&
	fail "--session-dir opened a completed session"
cmp -s "$S/journal.jsonl" "$tmp/before.jsonl" ||
	fail "opening a completed session changed its journal: $(diff "$tmp/before.jsonl" "$S/journal.jsonl" | tail -n 3)"
"$bin" replay --print "$S" >/dev/null 2>&1 || fail "replay of a completed session failed"
"$bin" verify "$S" >/dev/null 2>&1 || fail "verify failed"
exit $failed
