#!/bin/sh
# A completed session no longer changes: rewind drill (or run) SESSION
# opens it to be read and journals nothing (no session.resumed, no
# session.quit, no refusal, no note after the report written at
# completion); every action but quit is refused, a note included;
# replay and report still read it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
"$bin" drill "$src/playbooks/example.json" --batch --operator sam \
	--session-dir "$S" <"$src/playbooks/example.walk" >/dev/null 2>&1 ||
	fail "the example walk failed"
grep -q '"type":"session.completed"' "$S/journal.jsonl" || fail "the walk did not complete"
cp "$S/journal.jsonl" "$tmp/before.jsonl"

printf 'note after the fact\ntick communicate.team\nquit\n' |
	"$bin" drill "$S" --batch >"$tmp/out" 2>&1
grep -q 'note: the session is complete and no longer changes' "$tmp/out" ||
	fail "a note was not refused: $(cat "$tmp/out")"
printf 'quit\n' | "$bin" drill --session-dir "$S" --batch --operator sam >"$tmp/out2" 2>&1
cmp -s "$S/journal.jsonl" "$tmp/before.jsonl" ||
	fail "opening a completed session changed its journal: $(diff "$tmp/before.jsonl" "$S/journal.jsonl" | tail -n 3)"
"$bin" replay --print "$S" >/dev/null 2>&1 || fail "replay of a completed session failed"
"$bin" verify "$S" >/dev/null 2>&1 || fail "verify failed"
exit $failed
