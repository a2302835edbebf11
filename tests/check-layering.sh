#!/bin/sh
# core/ must never depend on curses: no curses header named in a core file,
# and no undefined curses symbol in core/libcore.a.
set -u
src=${REWIND_SRCDIR:-.}
build=${REWIND_BUILDDIR:-.}
fail=0

hits=$(grep -nE '#[[:space:]]*include[[:space:]]*[<"](n?curses(w)?/)?(n?curses|panel|menu|form|term)\.h' \
	"$src"/core/*.c "$src"/core/*.h 2>/dev/null)
if [ -n "$hits" ]; then
	echo "core includes a curses header:"
	echo "$hits"
	fail=1
fi

lib=$(${CC:-cc} -print-file-name=libncursesw.so.6)
[ -f "$lib" ] || lib=$(${CC:-cc} -print-file-name=libncursesw.so)
if [ ! -f "$lib" ]; then
	echo "SKIP: libncursesw shared library not found for the symbol check"
	[ -n "$hits" ] && exit 1
	exit 77
fi
tinfo=$(${CC:-cc} -print-file-name=libtinfo.so.6)
# Strip symbol versions (initscr@@NCURSESW6_5...) so names compare.
for l in "$lib" "$tinfo"; do
	[ -f "$l" ] && nm -D --defined-only "$l"
done | awk '{print $NF}' | sed 's/@.*//' | sort -u >curses-syms.tmp
nm -u "$build/core/libcore.a" | awk '{print $NF}' | sort -u >core-undef.tmp
both=$(comm -12 curses-syms.tmp core-undef.tmp)
rm -f curses-syms.tmp core-undef.tmp
if [ -n "$both" ]; then
	echo "core/libcore.a uses curses symbols: $both"
	fail=1
fi
[ $fail -eq 0 ] && echo "layering: core is free of curses"
exit $fail
