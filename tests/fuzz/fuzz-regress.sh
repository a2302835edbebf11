#!/bin/sh
# Run each fuzz target once over every file of its corpus
# (tests/fuzz/corpus/NAME/: the seeds and the reproducer of every finding).
# Not fuzzing: a regression run of a few seconds, with the driver of the
# normal build or with libFuzzer (which runs files given by name once).
# Findings not fixed yet are listed in tests/fuzz/known/LIST: each must
# still fail, and one that passes fails the run until it moves into the
# corpus.
# Usage: fuzz-regress.sh [NAME...]   (default: every target)
set -u
src=${REWIND_SRCDIR:-.}
build=${REWIND_BUILDDIR:-.}
names=${*:-playbook mdimport journal registry http sgr action version}
status=0
for name in $names; do
	bin="$build/tests/fuzz/fuzz_$name"
	dir="$src/tests/fuzz/corpus/$name"
	if [ ! -x "$bin" ]; then
		echo "fuzz-regress: $bin is not built" >&2
		status=1
		continue
	fi
	set -- "$dir"/*
	if [ ! -e "$1" ]; then
		echo "fuzz-regress: $dir holds no input" >&2
		status=1
		continue
	fi
	log="$build/tests/fuzz/regress-$name.log"
	if "$bin" "$@" >"$log" 2>&1; then
		echo "fuzz-regress: $name: $# inputs, no finding"
	else
		rc=$?
		echo "fuzz-regress: $name: FINDING (exit $rc); last lines of $log:"
		tail -n 25 "$log"
		status=1
	fi
done

# Whether this build turns memory errors and undefined behaviour into
# crashes (make passes the compiler flags in CFLAGS).
case "${CFLAGS:-}" in
*-fsanitize=*) sanitized=yes ;;
*) sanitized=no ;;
esac
known="$src/tests/fuzz/known"
grep -v '^#' "$known/LIST" 2>/dev/null | { bad=0
while read -r name file needs what; do
	case " $names " in *" $name "*) ;; *) continue ;; esac
	if [ "$needs" = sanitizers ] && [ $sanitized = no ]; then
		echo "fuzz-regress: $name: known finding $file needs a" \
			"sanitizer build (tests/sanitize.sh); not run"
		continue
	fi
	# (A subshell, so the crash it expects is not announced.)
	if ("$build/tests/fuzz/fuzz_$name" "$known/$file"; exit $?) \
		>/dev/null 2>&1; then
		echo "fuzz-regress: $name: known finding $file now passes:" \
			"move it to tests/fuzz/corpus/$name/ and delete its" \
			"line in tests/fuzz/known/LIST"
		bad=1
		continue
	fi
	echo "fuzz-regress: $name: known finding $file still fails" \
		"(not fixed here yet: $what)"
done
exit $bad; } || status=1
exit $status
