#!/bin/sh
# The quick start's walk: drill the bundled example end to end in batch
# mode, then prove the journal intact and the session complete.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

fail() { echo "FAIL: $*"; exit 1; }

"$bin" drill "$src/playbooks/example.json" --batch --operator sam \
	--session-dir "$tmp/s" <"$src/playbooks/example.walk" >"$tmp/out" 2>"$tmp/err" ||
	{ cat "$tmp/err"; fail "walk did not complete (exit $?)"; }
grep -q '"type":"session.completed"' "$tmp/out" || fail "no session.completed event"
grep -q '"type":"error"' "$tmp/out" && { grep '"type":"error"' "$tmp/out"; fail "the walk hit errors"; }
tail -n 1 "$tmp/out" | grep -q '"phase":"complete"' || fail "last line is not the final awaiting"
"$bin" verify "$tmp/s" >/dev/null || fail "verify failed"
[ "$(stat -c %a "$tmp/s")" = 700 ] || fail "session dir mode is not 0700"
[ "$(stat -c %a "$tmp/s/journal.jsonl")" = 600 ] || fail "journal mode is not 0600"
grep -q 'ROLLBACK COMPLETE' "$tmp/s/messages/communicate.team.txt" || fail "message not written"
grep -q '1.4.0 -> 1.3.2' "$tmp/s/messages/communicate.team.txt" || fail "message variables not rendered"
echo "batch drill: example walked end to end, journal verified"
