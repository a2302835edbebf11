#!/bin/sh
# rewind approve's --role follows the rule of approvers' names: blanks
# trimmed and collapsed, NFKC and case do not matter; the sign-off is
# echoed and journalled under the role as the playbook writes it, never as
# typed.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
printf '%s\n' 'set VERSION 1.2.3' 'run a.wide' 'confirm a.tag 1.2.3' 'run a.tag' \
	'choose a.route a route a only' 'tick a.look' next next |
	"$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$S" >"$tmp/walk.out" 2>&1
grep -q '"to":"approve"' "$S/journal.jsonl" ||
	{ cat "$tmp/walk.out"; fail "the walk did not reach the approve phase"; exit 1; }

"$bin" approve "$S" p.sign --role '  release   MANAGER ' --as bob --yes \
	>"$tmp/approve.out" 2>&1 || fail "the sign-off was refused: $(cat "$tmp/approve.out")"
grep -qx "$S: bob approved p.sign as Release Manager" "$tmp/approve.out" ||
	fail "the role is not echoed as the playbook writes it: $(cat "$tmp/approve.out")"
grep -q 'bob signs p.sign as Release Manager\.' "$tmp/approve.out" ||
	fail "what the sign-off covers names the role as typed: $(cat "$tmp/approve.out")"
grep '"type":"approval.granted"' "$S/journal.jsonl" | grep -q '"role":"Release Manager"' ||
	fail "the approval is not journalled under the playbook's role"
grep -c 'MANAGER' "$S/journal.jsonl" | grep -qx 0 ||
	fail "the role as typed reached the journal"
exit $failed
