#!/bin/sh
# example.json's p0-outage world agrees with its briefing ("Every request
# fails"): the health endpoint answers 500 until the service is restarted
# from the restored tag (it answered 200 before the rollback), and the
# good walk's health check passes after the restart.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
pb=$src/playbooks/example.json
walk=$src/tests/fixtures/walks/example-scenario-p0-outage.walk

# The rollback checked out but the service never restarted: the health
# check still fails.
sed -n '1,/^run execute.checkout/p' "$walk" >"$tmp/before"
printf 'na execute.restart skipped\nnext\nrun verify.health\nquit\n' >>"$tmp/before"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/b" --scenario=p0-outage <"$tmp/before" >"$tmp/b.out" 2>&1
grep '"type":"step.finished".*"step":"verify.health"' "$tmp/b/journal.jsonl" |
	grep -q '"ok":false' ||
	fail "health answered without the restart: $(grep '"step":"verify.health"' "$tmp/b/journal.jsonl" | tail -1)"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/g" --scenario=p0-outage <"$walk" >"$tmp/g.out" 2>&1 ||
	fail "the good walk did not complete"
grep '"type":"step.finished".*"step":"verify.health"' "$tmp/g/journal.jsonl" |
	grep -q '"ok":true' || fail "the good walk's health check failed"
[ "$failed" = 0 ] && echo "PASS: drill-example-outage: health fails until the restart"
exit "$failed"
