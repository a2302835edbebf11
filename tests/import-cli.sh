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
# A confirmation names what its step acts on: twin rollbacks of two
# objects ask different texts; one with no target is a review point on
# its line, and `rewind check` warns on it.
cat >"$tmp/twin.md" <<'MD'
# Shop rollback

## Roll back

```sh
kubectl -n shop rollout undo deployment/cart --to-revision=<REVISION>
kubectl -n shop rollout undo deployment/pay --to-revision=<REVISION>
```

```sh
kubectl apply -f -
```
MD
"$bin" import "$tmp/twin.md" -o "$tmp/twin.json" 2>/dev/null ||
	say "import twin.md failed"
grep -q '"confirm":[[:space:]]*"deployment/cart ${REVISION}"' "$tmp/twin.json" &&
grep -q '"confirm":[[:space:]]*"deployment/pay ${REVISION}"' "$tmp/twin.json" ||
	say "twin rollbacks do not confirm their deployments: $(grep confirm "$tmp/twin.json")"
tr -d '\n\t' <"$tmp/twin.json" | grep -q '"line":[[:space:]]*11,[^}]*"kubectl apply\\" names no target' ||
	say "no review point on line 11 for the confirmation naming no target"
"$bin" check "$tmp/twin.json" >"$tmp/check" 2>&1
grep -q 'confirm: warning: the confirmation "kubectl apply" names no variable and no word of the command.s arguments' "$tmp/check" ||
	say "check does not warn on the confirmation naming no target: $(cat "$tmp/check")"
[ $fail = 0 ] && echo "import cli: binaries refused, singular counts, check clean"
exit $fail
