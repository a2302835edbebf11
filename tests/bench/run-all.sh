#!/bin/sh
# make bench: run each benchmark program, then each script, showing their
# lines as they come; stop at the first that fails to run. Every figure
# with a goal ends in PASS or MISS; the last line counts them.
# Usage: run-all.sh PROGRAM... -- SCRIPT...   (scripts relative to
# REWIND_SRCDIR; REWIND_* set by make)
set -u
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
run() {
	"$@" >"$log.one" 2>&1
	rc=$?
	cat "$log.one"
	cat "$log.one" >>"$log"
	rm -f "$log.one"
	[ "$rc" -eq 0 ] || { echo "bench: $* failed (exit $rc)"; exit 1; }
}
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	run "./$1"
	shift
done
[ $# -gt 0 ] && shift
for s in "$@"; do
	run ${SHELL:-/bin/sh} "${REWIND_SRCDIR:-.}/$s"
done
met=$(grep -c ' PASS$' "$log")
missed=$(grep -c ' MISS$' "$log")
echo "bench: $met met, $missed missed"
