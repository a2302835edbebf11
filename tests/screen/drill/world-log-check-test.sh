#!/bin/sh
# A check that reads its evidence from the drill's world (drill.log,
# drill.fails_on) says in the Detail pane what the world's log shows now:
# before the restart the log's ERROR line contradicts "no new errors"
# (quoted, sanitised); after the restart replaced the log, nothing does.
# Neither says the check cannot be verified here.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "world-log-check-test",
  "title": "A check the world's log judges",
  "drill": { "state": { "logs": { "app": [
    "INFO started",
    "ERROR GET /health -> 500 \u001b[31mboom" ] } } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [
      { "id": "v.restart", "kind": "run", "title": "Restart the app", "run": "restart-app",
        "drill": { "output": "restarted", "state": { "logs": { "app": [ "INFO started again" ] } } } },
      { "id": "v.errors", "kind": "check", "title": "The app log shows no new errors",
        "drill": { "log": "app", "fails_on": "ERROR" } } ] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
before=$SCREEN_TMP/before after=$SCREEN_TMP/after
printf 'next\nnext\nnext\nnext\nquit\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$before" --operator sam >"$SCREEN_TMP/before.out" 2>&1
printf 'next\nnext\nnext\nnext\nrun v.restart\nquit\n' | run_rewind drill "$SCREEN_TMP/pb.json" \
	--batch --session-dir "$after" --operator sam >"$SCREEN_TMP/after.out" 2>&1

select_step() {
	i=0
	until screen_text | grep -q "$1  check"; do
		[ "$i" -lt 6 ] || fail "could not select $1"
		keys j
		i=$((i + 1))
	done
}
start_app -x 120 -y 30 drill "$before"
wait_text 'The app log shows no new errors' 5
select_step v.errors
wait_text 'contradicts this check now' 5
assert_fixed "Drill: the world's app log contradicts this check now: ERROR GET"
assert_fixed '/health -> 500 ^[[31mboom'
refute_text 'cannot be verified here'
start_app -x 120 -y 30 drill "$after"
wait_text 'The app log shows no new errors' 5
select_step v.errors
wait_text 'no line that contradicts' 5
assert_fixed "Drill: the world's app log shows no line that contradicts this check"
refute_text 'cannot be verified here'
pass "a check the world's log judges says what the log shows now"
