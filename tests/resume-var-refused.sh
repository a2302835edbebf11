#!/bin/sh
# A resume refused for a bad --var value (it does not match the
# variable's pattern, or names no variable) writes nothing: no
# session.resumed (nor anything else) is journalled for a resume that
# never opened.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

S=$tmp/s
J=$S/journal.jsonl
printf 'set VERSION 1.2.3\nquit\n' |
	"$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$S" >"$tmp/walk.out" 2>&1
[ -f "$J" ] || { cat "$tmp/walk.out"; fail "no session"; exit 1; }

# refused NAME ARG PATTERN: the resume with --var ARG exits 2 saying
# PATTERN, and the journal is as it was.
refused() {
	before=$(wc -l <"$J")
	printf 'quit\n' | "$bin" run "$S" --batch --var "$2" \
		>"$tmp/$1.out" 2>"$tmp/$1.err"
	rc=$?
	[ "$rc" = 2 ] || fail "$1: exit $rc, not 2: $(cat "$tmp/$1.err")"
	grep -qF "$3" "$tmp/$1.err" || fail "$1: the refusal does not say '$3': $(cat "$tmp/$1.err")"
	[ "$(wc -l <"$J")" = "$before" ] ||
		fail "$1: a refused resume journalled: $(tail -n +$((before + 1)) "$J" | cut -c1-200)"
}
refused pattern VERSION=abc 'does not match pattern'
refused unknown NOPE=1 'declares no variable NOPE'
# A good value still resumes (and is journalled).
# (quit leaves it incomplete: exit 1)
printf 'quit\n' | "$bin" run "$S" --batch --var VERSION=1.2.4 >"$tmp/ok.out" 2>&1
grep -q '"type":"var.set".*"value":"1.2.4"' "$J" ||
	fail "a good --var did not resume: $(cat "$tmp/ok.out")"
grep -c '"type":"session.resumed"' "$J" | grep -qx 1 ||
	fail "the good resume was not journalled once"
exit $failed
