#!/bin/sh
# rewind run (or drill, or approve) given the start of a session's name
# does not resume it, and says why: resuming takes the whole name; the
# sessions that begin so are named, each with the command that resumes
# it. Nothing is journalled. (The start of a name serves to read.)
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

printf 'quit\n' | "$bin" run "$src/tests/fixtures/playbooks/trust.json" \
	--batch --operator olga >"$tmp/walk.out" 2>&1
name=$(ls "$XDG_STATE_HOME/rewind/sessions" | grep '^trust-' | head -n 1)
[ -n "$name" ] || { cat "$tmp/walk.out"; fail "no session"; exit 1; }
J=$XDG_STATE_HOME/rewind/sessions/$name/journal.jsonl
before=$(wc -l <"$J")
prefix=$(printf '%s' "$name" | cut -c1-12)

"$bin" run "$prefix" --batch </dev/null >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
[ "$rc" = 2 ] || fail "rewind run PREFIX: exit $rc, not 2"
grep -qF "rewind run takes a session's whole name" "$tmp/run.err" ||
	fail "rewind run PREFIX does not say resuming takes the whole name: $(cat "$tmp/run.err")"
grep -qxF "  rewind run $name" "$tmp/run.err" ||
	fail "rewind run PREFIX does not name the session that begins so: $(cat "$tmp/run.err")"
grep -q 'No such file' "$tmp/run.err" && fail "a bare 'No such file or directory'"
"$bin" approve --yes "$prefix" p.sign --role 'Release Manager' --as bob \
	>"$tmp/approve.out" 2>"$tmp/approve.err" && fail "rewind approve PREFIX signed"
grep -qxF "  rewind approve $name" "$tmp/approve.err" ||
	fail "rewind approve PREFIX does not name the session: $(cat "$tmp/approve.err")"
[ "$(wc -l <"$J")" = "$before" ] || fail "something was journalled"
# Reading still takes the start of the name.
"$bin" verify "$prefix" >"$tmp/verify.out" 2>&1 ||
	fail "rewind verify PREFIX no longer reads it: $(cat "$tmp/verify.out")"
exit $failed
