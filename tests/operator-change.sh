#!/bin/sh
# The person who approved cannot become the operator and run what she
# approved: resuming as --operator dana, while dana's sign-off is in force
# on a step not yet run, is refused naming the approval; the refusal is
# journalled (action.refused, with the reason and the login), nothing else.
# Another person may take over: session.operator_changed (from, to) is
# journalled, the report's Operator row names both with their times and
# rewind sessions shows the current one. A journal where an approver ran a
# step she had signed (as older rewinds allowed) is flagged by the report.
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LANG=C.UTF-8
failures=0

fail() { echo "FAIL: operator-change: $*"; failures=$((failures + 1)); }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "operator-change",
  "title": "Who runs what was approved",
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "approve.release-manager", "kind": "approve", "title": "sign",
        "gates": ["execute"],
        "roles": [ { "role": "Release Manager", "count": 1 } ] } ] },
    { "id": "execute", "steps": [
      { "id": "e.push", "kind": "run", "title": "push", "run": "echo pushed",
        "destructive": true, "confirm": "push it" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
S=$tmp/state/rewind/sessions/s
mkdir -p "$tmp/state/rewind/sessions"
J=$S/journal.jsonl
count() { grep -c "\"type\":\"$1\"" "$J"; }
batch() {	# batch NAME OPERATOR: one rewind run with stdin's actions
	"$bin" run "$tmp/pb.json" --batch --operator "$2" --session-dir "$S" \
		>"$tmp/$1.out" 2>&1
}

printf 'next\nnext\nquit\n' | batch prefix alice
"$bin" approve "$S" approve.release-manager --role 'Release Manager' --as dana --yes \
	>"$tmp/approve.out" 2>&1 || fail "dana's approval failed: $(cat "$tmp/approve.out")"
lines=$(wc -l <"$J")

# --- dana, who signed, may not take over while e.push is still to run -------------
printf 'next\nconfirm e.push push it\nrun e.push\nquit\n' | batch dana dana &&
	fail "resuming as dana was accepted: $(cat "$tmp/dana.out")"
grep -qF -- '--operator dana: dana approved approve.release-manager as Release Manager, and that sign-off covers e.push, not yet run' "$tmp/dana.out" ||
	fail "the refusal does not name the approval: $(cat "$tmp/dana.out")"
# The refusal is journalled, as a refused sign-off is: one action.refused
# with the reason, the name and the login that tried; nothing else.
[ "$(wc -l <"$J")" = $((lines + 1)) ] ||
	fail "the refused resume journalled other than its refusal: $(tail -n +$((lines + 1)) "$J")"
refusal=$(tail -n 1 "$J")
case $refusal in *'"type":"action.refused"'*) ;; *) fail "the refused take-over is not journalled: $refusal" ;; esac
for want in '"action":"take-over"' '"name":"dana"' \
	'"reason":"--operator dana: dana approved approve.release-manager as Release Manager' \
	"\"actor\":\"$(id -un)\"" "\"login\":\"$(id -un)\"" '"operator":"alice"'; do
	case $refusal in *"$want"*) ;; *) fail "the refusal lacks $want: $refusal" ;; esac
done
"$bin" replay --print "$S" >"$tmp/replay.out" 2>&1
grep 'action.refused' "$tmp/replay.out" | grep -qF 'action=take-over name=dana' ||
	fail "replay does not tell the refused take-over: $(grep -i refused "$tmp/replay.out")"
lines=$(wc -l <"$J")
[ "$(count step.started)" = 0 ] || fail "dana ran the step she approved"
# ...nor under a look-alike spelling.
printf 'quit\n' | batch dana2 ' DANA' && fail "resuming as ' DANA' was accepted"
grep -qF -- "--operator DANA: 'DANA' is the same person as dana, who approved approve.release-manager" "$tmp/dana2.out" ||
	fail "the refusal of ' DANA' does not say whom it passes for: $(cat "$tmp/dana2.out")"
[ "$(count session.operator_changed)" = 0 ] || fail "a refused resume changed the operator"

# --- erin takes over: journalled, shown -----------------------------------------
printf 'next\nconfirm e.push push it\nrun e.push\nquit\n' | batch erin erin
grep '"type":"session.operator_changed"' "$J" | grep -qF '"from":"alice","to":"erin"' ||
	fail "no session.operator_changed from alice to erin: $(grep operator_changed "$J")"
[ "$(count step.started)" = 1 ] || fail "erin's run did not start"
"$bin" verify "$S" >/dev/null || fail "verify failed after the change"
"$bin" report "$S" >"$tmp/report.md" 2>&1 || fail "report failed"
grep -qE '^\| Operator \| alice \(from [0-9T:-]+Z\), then erin \(from [0-9T:-]+Z\) \|' "$tmp/report.md" ||
	fail "the report's Operator row does not list both: $(grep Operator "$tmp/report.md")"
grep -qF 'the operator changed from alice to erin' "$tmp/report.md" ||
	fail "the report's timeline lacks the change"
"$bin" sessions >"$tmp/sessions.out" 2>&1
grep -E '(^| )s ' "$tmp/sessions.out" | grep -qw erin ||
	fail "rewind sessions does not show the current operator: $(cat "$tmp/sessions.out")"
# Long after the change (the journal's last 16 KB no longer hold it), the
# list still names the current operator.
i=0
while [ $i -lt 120 ]; do
	echo "note a long note to push the change far back from the end of the journal $i"
	i=$((i + 1))
done | { cat; echo quit; } | batch notes erin
[ "$(wc -c <"$J")" -gt 40000 ] || fail "the journal did not grow past the tail read"
"$bin" sessions >"$tmp/sessions.out" 2>&1
grep -E '(^| )s ' "$tmp/sessions.out" | grep -qw erin ||
	fail "rewind sessions forgets a change before the journal's tail: $(cat "$tmp/sessions.out")"
# The same name again: nothing more journalled.
printf 'quit\n' | batch erin2 erin
[ "$(count session.operator_changed)" = 1 ] || fail "a resume as the same operator was journalled as a change"

# --- an old journal where the approver ran the step: flagged ----------------------
O=$tmp/old
cp -r "$S" "$O"
python3 - "$O/journal.jsonl" <<'PY'
import hashlib, json, sys
path = sys.argv[1]
out, prev, seq = [], "0" * 64, 0
for raw in open(path, encoding="utf-8").read().splitlines():
    ev = json.loads(raw)
    if ev["type"] == "session.operator_changed":
        continue                       # older rewinds journalled none
    if ev["type"] in ("step.confirmed", "step.started", "step.finished"):
        ev["actor"] = "dana"           # ...and let the approver run it
    seq += 1
    ev["seq"] = seq
    ev["prev"] = prev
    line = json.dumps(ev, ensure_ascii=False, separators=(",", ":"))
    out.append(line)
    prev = hashlib.sha256(line.encode()).hexdigest()
open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
"$bin" verify "$O" >"$tmp/oldverify.out" 2>&1 || fail "the rewritten journal does not verify: $(cat "$tmp/oldverify.out")"
"$bin" report "$O" >"$tmp/old.md" 2>&1
grep -qF 'Separation of duties broken: dana approved approve.release-manager as Release Manager and then ran e.push as the operator' "$tmp/old.md" ||
	fail "the report does not flag the approver who ran the step: $(sed -n '/Findings/,/^## S/p' "$tmp/old.md")"
grep -qF 'Separation of duties' "$tmp/report.md" && fail "a clean session was flagged"

[ "$failures" = 0 ] || exit 1
echo "operator-change: an approver cannot take over; a change is journalled and shown"
