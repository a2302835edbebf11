#!/bin/sh
# Changing a variable voids a sign-off only if a step it covers that uses
# the variable is still to run (not done, not n/a): one used only by steps
# that already ran under it, or by steps marked n/a, voids nothing. When a
# void comes after some covered steps ran, the journal, the report's
# Approvals table and the approve step's pane say which ran under the
# sign-off while it was valid and which remain unapproved.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{ "id": "void-ran", "title": "A sign-off and what ran under it",
  "variables": { "A": { "prompt": "a", "default": "1" },
                 "B": { "prompt": "b", "default": "1" },
                 "CLI": { "prompt": "cli", "default": "false" } },
  "phases": [
  { "id": "assess", "steps": [] }, { "id": "decide", "steps": [] },
  { "id": "approve", "steps": [
    { "id": "approve.go", "kind": "approve", "title": "Sign off",
      "roles": [ { "role": "Lead", "count": 1 } ], "gates": ["execute"] } ] },
  { "id": "execute", "steps": [
    { "id": "e.one", "kind": "run", "title": "One", "run": "echo \"$A\"" },
    { "id": "e.cli", "kind": "run", "title": "CLI check", "run": "echo \"$CLI\"" },
    { "id": "e.two", "kind": "run", "title": "Two", "run": "echo \"$B\"" } ] },
  { "id": "verify", "steps": [ { "id": "v.look", "kind": "check", "title": "Look" } ] },
  { "id": "communicate", "steps": [] } ] }
JSON
voids() { grep -c '"type":"approval.voided"' "$1/journal.jsonl"; }

# Everything ran (CLI's step n/a); in verify, CLI changes: no void.
printf '%s\n' next next 'approve approve.go Lead dana go' next 'run e.one' \
	'na e.cli a library: no command' 'run e.two' next \
	'set CLI true' quit |
	"$bin" run "$tmp/pb.json" --batch --operator olga --session-dir "$tmp/s1" \
	>"$tmp/s1.out" 2>&1
grep -q '"phase":"verify"' "$tmp/s1.out" || fail "walk 1 did not reach verify: $(tail -2 "$tmp/s1.out")"
[ "$(voids "$tmp/s1")" = 0 ] ||
	fail "a variable used only by steps done or n/a voided the sign-off: $(grep approval.voided "$tmp/s1/journal.jsonl")"

# e.one ran, e.cli n/a; CLI changes: no void; B (e.two, still to run)
# changes: void, saying what ran under it and what is left.
printf '%s\n' next next 'approve approve.go Lead dana go' next 'run e.one' \
	'na e.cli a library: no command' 'set CLI true' 'set B 2' quit |
	"$bin" run "$tmp/pb.json" --batch --operator olga --session-dir "$tmp/s2" \
	>"$tmp/s2.out" 2>&1
[ "$(voids "$tmp/s2")" = 1 ] || fail "want one void (for B), got $(voids "$tmp/s2")"
grep '"type":"approval.voided"' "$tmp/s2/journal.jsonl" |
	grep -q '"ran_while_valid":\["e.one"\],"unapproved":\["e.two"\]' ||
	fail "the void does not say what ran and what is left: $(grep approval.voided "$tmp/s2/journal.jsonl")"
"$bin" report "$tmp/s2" >"$tmp/r.md" 2>"$tmp/r.err" || true
grep '^| approve.go' "$tmp/r.md" |
	grep -q 'VOIDED: the commands or variables it approved have changed since; ran under it while it was valid: e.one; unapproved now: e.two' ||
	fail "the report's Approvals row: $(grep '^| approve.go' "$tmp/r.md")"
# The runs a change reopens ran under the sign-off all the same: e.one and
# e.two ran under dana's; A changes (e.one reopened, to run again): her void
# names both as run under it. erin signs again and e.one runs again under
# hers; B changes: her void names e.one only (e.two ran before she signed).
printf '%s\n' next next 'approve approve.go Lead dana go' next 'run e.one' \
	'na e.cli a library: no command' 'run e.two' 'set A 2' \
	'approve approve.go Lead erin go again' 'run e.one' 'set B 2' quit |
	"$bin" run "$tmp/pb.json" --batch --operator olga --session-dir "$tmp/s3" \
	>"$tmp/s3.out" 2>&1
[ "$(voids "$tmp/s3")" = 2 ] || fail "want two voids, got $(voids "$tmp/s3"): $(tail -n 3 "$tmp/s3.out")"
grep '"type":"approval.voided"' "$tmp/s3/journal.jsonl" | sed -n 1p |
	grep -q '"name":"dana".*"ran_while_valid":\["e.one","e.two"\],"unapproved":\["e.one"\]' ||
	fail "dana's void: $(grep approval.voided "$tmp/s3/journal.jsonl" | sed -n 1p)"
grep '"type":"approval.voided"' "$tmp/s3/journal.jsonl" | sed -n 2p |
	grep -q '"name":"erin".*"ran_while_valid":\["e.one"\],"unapproved":\["e.two"\]' ||
	fail "erin's void: $(grep approval.voided "$tmp/s3/journal.jsonl" | sed -n 2p)"
[ "$failed" = 0 ] && echo "PASS: approval-void-ran"
exit "$failed"
