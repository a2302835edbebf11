#!/bin/sh
# A verification the drill cannot show, as a trainee meets it: in the
# verify phase, a check the world has no simulated probe for says that it
# cannot be verified here and is not scored; a check the world gives a
# probe for shows that output (sanitised) to judge by before ticking.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "unverifiable-test",
  "title": "Verifications in a drill",
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [
      { "id": "v.telemetry", "kind": "check", "title": "Error rates in telemetry normal" },
      { "id": "v.ci", "kind": "check", "title": "CI pipeline healthy",
        "drill": { "output": ["completed  success  CI  main  push  8812", "\u001b[31mcompleted  success  CodeQL"] } } ] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/session
printf 'next\nnext\nnext\nnext\nquit\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam >"$SCREEN_TMP/prefix.out" 2>&1

start_app -x 120 -y 30 drill "$SESSION_DIR"
wait_text 'Error rates in telemetry normal' 5
select_step() {
	i=0
	until screen_text | grep -q "$1  check"; do
		[ "$i" -lt 6 ] || fail "could not select $1"
		keys j
		i=$((i + 1))
	done
}
select_step v.telemetry
wait_text 'cannot be verified here' 5
assert_fixed "Drill: cannot be verified here, nothing in the drill's world shows"
assert_fixed 'it; not scored'
select_step v.ci
wait_text 'what the world shows for this check' 5
assert_fixed 'completed  success  CI  main  push  8812'
refute_text 'cannot be verified here'
assert_fixed '^[[31mcompleted  success  CodeQL'
pass "a check the drill cannot show says so; one with a probe shows it"
