#!/bin/sh
# rewind approve without --yes reads its "Sign it? [y/N]" answer from
# standard input even when that is not a terminal: a script's "n", any
# other word or no answer at all signs nothing (exit 1, saying so and
# that --yes answers for scripts); only "y" or "yes" signs.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "stdin-answer",
  "title": "An approver's answer",
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign", "gates": ["execute"],
        "roles": [ { "role": "Release Manager", "count": 2 } ] } ] },
    { "id": "execute", "steps": [
      { "id": "e.push", "kind": "run", "title": "push", "run": "echo pushed",
        "destructive": true } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
S=$tmp/s
J=$S/journal.jsonl
printf 'next\nnext\nquit\n' |
	"$bin" run "$tmp/pb.json" --batch --operator alice --session-dir "$S" \
		>"$tmp/walk.out" 2>&1
[ -f "$J" ] || { cat "$tmp/walk.out"; fail "no session"; exit 1; }
granted() { grep -c '"type":"approval.granted"' "$J"; }

# refused ANSWER-BYTES LABEL: piped in, nothing is signed
refused() {
	printf "$1" | "$bin" approve "$S" p.sign --role 'Release Manager' \
		--as erin >"$tmp/$2.out" 2>"$tmp/$2.err"
	rc=$?
	[ "$rc" = 1 ] || fail "$2: exit $rc, not 1: $(cat "$tmp/$2.out" "$tmp/$2.err")"
	[ "$(granted)" = 0 ] || fail "$2: a piped answer that is not yes signed"
	grep -qF 'Sign it? [y/N]' "$tmp/$2.out" ||
		fail "$2: the question was not asked: $(cat "$tmp/$2.out")"
	grep -qF 'not signed' "$tmp/$2.err" && grep -qF -- '--yes' "$tmp/$2.err" ||
		fail "$2: does not say it did not sign and that --yes is for scripts: $(cat "$tmp/$2.err")"
}
refused 'n\n' no
refused 'no\n' no-word
refused 'yeah\n' yeah
refused '' eof
refused 'nyes\n' not-yes

printf 'yes\n' | "$bin" approve "$S" p.sign --role 'Release Manager' \
	--as erin >"$tmp/yes.out" 2>&1 || fail "a piped yes did not sign: $(cat "$tmp/yes.out")"
[ "$(granted)" = 1 ] || fail "a piped yes did not journal the sign-off"
printf ' Y\n' | "$bin" approve "$S" p.sign --role 'Release Manager' \
	--as frank >"$tmp/y.out" 2>&1 || fail "a piped Y did not sign: $(cat "$tmp/y.out")"
[ "$(granted)" = 2 ] || fail "a piped Y did not journal the sign-off"
exit $failed
