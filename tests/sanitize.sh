#!/bin/sh
# The unit tests and the fuzz regression built with AddressSanitizer and
# UndefinedBehaviorSanitizer (the system compiler; gcc is fine) in a
# separate build directory, and run with leak detection on. The one
# LeakSanitizer suppression is tests/lsan.supp (a leak inside libgit2).
# Usage: tests/sanitize.sh [BUILD_DIR]   (default: _asan in the source tree)
# Exit 0 when every test passed.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/_asan}
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)

say() { echo "sanitize: $*"; }

# configure refuses a build directory of a source tree configured in
# place; then build from a copy of the distributed sources instead.
mkdir -p "$build"
build=$(cd "$build" && pwd)
if [ -f "$src/config.status" ]; then
	say "source tree is configured in place: copying it (make distdir)"
	rm -rf "$build/src"
	(cd "$src" && make -s distdir distdir="$build/src") >/dev/null
	top="$build/src"
else
	[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh >/dev/null)
	top=$src
fi
mkdir -p "$build/obj"
cd "$build/obj"
if [ ! -f Makefile ]; then
	say "configuring in $build/obj with --enable-sanitizers"
	"$top/configure" -q --enable-sanitizers
fi

# The unit tests (tests/unit/check_*) and the fuzz targets; not the
# console, screen, live or registry tests.
list=$(printf 'print-tests:\n\t@echo $(TESTS)\n' |
	make -s -f Makefile -f - print-tests)
unit=""
for t in $list; do
	case $t in tests/unit/check_*) unit="$unit $t" ;; esac
done
fuzz="tests/fuzz/fuzz_playbook tests/fuzz/fuzz_mdimport \
tests/fuzz/fuzz_journal tests/fuzz/fuzz_registry tests/fuzz/fuzz_http \
tests/fuzz/fuzz_sgr tests/fuzz/fuzz_action tests/fuzz/fuzz_version"
say "building rewind and its keeper (the batch unit tests run them),$unit and the fuzz targets"
make -s -j"$jobs" rewind rewind-keep $unit $fuzz

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export LSAN_OPTIONS="suppressions=$src/tests/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Sanitized code runs slower: give each Check test three times its time.
export CK_TIMEOUT_MULTIPLIER=3
status=0
make -s -j"$jobs" check-TESTS TESTS="$unit tests/fuzz/fuzz-regress.sh" ||
	status=$?
if [ $status -ne 0 ]; then
	tail -n 60 test-suite.log 2>/dev/null || true
fi
find . -name '*.trs' -exec cat {} + 2>/dev/null | awk '
	/^:test-result: PASS/ { p++ }
	/^:test-result: (FAIL|ERROR|XPASS)/ { f++ }
	/^:test-result: SKIP/ { s++ }
	END { printf "sanitize: %d passed, %d failed, %d skipped\n", p, f, s }'
say "took $(( $(date +%s) - start )) s (build directory $build)"
exit $status
