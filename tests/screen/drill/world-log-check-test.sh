#!/bin/sh
# A check that reads its evidence from the drill's world (drill.log,
# drill.fails_on): the trainee's console of the open drill says only that
# the world judges it (never what the log says: finding it is the drill);
# the game master's watch says what the world's log shows now: before the
# restart the log's ERROR line contradicts "no new errors" (quoted,
# sanitised); after the restart replaced the log, nothing does. None says
# the check cannot be verified here. Once the drill is complete, the card
# quotes the line a tick went against.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "world-log-check-test",
  "title": "A check the world's log judges",
  "drill": { "state": { "logs": { "app": [
    "INFO started",
    "ERROR GET /health -> 500 \u001b[31mboom" ] },
    "http": { "http://app.test/health": { "status": 500, "body": "{\"detail\": \"down\"}" } } } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [
      { "id": "v.restart", "kind": "run", "title": "Restart the app", "run": "restart-app",
        "drill": { "output": "restarted", "state": { "logs": { "app": [ "INFO started again" ] },
          "http": { "http://app.test/health": { "status": 200, "body": "ok" } } } } },
      { "id": "v.errors", "kind": "check", "title": "The app log shows no new errors",
        "drill": { "log": "app", "fails_on": "ERROR" } },
      { "id": "v.works", "kind": "check", "title": "The app works end to end",
        "drill": { "endpoint": "http://app.test/health", "fails_on": "^5" } } ] },
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
start_app -x 120 -y 30 drill "$before" --operator sam
wait_text 'The app log shows no new errors' 5
select_step v.errors
wait_text "Drill: judged against the drill's world when you tick it" 5
refute_fixed 'ERROR GET' "the trainee's console quotes the world's log"
refute_text 'contradicts' "the trainee's console says what the world's log holds"
refute_text 'cannot be verified here'
keys_nowait q
wait_exit
start_app -x 120 -y 30 watch "$before"
wait_text 'The app log shows no new errors' 5
select_step v.errors
wait_text 'contradicts this check now' 5
assert_fixed "Drill: the world's app log contradicts this check now: ERROR GET"
assert_fixed '/health -> 500 ^[[31mboom'
refute_text 'cannot be verified here'
start_app -x 120 -y 30 watch "$after"
wait_text 'The app log shows no new errors' 5
select_step v.errors
wait_text 'no line that contradicts' 5
assert_fixed "Drill: the world's app log shows no line that contradicts this check"
refute_text 'cannot be verified here'

# Ticked against the log and completed: the card quotes the line.
done_dir=$SCREEN_TMP/done
printf 'next\nnext\nnext\nnext\ntick v.errors\ntick v.works\nrun v.restart\nnext\nnext\nquit\n' |
	run_rewind drill "$SCREEN_TMP/pb.json" --batch --session-dir "$done_dir" \
	--operator sam >"$SCREEN_TMP/done.out" 2>&1
start_app -x 120 -y 30 drill "$done_dir" --operator sam
wait_text 'Drill score card' 5
assert_fixed 'all-clears     0 / 10  v.errors ticked while the app log showed'
assert_fixed '"ERROR GET /health -> 500 ^[[31mboom"'
assert_fixed '; v.works ticked while the'
grep -qF 'v.works ticked while the endpoint http://app.test/health answered' \
	"$done_dir/scorecard.json" || fail "the card does not quote the endpoint's answer"
grep -Eq '"endpoint":[[:space:]]*"http://app\.test/health"' "$done_dir/scorecard.json" &&
	grep -Eq '"line":[[:space:]]*"500 \{\\"detail\\": \\"down\\"\}"' "$done_dir/scorecard.json" ||
	fail "the card's false all-clears do not hold the endpoint's 500"
# After the restart the endpoint answers 200: ticked then, no false all-clear.
ok_dir=$SCREEN_TMP/ok
printf 'next\nnext\nnext\nnext\nrun v.restart\ntick v.errors\ntick v.works\nnext\nnext\nquit\n' |
	run_rewind drill "$SCREEN_TMP/pb.json" --batch --session-dir "$ok_dir" \
	--operator sam >"$SCREEN_TMP/ok.out" 2>&1
grep -qF 'none of 2 check(s) the world' "$ok_dir/scorecard.json" ||
	fail "a tick after the restart is counted as a false all-clear"
pass "a check the world's log judges says what the log shows now"
