#!/bin/sh
# The console's RTO clock counts from detection when the session has
# DETECTED_AT, by the report's rule (core/rtoclock.c): the header says
# "since detected HH:MM ZONE" and counts the minutes before the session
# started; without DETECTED_AT it counts from the session's start.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "rto-detected",
  "title": "Detected before the console",
  "variables": { "DETECTED_AT": { "prompt": "When was it detected? (UTC)" } },
  "targets_rto": { "default": "10m" },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "assess.look", "kind": "check", "title": "Look" },
      { "id": "assess.detected", "kind": "input", "required": false,
        "title": "When was it detected?", "variable": "DETECTED_AT" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
# Without it: from the session's start (the test clock starts at 19:30:00).
start_app -x 100 -y 30 run --session-dir "$SCREEN_TMP/s0" --operator olga \
	"$SCREEN_TMP/pb.json"
wait_text ' 0m0[0-9]s of 10m RTO$'
refute_fixed 'since detected'
keys q
keys_nowait Enter
wait_exit

# Detected three minutes before the session started.
start_app -x 100 -y 30 run --session-dir "$SCREEN_TMP/s1" --operator olga \
	--var "DETECTED_AT=2026-11-21 19:27 UTC" "$SCREEN_TMP/pb.json"
wait_text ' 3m0[0-9]s of 10m RTO since detected 19:27 UTC'
# The report counts from the same moment.
keys Space
keys q
keys_nowait Enter
wait_exit
run_rewind report "$SCREEN_TMP/s1" --format json >"$SCREEN_TMP/r.json" 2>"$SCREEN_TMP/r.err" ||
	{ cat "$SCREEN_TMP/r.err"; fail "rewind report failed"; }
grep -q '"rto_from":[[:space:]]*"detection (DETECTED_AT)"' "$SCREEN_TMP/r.json" ||
	fail "the report does not count from detection"
took=$(sed -n 's/.*"rto_took_s":[[:space:]]*\([0-9]*\).*/\1/p' "$SCREEN_TMP/r.json")
[ -n "$took" ] && [ "$took" -ge 180 ] && [ "$took" -lt 240 ] ||
	fail "the report's recovery time ($took s) is not counted from 19:27"

# In local time (a POSIX TZ needs no zone files) the zone is named.
APP_ENV="TZ=XST-05:30 REWIND_TIME=local"
start_app -x 100 -y 30 run --session-dir "$SCREEN_TMP/s2" --operator olga \
	--var "DETECTED_AT=2026-11-21 19:27 UTC" "$SCREEN_TMP/pb.json"
wait_text ' 3m0[0-9]s of 10m RTO since detected 00:57 XST'
keys q
keys_nowait Enter
wait_exit
# Set during the session (the assess step): the status line says the
# clock moved, from when, and how much of the target that leaves used.
APP_ENV=
start_app -x 120 -y 30 run --session-dir "$SCREEN_TMP/s3" --operator olga \
	"$SCREEN_TMP/pb.json"
wait_text ' 0m0[0-9]s of 10m RTO$'
keys j
wait_text 'assess.detected'
keys Enter
wait_text 'When was it detected'
type_text '2026-11-21 19:27 UTC'
keys Enter
wait_text 'RTO now counts from detection at 19:27 UTC: 3m0[0-9]s of 10m used'
wait_text ' 3m0[0-9]s of 10m RTO since detected 19:27 UTC'
keys q
keys_nowait Enter
wait_exit
# The shipped npm playbook asks for it in assess, first. In a drill the
# typed time is the story's: the header keeps the drill's own clock, as
# the score card and the report count it.
start_app -x 120 -y 30 drill "$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" \
	--session-dir "$SCREEN_TMP/s4" --operator olga
wait_text 'Checklist: assess'
wait_text 'assess\.detected-at  input'
keys Enter
wait_text 'When the problem was detected'
type_text '2026-11-21 19:27 UTC'
keys Enter
wait_text 'DETECTED_AT'
refute_text 'since detected 19:27' "a drill's header counts from the typed detection"
refute_text 'RTO now counts from detection' "a drill's clock moved to the typed detection"
keys_nowait q
wait_exit
pass "the RTO clock counts from DETECTED_AT in the header as in the report (a drill: its own clock)"
