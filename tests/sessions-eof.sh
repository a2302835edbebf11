#!/bin/sh
# A batch session whose input ended before it completed journals that it
# stopped at the end of its input (session.quit, how "end of input"), and
# rewind sessions lists it as "stopped at end of input", resumable, not as
# interrupted; the journal verifies, and the rest of the walk resumes it
# to completion.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

root="$XDG_STATE_HOME/rewind/sessions"
S=$root/eof-1
head -n 8 "$src/playbooks/example.walk" | "$bin" drill "$src/playbooks/example.json" \
	--batch --operator ana --session-dir "$S" >"$tmp/first.out" 2>&1
python3 - "$S/journal.jsonl" >"$tmp/why" 2>&1 <<'PY' || fail "journal: $(cat "$tmp/why")"
import json, sys
last = [json.loads(l) for l in open(sys.argv[1])][-1]
assert last["type"] == "session.quit", last["type"]
assert last["payload"]["how"] == "end of input", last["payload"]
PY
"$bin" verify "$S" >"$tmp/verify" 2>&1 || fail "the journal does not verify: $(cat "$tmp/verify")"
"$bin" sessions >"$tmp/list" 2>&1 || fail "sessions exited $?"
awk '$1 == "eof-1"' "$tmp/list" | grep -q ' stopped at end of input ' ||
	fail "eof-1 is not listed as stopped at end of input: $(awk '$1 == "eof-1"' "$tmp/list")"
"$bin" sessions --format json >"$tmp/json" 2>&1
python3 - "$tmp/json" >"$tmp/why" 2>&1 <<'PY' || fail "json: $(cat "$tmp/why")"
import json, sys
d = json.load(open(sys.argv[1]))
rows = d if isinstance(d, list) else d.get("sessions", d)
row = [r for r in rows if r.get("session", r.get("name")) == "eof-1"][0]
assert row["state"] == "stopped", row
PY
# The rest of the walk resumes it.
tail -n +9 "$src/playbooks/example.walk" | "$bin" drill "$S" --batch \
	>"$tmp/rest.out" 2>&1 || fail "the resumed walk exited $?: $(tail -3 "$tmp/rest.out")"
grep -q '"phase":"complete"' "$tmp/rest.out" || fail "the resumed walk did not complete"
"$bin" verify "$S" >"$tmp/verify" 2>&1 || fail "the resumed journal does not verify"
[ "$failed" = 0 ] && echo "PASS: sessions-eof"
exit "$failed"
