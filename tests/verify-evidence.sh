#!/bin/sh
# rewind verify as a reviewer relies on it: an intact journal's verify
# prints the hash it ends at, and --expect of that hash fails once the
# journal's tail is cut (the chain alone cannot tell); the message files
# the journal vouches for are checked, and a changed or missing one fails
# verify and breaks the report; an empty journal proves nothing.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

"$bin" drill "$src/playbooks/example.json" --batch --operator sam \
	--session-dir "$tmp/s" <"$src/playbooks/example.walk" >/dev/null 2>&1 ||
	fail "the example walk failed"
"$bin" verify "$tmp/s" >"$tmp/v" 2>&1 || fail "verify of the walk: $(cat "$tmp/v")"
hash=$(sed -n 's/.*--expect \([0-9a-f]*\) finds.*/\1/p' "$tmp/v")
[ ${#hash} = 16 ] || fail "verify printed no hash to note: $(cat "$tmp/v")"
grep -q '1 message file holds the text the journal holds' "$tmp/v" ||
	fail "the message file was not checked: $(cat "$tmp/v")"
"$bin" verify "$tmp/s" --expect "$hash" >"$tmp/v" 2>&1 || fail "--expect of its own hash: $(cat "$tmp/v")"
grep -q "is the hash of event [0-9]*: nothing up to it was cut" "$tmp/v" || fail "--expect: $(cat "$tmp/v")"

cp -a "$tmp/s" "$tmp/cut"
head -n -2 "$tmp/s/journal.jsonl" >"$tmp/cut/journal.jsonl"
"$bin" verify "$tmp/cut" >/dev/null 2>&1 || fail "a cut chain is still a chain: verify alone passes it"
"$bin" verify "$tmp/cut" --expect "$hash" >"$tmp/v" 2>&1 && fail "--expect passed a cut journal"
grep -q "no event has the hash $hash: the journal was cut or rewritten" "$tmp/v" ||
	fail "--expect on a cut journal: $(cat "$tmp/v")"
# The failure comes first, and nothing reads like success.
head -n 1 "$tmp/v" | grep -q "no event has the hash $hash" ||
	fail "--expect on a cut journal does not say it failed first: $(cat "$tmp/v")"
grep -q ": intact\|verified" "$tmp/v" &&
	fail "--expect on a cut journal reads like success: $(cat "$tmp/v")"
grep -q "NOT intact against $hash" "$tmp/v" ||
	fail "--expect on a cut journal does not say what the chain left proves: $(cat "$tmp/v")"
"$bin" verify "$tmp/s" --expect 12ab >/dev/null 2>&1 && fail "a 4-digit pin was taken"

cp -a "$tmp/s" "$tmp/msg"
f=$(ls "$tmp/msg/messages/" | head -n 1)
sed -i 's/ROLLBACK/NO ROLLBACK/' "$tmp/msg/messages/$f"
"$bin" verify "$tmp/msg" >"$tmp/v" 2>&1 && fail "verify passed a changed message file"
grep -q "messages/$f: its text is not the text the journal holds" "$tmp/v" ||
	fail "changed message: $(cat "$tmp/v")"
"$bin" report "$tmp/msg" | grep -q 'JOURNAL INTEGRITY BROKEN.*messages/' ||
	fail "the report reads a changed message as proof"
rm "$tmp/msg/messages/$f"
"$bin" verify "$tmp/msg" 2>&1 | grep -q "messages/$f: No such file" || fail "a missing message file passed"

mkdir "$tmp/empty" && cp "$tmp/s/playbook.json" "$tmp/empty/" && : >"$tmp/empty/journal.jsonl"
"$bin" verify "$tmp/empty" >"$tmp/v" 2>&1 && fail "an empty journal verified"
grep -q 'empty journal' "$tmp/v" || fail "empty: $(cat "$tmp/v")"
exit $failed
