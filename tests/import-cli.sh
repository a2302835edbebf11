#!/bin/sh
# rewind import as a user runs it: a binary file (a program, an image)
# copied as x.md is refused with an error naming it and why, and nothing
# is written; the summary says one thing in the singular; the draft of a
# minimal runbook passes `rewind check` with only the draft's warning.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
fail=0
say() { echo "FAIL: $*"; fail=1; }

cp "$bin" "$tmp/x.md"
if "$bin" import "$tmp/x.md" -o "$tmp/x.json" 2>"$tmp/err"; then
	say "a program copied as x.md was imported"
fi
grep -q 'x\.md: not a text file: it holds NUL bytes' "$tmp/err" ||
	say "no clear error for x.md: $(cat "$tmp/err")"
[ -e "$tmp/x.json" ] && say "a draft was written for x.md"

printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\020' >"$tmp/logo.md"
"$bin" import "$tmp/logo.md" >/dev/null 2>"$tmp/err" &&
	say "an image copied as logo.md was imported"
grep -q 'logo\.md: not a text file' "$tmp/err" ||
	say "no clear error for logo.md: $(cat "$tmp/err")"

cat >"$tmp/one.md" <<'MD'
# Web rollback

## Roll back

Roll back now.

Use the last good tag.

```sh
git reset --hard <GOOD_SHA>
```
MD
"$bin" import "$tmp/one.md" -o "$tmp/one.json" 2>"$tmp/sum" ||
	say "import one.md: $(cat "$tmp/sum")"
grep -q '^1 block of prose kept as step notes$' "$tmp/sum" ||
	say "the summary does not say '1 block of prose': $(cat "$tmp/sum")"
grep -q '1 variable, 1 destructive command marked' "$tmp/sum" ||
	say "the summary does not count in the singular: $(cat "$tmp/sum")"
grep -Eq '(^| )1 [a-z]+s ' "$tmp/sum" && say "a plural after 1: $(cat "$tmp/sum")"
"$bin" check --strict "$tmp/one.json" >"$tmp/check" 2>&1
grep ': warning:' "$tmp/check" | grep -v ': draft: warning:' | grep . &&
	say "check warns on one.json beyond the draft"
grep -q ': draft: warning: .* with [0-9]* review points\{0,1\};' "$tmp/check" ||
	say "check does not name the draft's review points: $(cat "$tmp/check")"
grep -q ' 1 review points' "$tmp/check" && say "check says '1 review points'"
[ $fail = 0 ] && echo "import cli: binaries refused, singular counts, check clean"
exit $fail
