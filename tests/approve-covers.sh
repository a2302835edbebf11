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

"$bin" approve "$tmp/s" p.sign --role Wrong --as bob >"$tmp/wrong.out" \
	2>"$tmp/wrong.err" </dev/null && fail "a role the step lacks was accepted"
[ -s "$tmp/wrong.out" ] &&
	fail "a refused sign-off printed on stdout first: $(cat "$tmp/wrong.out")"
grep -q 'no role "Wrong"' "$tmp/wrong.err" ||
	fail "the refusal does not name the role: $(cat "$tmp/wrong.err")"

"$bin" approve "$tmp/s" p.sign --role "Release Manager" --as bob \
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
"$bin" approve "$tmp/npm" approve.release-manager --role "Release Manager" \
	--as bob >"$tmp/npm.out" 2>"$tmp/npm.err" </dev/null ||
	fail "the npm sign-off was refused: $(cat "$tmp/npm.err")"
grep -q 'execute.workflow-dispatch .*1\.2\.3 -> 1\.2\.2 on latest' "$tmp/npm.out" ||
	fail "the workflow path's sign-off names no versions: $(cat "$tmp/npm.out")"
[ "$failed" = 0 ] && echo "PASS: approve-covers"
exit "$failed"
