#!/bin/sh
# Once the point the report measures recovery to is known (ROLLED_BACK_AT,
# else the end of the verify phase: core/rtoclock.c, one rule for both),
# the live header shows that fixed figure, not a running clock: a session
# detected at 18:33 whose rollback ran and was verified at 19:30, opened
# at 19:34 in communicate, shows 57m00s of 60m (not a red 61m), and on
# completion the report's word ("met") beside it; the report says the
# same figure.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "rto-fixed",
  "title": "Recovered before the end",
  "variables": {
    "DETECTED_AT": { "prompt": "When was it detected? (UTC)" },
    "ROLLED_BACK_AT": { "prompt": "When was it rolled back? (UTC)",
                        "time_of": ["e.rollback"] } },
  "targets_rto": { "default": "60m" },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [
      { "id": "e.rollback", "kind": "run", "title": "Roll back",
        "run": "echo rolled back" } ] },
    { "id": "verify", "steps": [
      { "id": "v.look", "kind": "check", "title": "Look" } ] },
    { "id": "communicate", "steps": [
      { "id": "c.told", "kind": "check", "title": "Told them" } ] }
  ]
}
JSON
S=$SCREEN_TMP/s
printf '%s\n' 'set DETECTED_AT "2026-11-21 18:33 UTC"' next next next \
	'run e.rollback' next 'tick v.look' next quit |
	run_rewind run "$SCREEN_TMP/pb.json" --batch --operator olga \
	--session-dir "$S" >"$SCREEN_TMP/walk.out" 2>&1
grep -q '"phase":"communicate"' "$SCREEN_TMP/walk.out" ||
	{ cat "$SCREEN_TMP/walk.out"; fail "the walk did not reach communicate"; }

# Four minutes later, verified, not complete: the end of the verify phase.
REWIND_TEST_NOW=2026-11-21T19:34:00Z
start_app -x 120 -y 30 run "$S" --operator olga
wait_text 'Checklist: communicate'
wait_text ' 57m0[0-9]s of 60m RTO since detected 18:33 UTC$'
refute_text ' 6[01]m[0-9][0-9]s of 60m RTO' "the header's clock still runs after the verify phase"
keys q
keys_nowait Enter
wait_exit

# ROLLED_BACK_AT as offered (19:30), then complete: the fixed figure with
# the report's word.
printf '%s\n' 'set ROLLED_BACK_AT "2026-11-21 19:30 UTC"' quit |
	REWIND_TEST_NOW=2026-11-21T19:35:00Z run_rewind run "$S" --batch \
	--operator olga >"$SCREEN_TMP/set.out" 2>&1
REWIND_TEST_NOW=2026-11-21T19:36:00Z
start_app -x 120 -y 30 run "$S" --operator olga
wait_text 'Checklist: communicate'
wait_text ' 57m0[0-9]s of 60m RTO since detected 18:33 UTC$'
keys Space
keys '>'
wait_text 'COMPLETE'
wait_text ' 57m0[0-9]s of 60m RTO, met since detected 18:33 UTC$'
head=$(row 1 | sed -n 's/.* \(57m0[0-9]s\) of 60m RTO.*/\1/p')
keys_nowait q
wait_exit
run_rewind report "$S" --format json >"$SCREEN_TMP/r.json" 2>"$SCREEN_TMP/r.err" ||
	{ cat "$SCREEN_TMP/r.err"; fail "rewind report failed"; }
took=$(sed -n 's/.*"rto_took_s":[[:space:]]*\([0-9]*\).*/\1/p' "$SCREEN_TMP/r.json")
[ "$took" = "$(( ${head%%m*} * 60 + $(echo "${head#*m}" | sed 's/s$//; s/^0//') ))" ] ||
	fail "the header said $head, the report $took s"
pass "the header's RTO figure stops where the report's recovery time ends, with its word"
