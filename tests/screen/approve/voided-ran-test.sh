#!/bin/sh
# A sign-off voided after steps ran under it: the approve step's pane
# says which covered steps ran while it was valid and which remain
# unapproved (not just that it was voided).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{ "id": "voided-ran", "title": "Voided after a run",
  "variables": { "B": { "prompt": "b", "default": "1" } },
  "phases": [
  { "id": "assess", "steps": [] }, { "id": "decide", "steps": [] },
  { "id": "approve", "steps": [
    { "id": "approve.go", "kind": "approve", "title": "Sign off",
      "roles": [ { "role": "Lead", "count": 1 } ], "gates": ["execute"] } ] },
  { "id": "execute", "steps": [
    { "id": "e.one", "kind": "run", "title": "One", "run": "echo one" },
    { "id": "e.two", "kind": "run", "title": "Two", "run": "echo \"$B\"" } ] },
  { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] } ] }
JSON
SESSION_DIR=$SCREEN_TMP/session
printf '%s\n' next next 'approve approve.go Lead dana go' next 'run e.one' \
	'set B 2' quit | run_rewind run "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam >"$SCREEN_TMP/walk.out" 2>&1
[ "$(journal_count approval.voided)" = 1 ] || fail "the walk did not void the sign-off"

start_app -x 100 -y 30 run "$SESSION_DIR"
wait_text 'again: Sign off'
i=0
until screen_text | grep -q 'Sign-off needed from'; do
	[ "$i" -lt 6 ] || fail "could not select the approve step"
	keys k
	i=$((i + 1))
done
wait_text "dana's sign-off as Lead was voided after steps ran"
wait_text 'ran while it was valid: e\.one; unapproved'
wait_text ' now: e\.two$'
keys q
keys_nowait Enter
wait_exit
pass "the approve step's pane says which steps ran under a voided sign-off and which remain unapproved"
