#!/bin/sh
# Every header compiles on its own (self-contained), with the project flags.
set -u
src=${REWIND_SRCDIR:-.}
build=${REWIND_BUILDDIR:-.}
cc=${CC:-cc}
fail=0
n=0
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cflags=$(pkg-config --cflags libcjson libgit2 libcurl 2>/dev/null)
for h in "$src"/core/*.h "$src"/tui/*.h; do
	[ -f "$h" ] || continue
	n=$((n + 1))
	printf '#include "%s"\n#include "%s"\n' "$h" "$h" >"$tmp/t.c"
	if ! $cc -std=c11 -D_GNU_SOURCE -Wall -Werror $cflags -I"$src/core" \
		-I"$build" -fsyntax-only "$tmp/t.c" 2>"$tmp/err"; then
		echo "header not self-contained: $h"
		cat "$tmp/err"
		fail=1
	fi
done
# No header found (a wrong REWIND_SRCDIR) is no pass.
[ $n -gt 0 ] || { echo "FAIL: no header found in $src/core or $src/tui"; fail=1; }
[ $fail -eq 0 ] && echo "headers: $n compile alone and twice"
exit $fail
