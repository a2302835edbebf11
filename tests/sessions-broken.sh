#!/bin/sh
# rewind sessions checks each listed journal's hash chain: a tampered
# journal (a line changed after it was written) is flagged BROKEN in the
# STATE column, with the first line not proven, and "broken" in JSON; an
# intact one (even with its tail cut, which a chain alone cannot tell) is
# not.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

root="$XDG_STATE_HOME/rewind/sessions"
walk() {
	"$bin" drill "$src/playbooks/example.json" --batch --operator "$2" \
		--session-dir "$root/$1" <"$src/playbooks/example.walk" \
		>/dev/null 2>&1 || fail "walk $1 exited $?"
}
walk clean-1 sam
walk tampered-1 sam
# Change what a decision said, as someone covering their tracks would.
line=$(grep -n '"type":"decision.made"' "$root/tampered-1/journal.jsonl" | head -n 1 | cut -d: -f1)
[ -n "$line" ] || fail "the walk made no decision"
sed -i "${line}s/\"reason\":\"[^\"]*\"/\"reason\":\"nothing to see\"/" "$root/tampered-1/journal.jsonl"
"$bin" verify "$root/tampered-1" >/dev/null 2>&1 && fail "the tampered journal still verifies"

"$bin" sessions >"$tmp/out" 2>&1 || fail "sessions exited $?"
row() { awk -v s="$1" '$1 == s' "$tmp/out"; }
row tampered-1 | grep -q " BROKEN@$line completed " ||
	fail "the tampered journal is not flagged BROKEN at line $line: $(row tampered-1)"
row clean-1 | grep -q 'BROKEN' && fail "an intact journal is flagged: $(row clean-1)"
row clean-1 | grep -q ' completed ' || fail "clean-1: $(row clean-1)"

"$bin" sessions --format json "$root" >"$tmp/json" || fail "json exited $?"
python3 - "$tmp/json" "$line" <<'PY' || fail "json does not flag it: $(cat "$tmp/json")"
import json, sys
rows = {r["session"]: r for r in json.load(open(sys.argv[1]))}
assert rows["tampered-1"]["broken"] is True, rows["tampered-1"]
assert rows["tampered-1"]["broken_line"] == int(sys.argv[2]), rows["tampered-1"]
assert rows["clean-1"]["broken"] is False, rows["clean-1"]
assert "broken_line" not in rows["clean-1"]
PY
exit $failed
