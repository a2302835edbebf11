#!/bin/sh
# A step refused because its condition does not hold names only the
# conditions that fail: with RESPONSE set as the step needs and BY_HAND
# not, the refusal says BY_HAND, never RESPONSE beside it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "conds", "title": "two conditions",
  "variables": {
    "RESPONSE": { "prompt": "response", "pattern": "(rollback|hotfix)" },
    "BY_HAND": { "prompt": "by hand", "pattern": "(yes|no)" }
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.both", "kind": "check", "title": "by hand, rolled back",
        "when": { "RESPONSE": "rollback", "BY_HAND": ["yes"] } },
      { "id": "a.other", "kind": "check", "title": "anything" }
    ] },
    { "id": "decide", "steps": [ { "id": "d.c", "kind": "check", "title": "c" } ] },
    { "id": "approve", "steps": [ { "id": "p.c", "kind": "check", "title": "c" } ] },
    { "id": "execute", "steps": [ { "id": "e.c", "kind": "check", "title": "c" } ] },
    { "id": "verify", "steps": [ { "id": "v.c", "kind": "check", "title": "c" } ] },
    { "id": "communicate", "steps": [ { "id": "c.c", "kind": "check", "title": "c" } ] }
  ]
}
JSON
printf 'tick a.both\nquit\n' | "$bin" run "$tmp/pb.json" --batch --operator sam \
	--var RESPONSE=rollback --var BY_HAND=no --session-dir "$tmp/s" \
	>"$tmp/out" 2>"$tmp/err"
grep -q 'step a.both does not apply: its condition needs BY_HAND in \[yes\] but it is no' \
	"$tmp/err" || { cat "$tmp/err"; fail "the failing condition is not named"; }
grep -q 'RESPONSE' "$tmp/err" &&
	{ cat "$tmp/err"; fail "the refusal names RESPONSE, which holds"; }
printf 'tick a.both\nquit\n' | "$bin" run "$tmp/pb.json" --batch --operator sam \
	--var RESPONSE=hotfix --session-dir "$tmp/s2" >"$tmp/out2" 2>"$tmp/err2"
grep -q 'needs RESPONSE in \[rollback\] but it is hotfix; BY_HAND in \[yes\] but it is unset' \
	"$tmp/err2" || { cat "$tmp/err2"; fail "two failing conditions are not both named"; }
[ "$failed" = 0 ] && echo "PASS: refusal-failing-conds"
exit $failed
