#!/bin/sh
# A DETECTED_AT later than now (05:00 UTC typed at 01:24 UTC: a local time
# typed as UTC) is warned about, clearly, and the warning is journalled
# with its var.set; a time in the past is not.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{"id":"detected","title":"When was it detected",
 "variables":{"DETECTED_AT":{"prompt":"Detected at (UTC)"}},
 "phases":[{"id":"assess","steps":[]},{"id":"decide","steps":[]},{"id":"approve","steps":[]},
 {"id":"execute","steps":[]},{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
printf 'set DETECTED_AT "2026-11-21 05:00 UTC"\nset DETECTED_AT "2026-11-21 01:00 UTC"\nquit\n' |
	REWIND_TEST_NOW=2026-11-21T01:24:00Z "$bin" run "$tmp/pb.json" --batch --operator olga \
	--session-dir "$tmp/s" >"$tmp/out" 2>&1
grep '"type":"var.set"' "$tmp/s/journal.jsonl" >"$tmp/sets"
grep -F '"value":"2026-11-21 05:00 UTC","warning":"Warning: DETECTED_AT 2026-11-21 05:00 UTC is 3h 36m in the future (now 01:24 UTC): detection cannot come after now; was a local time typed as UTC?"' "$tmp/sets" >/dev/null ||
	fail "no clear warning for a detection in the future: $(cat "$tmp/sets")"
grep -F '"value":"2026-11-21 01:00 UTC","warning"' "$tmp/sets" >/dev/null &&
	fail "a detection in the past was warned about"
[ "$failed" = 0 ] && echo "PASS: detected-future"
exit "$failed"
