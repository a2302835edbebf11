#!/bin/sh
# A typed ROLLED_BACK_AT earlier than the journal shows the rollback
# first ran is not believed: setting it warns ("it cannot have ended
# before it began"), and the report's RTO ends as if none was typed and
# says why, instead of "met: recovered in 5m" for a rollback run 95
# minutes after detection.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "rollback-time",
  "title": "A rollback and its time",
  "variables": {
    "DETECTED_AT": { "prompt": "when was it detected" },
    "ROLLED_BACK_AT": { "prompt": "when was it rolled back",
                        "time_of": ["e.rollback"] }
  },
  "targets_rto": { "default": "1h" },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [
      { "id": "e.rollback", "kind": "run", "title": "Roll back",
        "run": "echo rolled back" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
export REWIND_TEST_NOW=2026-11-21T19:30:00Z
printf '%s\n' 'set DETECTED_AT "2026-11-21 17:55 UTC"' next next next \
	'run e.rollback' 'set ROLLED_BACK_AT "2026-11-21 18:00 UTC"' \
	next next next quit |
	"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$tmp/s" \
	>"$tmp/out" 2>"$tmp/err"
grep '"type":"var.set"' "$tmp/s/journal.jsonl" | grep ROLLED_BACK_AT |
	grep -q 'is before e.rollback first ran (19:30 UTC, in the journal)' ||
	fail "setting ROLLED_BACK_AT before the run did not warn: $(grep ROLLED_BACK_AT "$tmp/s/journal.jsonl")"
"$bin" report "$tmp/s" >"$tmp/report.md" 2>"$tmp/err-report" || fail "rewind report failed"
grep -q 'recovered in 5m' "$tmp/report.md" &&
	fail "the report believes the typed time: $(grep RTO "$tmp/report.md")"
grep -q 'the typed ROLLED_BACK_AT is earlier than e.rollback first ran' "$tmp/report.md" ||
	fail "the report does not say why it ignores the typed time: $(grep RTO "$tmp/report.md")"

# The minute the rollback ran, as the console offers it: believed.
printf '%s\n' 'set DETECTED_AT "2026-11-21 19:20 UTC"' next next next \
	'run e.rollback' 'set ROLLED_BACK_AT "2026-11-21 19:30 UTC"' \
	next next next quit |
	"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$tmp/s2" \
	>"$tmp/out2" 2>"$tmp/err2"
grep ROLLED_BACK_AT "$tmp/s2/journal.jsonl" | grep -q Warning &&
	fail "the minute the rollback ran was warned about: $(grep ROLLED_BACK_AT "$tmp/s2/journal.jsonl")"
"$bin" report "$tmp/s2" >"$tmp/report2.md" 2>/dev/null
grep -q 'recovered in 10m 00s (counted from detection (DETECTED_AT) to the recovery time recorded (ROLLED_BACK_AT))' "$tmp/report2.md" ||
	fail "the report does not use the minute the rollback ran: $(grep RTO "$tmp/report2.md")"

# A time in the future: warned, and not used.
printf '%s\n' 'set DETECTED_AT "2026-11-21 19:20 UTC"' next next next \
	'run e.rollback' 'set ROLLED_BACK_AT "2026-11-21 21:45 UTC"' \
	next next next quit |
	"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$tmp/s3" \
	>"$tmp/out3" 2>"$tmp/err3"
grep ROLLED_BACK_AT "$tmp/s3/journal.jsonl" | grep -q 'is in the future' ||
	fail "a rollback time in the future was not warned about: $(grep ROLLED_BACK_AT "$tmp/s3/journal.jsonl")"
"$bin" report "$tmp/s3" >"$tmp/report3.md" 2>/dev/null
grep -q 'the typed ROLLED_BACK_AT is later than the session' "$tmp/report3.md" ||
	fail "the report uses a rollback time in the future: $(grep RTO "$tmp/report3.md")"
exit $failed
