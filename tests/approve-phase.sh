#!/bin/sh
# rewind approve refuses a sign-off the session cannot take yet (its
# approve step belongs to a later phase) before anything is shown: no
# "It covers", no "Sign it?", only the refusal on standard error, as for
# a role the step does not have.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
printf '%s\n' 'set VERSION 1.2.3' quit |
	"$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$S" >"$tmp/walk.out" 2>&1
[ -f "$S/journal.jsonl" ] || { cat "$tmp/walk.out"; fail "no session"; exit 1; }

if "$bin" approve --yes "$S" p.sign --role 'Release Manager' --as bob \
	>"$tmp/out" 2>"$tmp/err" </dev/null; then
	fail "a sign-off in the assess phase was taken"
fi
[ -s "$tmp/out" ] && fail "something was shown before the refusal: $(cat "$tmp/out")"
grep -q 'belongs to phase approve; the session is in phase assess' "$tmp/err" ||
	fail "the refusal does not say why: $(cat "$tmp/err")"
grep -q '"type":"approval.granted"' "$S/journal.jsonl" &&
	fail "an approval was journalled"
exit $failed
