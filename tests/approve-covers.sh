#!/bin/sh
# rewind approve shows what the sign-off covers as lines (each line
# sanitized, not the newlines between them: no ^J), and a sign-off that
# will be refused (a role the step does not have) shows nothing on stdout
# before the refusal on stderr. The npm workflow path's first sign-off
# names the versions the workflow moves.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "approve-covers",
  "title": "What a sign-off covers",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign",
        "roles": [ { "role": "Release Manager", "count": 1 } ] }
    ] },
    { "id": "execute", "steps": [
      { "id": "e.one", "kind": "run", "title": "first move", "run": "echo one",
        "drill": { "output": ["one"] } },
      { "id": "e.two", "kind": "run", "title": "second move", "run": "echo two",
        "drill": { "output": ["two"] } }
    ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
printf 'tick a.look\nnext\nnext\n' | "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --session-dir "$tmp/s" >"$tmp/prefix" 2>&1

"$bin" approve --yes "$tmp/s" p.sign --role Wrong --as bob >"$tmp/wrong.out" \
	2>"$tmp/wrong.err" </dev/null && fail "a role the step lacks was accepted"
[ -s "$tmp/wrong.out" ] &&
	fail "a refused sign-off printed on stdout first: $(cat "$tmp/wrong.out")"
grep -q 'no role "Wrong"' "$tmp/wrong.err" ||
	fail "the refusal does not name the role: $(cat "$tmp/wrong.err")"

"$bin" approve --yes "$tmp/s" p.sign --role "Release Manager" --as bob \
	>"$tmp/ok.out" 2>"$tmp/ok.err" </dev/null ||
	fail "the sign-off was refused: $(cat "$tmp/ok.err")"
grep -q '\^J' "$tmp/ok.out" && fail "the coverage list shows ^J: $(cat "$tmp/ok.out")"
grep -qx '  e.one  first move' "$tmp/ok.out" &&
	grep -qx '      echo one' "$tmp/ok.out" &&
	grep -qx '  e.two  second move' "$tmp/ok.out" ||
	fail "the coverage list is not one line per step and command: $(cat "$tmp/ok.out")"

# The npm workflow path's first sign-off names the versions it moves (it
# showed none: the workflow's steps name no version in their commands).
sed '/^approve /,$d' "$src/tests/fixtures/walks/npm-dist-tag-rollback-immediate-rollback.walk" |
	"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
		--operator alice --no-real-in-clone --session-dir "$tmp/npm" \
		>"$tmp/npm.prefix" 2>&1
"$bin" approve --yes "$tmp/npm" approve.release-manager --role "Release Manager" \
	--as bob >"$tmp/npm.out" 2>"$tmp/npm.err" </dev/null ||
	fail "the npm sign-off was refused: $(cat "$tmp/npm.err")"
grep -q 'execute.workflow-dispatch .*1\.2\.3 -> 1\.2\.2 on latest' "$tmp/npm.out" ||
	fail "the workflow path's sign-off names no versions: $(cat "$tmp/npm.out")"
# Signing again after a void, when some gated steps already ran or were
# marked n/a: the summary covers what is still to run and what ran but may
# run again (its re-run needs this very sign-off: it was listed as not
# covered), and lists the rest apart, as not covered (it listed every one
# as covered).
cat >"$tmp/void.json" <<'JSON'
{ "id": "void-covers", "title": "A sign-off after some steps ran",
  "variables": { "B": { "prompt": "b", "default": "1" } },
  "phases": [
  { "id": "assess", "steps": [] }, { "id": "decide", "steps": [] },
  { "id": "approve", "steps": [
    { "id": "approve.go", "kind": "approve", "title": "Sign off",
      "roles": [ { "role": "Lead", "count": 1 } ], "gates": ["execute"] } ] },
  { "id": "execute", "steps": [
    { "id": "e.one", "kind": "run", "title": "One", "run": "echo one" },
    { "id": "e.cli", "kind": "run", "title": "CLI check", "run": "echo cli" },
    { "id": "e.two", "kind": "run", "title": "Two", "run": "echo \"$B\"" } ] },
  { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] } ] }
JSON
printf '%s\n' next next 'approve approve.go Lead dana go' next 'run e.one' \
	'na e.cli a library: no command' 'set B 2' quit |
	"$bin" run "$tmp/void.json" --batch --operator olga --session-dir "$tmp/v" \
	>"$tmp/v.prefix" 2>&1
grep -q '"type":"approval.voided"' "$tmp/v/journal.jsonl" ||
	fail "the prefix voided no sign-off: $(tail -3 "$tmp/v.prefix")"
"$bin" approve --yes "$tmp/v" approve.go --role Lead --as erin \
	>"$tmp/v.out" 2>"$tmp/v.err" </dev/null ||
	fail "the second sign-off was refused: $(cat "$tmp/v.err")"
cat >"$tmp/v.want" <<'EOF'
erin signs approve.go as Lead. It covers:
  e.one  One  (done: it runs again only with this sign-off)
      echo one
  e.two  Two
      echo "2"
  Not covered, already done or n/a:
    e.cli  CLI check  (n/a)
EOF
sed -n '1,7p' "$tmp/v.out" | diff "$tmp/v.want" - >"$tmp/v.diff" ||
	fail "the summary does not tell covered from done or n/a: $(cat "$tmp/v.diff")"
# Without a sign-off the done step does not run again: the sign-off is
# what lets it.
printf '%s\n' 'set B 3' 'run e.one' quit |
	"$bin" run "$tmp/v" --batch --operator olga >"$tmp/v2.out" 2>&1
grep -q 'run e.one: it needs the sign-off of approve.go' "$tmp/v2.out" ||
	fail "a re-run of a done step did not need the sign-off: $(tail -3 "$tmp/v2.out")"

[ "$failed" = 0 ] && echo "PASS: approve-covers"
exit "$failed"
