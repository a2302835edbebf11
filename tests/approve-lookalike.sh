#!/bin/sh
# Look-alike letters cannot spoof a name: a Cyrillic "а" in "аlice"
# (a word mixing scripts) is refused in rewind approve --as, batch mode's
# approve and --operator; a name in one other script that looks like the
# operator or an earlier approver (Greek "ΑΝΝΑ" for anna) is refused as
# the same person; a genuine name in one non-Latin script is accepted and
# shown with a marker in the report and replay so no reader takes it for
# ASCII.
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LANG=C.UTF-8
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "approve-lookalike",
  "title": "Who may approve",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "three sign",
        "roles": [ { "role": "Release Manager", "count": 3 } ] }
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

refused_cli() {
	before=$(granted)
	if "$bin" approve "$S" p.sign --role "Release Manager" --as "$1" --yes \
		>"$tmp/out" 2>"$tmp/err"; then
		fail "--as '$1' was accepted: $(cat "$tmp/out")"
		return
	fi
	grep -qF -- "$2" "$tmp/err" ||
		fail "--as '$1': error lacks \"$2\": $(cat "$tmp/err")"
	[ "$(granted)" = "$before" ] || fail "--as '$1' journalled an approval"
}

cyr_a=$(printf '\320\260')		# U+0430 CYRILLIC SMALL LETTER A
# The incident commander's repro: Cyrillic a + "lice".
refused_cli "${cyr_a}lice" \
	"the name mixes scripts in one word (Cyrillic and Latin; U+0430 CYRILLIC SMALL LETTER A at character 1"
# Dotless i and Latin alpha are Latin letters: the skeleton catches them.
refused_cli "$(printf 'al\304\261ce')" "is the same person as the operator, alice"
refused_cli "$(printf '\311\221lice')" "is the same person as the operator, alice"
# All-Cyrillic look-alike of the operator.
refused_cli "$(printf '\320\260\323\217\321\226\321\201\320\265')" \
	"is the same person as the operator, alice"

# A real approver, then a Greek look-alike of her: the same person.
"$bin" approve "$S" p.sign --role "Release Manager" --as anna --yes \
	>"$tmp/out" 2>"$tmp/err" || fail "anna refused: $(cat "$tmp/err")"
refused_cli "$(printf '\316\221\316\235\316\235\316\221')" "is the same person as anna, who already approved as Release Manager"

# Batch mode: the same rules.
printf '%s\n' "approve p.sign \"Release Manager\" \"${cyr_a}lice\"" \
	"approve p.sign \"Release Manager\" \"$(printf 'ANN\316\221')\"" |
	"$bin" drill "$tmp/pb.json" --batch --session-dir "$S" >"$tmp/batch.out" 2>"$tmp/batch.err"
grep -qF 'stdin:1: approve p.sign: the name mixes scripts in one word' "$tmp/batch.err" ||
	fail "batch: mixed scripts not refused: $(cat "$tmp/batch.err")"
grep -qF 'stdin:2: approve p.sign: the name mixes scripts in one word (Latin and Greek' "$tmp/batch.err" ||
	fail "batch: ANNΑ not refused: $(cat "$tmp/batch.err")"
[ "$(granted)" = 1 ] || fail "batch journalled a look-alike approval"

# A genuine name in one other script: accepted, shown with a marker.
olga=$(printf '\320\236\320\273\321\214\320\263\320\260')	# Ольга
"$bin" approve "$S" p.sign --role "Release Manager" --as "$olga" --yes \
	>"$tmp/out" 2>"$tmp/err" || fail "$olga refused: $(cat "$tmp/err")"
"$bin" report "$S" >"$tmp/report.md" 2>"$tmp/report.err" ||
	fail "report failed: $(cat "$tmp/report.err")"
grep -qF "| $olga [Cyrillic letters] |" "$tmp/report.md" ||
	fail "the report's approvals table shows no marker: $(grep -F "$olga" "$tmp/report.md")"
"$bin" replay --print "$S" >"$tmp/replay.out" 2>&1
grep -qF "$olga [Cyrillic letters] approval.granted" "$tmp/replay.out" ||
	fail "replay shows no marker: $(grep -F "$olga" "$tmp/replay.out" | head -3)"

# --operator: a mixed-script operator is refused before a journal exists.
if printf 'quit\n' | "$bin" drill "$tmp/pb.json" --batch \
	--operator "b$(printf '\316\277')b" --session-dir "$tmp/z" >"$tmp/z.out" 2>"$tmp/z.err"; then
	fail "--operator with a Greek omicron inside was accepted"
fi
grep -qF -- '--operator: the name mixes scripts in one word (Latin and Greek; U+03BF GREEK SMALL LETTER OMICRON at character 2' "$tmp/z.err" ||
	fail "--operator: unclear error: $(cat "$tmp/z.err")"
[ -e "$tmp/z/journal.jsonl" ] && fail "a refused --operator left a journal"

