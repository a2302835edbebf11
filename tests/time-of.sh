#!/bin/sh
# A variable declared with "time_of" takes the time a step was done from
# the journal instead of having it typed: unset, a message naming it is
# refused until the step is done, then carries that time; a time_of naming
# no step is refused by `rewind check` with its place in the file.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

printf 'send a.moved\n' >"$tmp/early"
REWIND_TEST_NOW=2026-01-01T10:07:00Z "$bin" drill "$src/tests/fixtures/playbooks/console.json" \
	--batch --operator olga --session-dir "$tmp/s" --var PUBLISH_TOKEN=x <"$tmp/early" >"$tmp/out" 2>&1
grep -q '"type":"message\.[a-z]*","phase":"assess","step":"a.moved"' "$tmp/out" &&
	fail "the message was sent before a.move was done"
grep -q 'MOVED_AT' "$tmp/out" || fail "the refusal does not name MOVED_AT: $(tail -2 "$tmp/out")"

printf 'confirm a.move 1.2.2\nrun a.move\nsend a.moved\n' >"$tmp/walk"
REWIND_TEST_NOW=2026-01-01T10:09:00Z "$bin" drill "$tmp/s" --batch --var PUBLISH_TOKEN=x \
	<"$tmp/walk" >"$tmp/out" 2>&1
grep -qx 'latest moved back at 2026-01-01 10:09 UTC' "$tmp/s/messages/moved.txt" 2>/dev/null ||
	fail "the message does not carry the time a.move was done: $(cat "$tmp/s/messages/moved.txt" 2>&1)"
grep -q '"type":"var.set".*MOVED_AT' "$tmp/s/journal.jsonl" &&
	fail "the offered time was journalled as if typed"

sed 's/"time_of": \[\n* *"a.move"/"time_of": ["a.gone"/' "$src/tests/fixtures/playbooks/console.json" |
	python3 -c 'import sys; t = sys.stdin.read(); print(t.replace("\"a.move\"\n      ]", "\"a.gone\"\n      ]"), end="")' >"$tmp/bad.json"
"$bin" check "$tmp/bad.json" >"$tmp/check.out" 2>&1 && fail "rewind check accepted a time_of naming no step"
grep -qF 'variables.MOVED_AT.time_of[0]: unknown step "a.gone"' "$tmp/check.out" ||
	fail "the error does not say where: $(cat "$tmp/check.out")"
[ "$failed" = 0 ] && echo "PASS: time-of: a message gets the time a step was done from the journal"
exit "$failed"
