#!/bin/sh
# Approver identity cannot be spoofed with spacing or look-alikes: names
# given to `rewind approve --as`, to batch mode's approve and to
# --operator are normalised (blanks trimmed and collapsed, Unicode NFKC)
# and compared case-folded; control and invisible characters and empty
# names are refused with a clear error; the journal holds the normal form.
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LANG=C.UTF-8
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "approve-identity",
  "title": "Who may approve",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "two sign",
        "roles": [ { "role": "Release Manager", "count": 2 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

S=$tmp/s
printf 'tick a.look\nnext\nnext\n' |
	"$bin" drill "$tmp/pb.json" --batch --operator alice --session-dir "$S" \
	>"$tmp/prefix.out" 2>&1
grep -q '"phase":"approve"' "$tmp/prefix.out" ||
	{ cat "$tmp/prefix.out"; echo "FAIL: the prefix did not reach approve"; exit 1; }

granted() { grep -c '"type":"approval.granted"' "$S/journal.jsonl"; }

# refused_cli NAME PATTERN: rewind approve --as NAME fails, saying PATTERN,
# and journals no approval.
refused_cli() {
	before=$(granted)
	if "$bin" approve --yes "$S" p.sign --role "Release Manager" --as "$1" \
		>"$tmp/out" 2>"$tmp/err"; then
		fail "--as '$1' was accepted: $(cat "$tmp/out")"
		return
	fi
	grep -qF -- "$2" "$tmp/err" ||
		fail "--as '$1': error lacks \"$2\": $(cat "$tmp/err")"
	[ "$(granted)" = "$before" ] || fail "--as '$1' journalled an approval"
}

# The operator, under other spacing, case or width.
refused_cli ' alice' "alice is the operator of this session"
refused_cli 'alice ' "alice is the operator of this session"
refused_cli 'ALICE' "'ALICE' is the same person as the operator, alice"
# fullwidth: quoted as typed, then whom it matches
refused_cli "$(printf '\357\275\201\357\275\214\357\275\211\357\275\203\357\275\205')" \
	"'$(printf '\357\275\201\357\275\214\357\275\211\357\275\203\357\275\205')' is the same person as the operator, alice; an approver must be someone else"
# Invisible and control characters, and nothing at all.
refused_cli "$(printf 'ali\342\200\213ce')" \
	"rewind approve: --as: the name has an invisible character (U+200B ZERO WIDTH SPACE) at character 4"
refused_cli "$(printf '\342\200\256ecila')" "U+202E RIGHT-TO-LEFT OVERRIDE"
refused_cli "$(printf 'al\302\255ice')" "U+00AD SOFT HYPHEN"
refused_cli "$(printf 'alice\033[8m')" "control character (U+001B"
refused_cli '' "rewind approve: --as: the name is empty"
refused_cli '   ' "rewind approve: --as: the name is empty"

# A real approver: journalled in the normal form, printed so.
"$bin" approve --yes "$S" p.sign --role "Release Manager" --as '  Dana   Scully ' \
	>"$tmp/out" 2>"$tmp/err" || fail "Dana Scully refused: $(cat "$tmp/err")"
grep -qF 'Dana Scully approved p.sign as Release Manager' "$tmp/out" ||
	fail "rewind approve did not print the normal form: $(cat "$tmp/out")"
grep '"type":"approval.granted"' "$S/journal.jsonl" |
	grep -qF '"actor":"Dana Scully"' || fail "the actor is not the normal form"
grep '"type":"approval.granted"' "$S/journal.jsonl" |
	grep -qF '"name":"Dana Scully"' || fail "the name is not the normal form"
# The same person again, in other case and width: a duplicate.
refused_cli 'dana scully' "'dana scully' is the same person as Dana Scully, who already approved as Release Manager"
refused_cli "$(printf '\357\274\244ana Scully')" "'$(printf '\357\274\244ana Scully')' is the same person as Dana Scully, who already approved as Release Manager"

# Batch mode: the same rule for the approve action (the operator resumes).
printf '%s\n' 'approve p.sign "Release Manager" " alice"' \
	"$(printf 'approve p.sign "Release Manager" "bo\342\200\213b"')" \
	'approve p.sign "Release Manager" "DANA  SCULLY"' |
	"$bin" drill "$tmp/pb.json" --batch --session-dir "$S" >"$tmp/batch.out" 2>"$tmp/batch.err"
grep -qF 'stdin:1: approve p.sign: alice is the operator of this session' "$tmp/batch.err" ||
	fail "batch: ' alice' not refused as the operator: $(cat "$tmp/batch.err")"
grep -qF 'stdin:2: approve p.sign: the name has an invisible character (U+200B ZERO WIDTH SPACE) at character 3' "$tmp/batch.err" ||
	fail "batch: ZWSP not refused: $(cat "$tmp/batch.err")"
grep -qF "stdin:3: approve p.sign: 'DANA  SCULLY' is the same person as Dana Scully, who already approved as Release Manager" "$tmp/batch.err" ||
	fail "batch: 'DANA  SCULLY' not refused as a duplicate: $(cat "$tmp/batch.err")"
[ "$(granted)" = 1 ] || fail "batch journalled a spoofed approval"

# --operator: normalised when a session starts, refused when invisible.
printf 'quit\n' | "$bin" drill "$tmp/pb.json" --batch --operator '  Olga  ' \
	--session-dir "$tmp/o" >"$tmp/o.out" 2>&1
grep '"type":"session.started"' "$tmp/o/journal.jsonl" | grep -qF '"operator":"Olga"' ||
	fail "--operator '  Olga  ' is not journalled as Olga"
if printf 'quit\n' | "$bin" drill "$tmp/pb.json" --batch \
	--operator "$(printf 'ol\342\200\215ga')" --session-dir "$tmp/z" >"$tmp/z.out" 2>"$tmp/z.err"; then
	fail "--operator with a zero-width joiner was accepted"
fi
grep -qF -- '--operator: the name has an invisible character (U+200D ZERO WIDTH JOINER) at character 3' "$tmp/z.err" ||
	fail "--operator: unclear error: $(cat "$tmp/z.err")"
[ -e "$tmp/z/journal.jsonl" ] && fail "a refused --operator left a journal"
printf 'quit\n' | "$bin" drill "$tmp/pb.json" --batch --operator ' ' \
	--session-dir "$tmp/e" >/dev/null 2>"$tmp/e.err" && fail "an empty --operator was accepted"
grep -qF -- '--operator: the name is empty' "$tmp/e.err" ||
	fail "--operator ' ': unclear error: $(cat "$tmp/e.err")"

"$bin" verify "$S" >/dev/null || fail "verify failed"
[ "$failures" = 0 ] || exit 1
echo "approve identity: spacing, case, width and invisible characters cannot spoof a name"