# --- Disguises, table-driven, in every direction ----------------------------------
# Capitals fold as their small letters do before look-alikes are mapped
# (İ is i and a dot, Ø is ø), and whole families of Latin letters (small
# capitals, barred, stroked, hooked) read as the plain letter: an approver
# may not pass for the operator nor for an earlier approver, and an
# approver may not take over as the operator while her sign-off covers a
# step still to run.
cat >"$tmp/many.json" <<'JSON'
{
  "id": "approve-disguises",
  "title": "Who may approve",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.many", "kind": "approve", "title": "many sign", "gates": ["execute"],
        "roles": [ { "role": "Release Manager", "count": 40 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
# signed_session DIR: alice's session, where bob, ollie and ilse signed.
signed_session() {
	printf 'tick a.look\nnext\nnext\n' |
		"$bin" drill "$tmp/many.json" --batch --operator alice \
		--session-dir "$1" >"$tmp/prefix.out" 2>&1
	for who in bob ollie ilse; do
		"$bin" approve "$1" p.many --role "Release Manager" --as "$who" \
			--yes >"$tmp/out" 2>"$tmp/err" ||
			fail "$who refused: $(cat "$tmp/err")"
	done
}
T=$tmp/t
signed_session "$T"
TJ=$T/journal.jsonl
tcount() { grep -c "\"type\":\"$1\"" "$TJ"; }

# NAME|DISGUISE, one a line: DISGUISE passes for NAME (alice, the
# operator; bob, ollie and ilse, who signed).
cat >"$tmp/disguises" <<'TABLE'
alice|ALİCE
alice|alİce
alice|Alİce
alice|ᴀʟɪᴄᴇ
alice|AIICE
alice|al1ce
alice|ɑlıce
alice|alɨce
ollie|ØLLIE
ollie|ƟLLIE
ollie|ɵllie
ollie|ᴏʟʟɪᴇ
ollie|0LLIE
ollie|OŁŁIE
bob|bɵb
bob|ʙᴏʙ
bob|ʙob
bob|ƀøɓ
bob|ɃOƁ
bob|BØB
ilse|İLSE
ilse|ɪʟꜱᴇ
ilse|ILSE
ilse|1lse
ilse|ılse
TABLE

# rewind approve --as DISGUISE: refused as the same person, nothing
# granted, the refusal journalled.
while IFS='|' read -r who d; do
	before=$(tcount approval.granted)
	refusals=$(tcount action.refused)
	if [ "$who" = alice ]; then
		want="approve p.many: '$d' is the same person as the operator, alice; an approver must be someone else"
	else
		want="approve p.many: '$d' is the same person as $who, who already approved as Release Manager"
	fi
	if "$bin" approve "$T" p.many --role "Release Manager" --as "$d" --yes \
		>"$tmp/out" 2>"$tmp/err"; then
		fail "--as '$d' signed for $who: $(cat "$tmp/out")"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		fail "--as '$d': error lacks \"$want\": $(cat "$tmp/err")"
	fi
	[ "$(tcount approval.granted)" = "$before" ] || fail "--as '$d' journalled an approval"
	[ "$(tcount action.refused)" -gt "$refusals" ] || fail "--as '$d': the refusal is not journalled"
done <"$tmp/disguises"

# --operator DISGUISE of one who signed: refused, journalled as a refused
# take-over, the operator unchanged (in a session of its own, where only
# bob, ollie and ilse signed).
T=$tmp/u
signed_session "$T"
TJ=$T/journal.jsonl
while IFS='|' read -r who d; do
	[ "$who" = alice ] && continue
	refusals=$(tcount action.refused)
	if printf 'quit\n' | "$bin" drill "$tmp/many.json" --batch --operator "$d" \
		--session-dir "$T" >"$tmp/op.out" 2>&1; then
		fail "--operator '$d' took over from alice though $who signed"
	elif ! grep -qF -- "--operator $d: '$d' is the same person as $who, who approved p.many as Release Manager, and that sign-off covers e.do, not yet run" "$tmp/op.out"; then
		fail "--operator '$d': unclear refusal: $(cat "$tmp/op.out")"
	fi
	[ "$(tcount action.refused)" = $((refusals + 1)) ] ||
		fail "--operator '$d': the refused take-over is not journalled once"
done <"$tmp/disguises"
[ "$(tcount session.operator_changed)" = 0 ] ||
	fail "a disguised approver took over: $(grep operator_changed "$TJ")"
"$bin" verify "$T" >/dev/null || fail "verify failed on the disguises' session"

# --- The commander's try: operator ic; ᴉc, ¡c and ｉｃ are ic, ᏴᎾᏴ and
# bᴑb are bob (who signed). A refusal quotes the name as typed, then
# whom it matches ("'ｉｃ' is the same person as the operator, ic").
T=$tmp/ic
printf 'tick a.look\nnext\nnext\n' |
	"$bin" drill "$tmp/many.json" --batch --operator ic \
	--session-dir "$T" >"$tmp/prefix.out" 2>&1
TJ=$T/journal.jsonl
"$bin" approve "$T" p.many --role "Release Manager" --as bob --yes \
	>"$tmp/out" 2>"$tmp/err" || fail "bob refused: $(cat "$tmp/err")"
cat >"$tmp/ic-disguises" <<'TABLE'
ic|ᴉc
ic|¡c
ic|ｉｃ
ic|𝐢𝐜
ic|ıc
ic|ⅰc
ic|іс
bob|ᏴᎾᏴ
bob|ᏼꮎᏼ
bob|bᴑb
bob|ΒΟΒ
bob|ЬоЬ
bob|𝕓𝕠𝕓
bob|ＢＯＢ
TABLE
while IFS='|' read -r who d; do
	before=$(tcount approval.granted)
	if [ "$who" = ic ]; then
		want="approve p.many: '$d' is the same person as the operator, ic; an approver must be someone else"
	else
		want="approve p.many: '$d' is the same person as bob, who already approved as Release Manager"
	fi
	if "$bin" approve "$T" p.many --role "Release Manager" --as "$d" --yes \
		>"$tmp/out" 2>"$tmp/err"; then
		fail "--as '$d' signed for $who: $(cat "$tmp/out")"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		fail "--as '$d': error lacks \"$want\": $(cat "$tmp/err")"
	fi
	[ "$(tcount approval.granted)" = "$before" ] || fail "--as '$d' journalled an approval"
done <"$tmp/ic-disguises"
# Batch mode quotes the name as typed too.
printf '%s\n' 'approve p.many "Release Manager" "ｉｃ"' |
	"$bin" drill "$tmp/many.json" --batch --session-dir "$T" >"$tmp/batch.out" 2>"$tmp/batch.err"
grep -qF "'ｉｃ' is the same person as the operator, ic" "$tmp/batch.err" ||
	fail "batch: the refusal does not quote ｉｃ as typed: $(cat "$tmp/batch.err")"

# --- An older journal where look-alikes signed: the report says not valid ---------
# (older rewinds let ALİCE sign for operator alice and ʙᴏʙ after bob)
O=$tmp/old
signed_session "$O"
python3 - "$O/journal.jsonl" <<'PY'
import hashlib, json, sys
path = sys.argv[1]
out, prev, seq, extra = [], "0" * 64, 0, []
for raw in open(path, encoding="utf-8").read().splitlines():
    ev = json.loads(raw)
    seq += 1
    ev["seq"], ev["prev"] = seq, prev
    line = json.dumps(ev, ensure_ascii=False, separators=(",", ":"))
    out.append(line)
    prev = hashlib.sha256(line.encode()).hexdigest()
    if ev["type"] == "approval.granted" and ev["payload"]["name"] == "ilse":
        extra = [ev]
for name in ("AL\u0130CE", "\u0299\u1d0f\u0299"):
    ev = json.loads(json.dumps(extra[0]))
    seq += 1
    ev["seq"], ev["prev"], ev["actor"] = seq, prev, name
    ev["payload"]["name"] = name
    line = json.dumps(ev, ensure_ascii=False, separators=(",", ":"))
    out.append(line)
    prev = hashlib.sha256(line.encode()).hexdigest()
open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
"$bin" verify "$O" >"$tmp/oldverify.out" 2>&1 ||
	fail "the older journal does not verify: $(cat "$tmp/oldverify.out")"
"$bin" report "$O" >"$tmp/old.md" 2>"$tmp/old.err" || fail "report failed: $(cat "$tmp/old.err")"
grep -qF "| ALİCE |" "$tmp/old.md" || fail "the report lacks ALİCE's row"
grep -F "| ALİCE |" "$tmp/old.md" | grep -qF "| NOT VALID: 'ALİCE' is the same person as the operator, alice |" ||
	fail "ALİCE's approval is not marked: $(grep -F 'ALİCE' "$tmp/old.md")"
grep -F "| ʙᴏʙ |" "$tmp/old.md" | grep -qF "| NOT VALID: 'ʙᴏʙ' is the same person as bob, who already approved as Release Manager |" ||
	fail "ʙᴏʙ's approval is not marked: $(grep -F 'ʙᴏʙ' "$tmp/old.md")"
grep -qF "Approval not valid: 'ALİCE' is the same person as the operator, alice (p.many, Release Manager)" "$tmp/old.md" ||
	fail "the findings do not name ALİCE's approval: $(sed -n '/Findings/,/^## S/p' "$tmp/old.md")"
grep -F "| bob |" "$tmp/old.md" | grep -q "| valid |" || fail "bob's own approval is not valid"
"$bin" report "$T" >"$tmp/new.md" 2>&1
grep -qF "NOT VALID" "$tmp/new.md" && fail "a clean session's approvals are marked not valid"

"$bin" verify "$S" >/dev/null || fail "verify failed"
[ "$failures" = 0 ] || exit 1
echo "approve look-alikes: mixed scripts refused, skeletons compared (capitals folded first, every small capital and barred letter read plain), other scripts marked"
