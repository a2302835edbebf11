#!/bin/sh
# Fuzz each named target for SECONDS (libFuzzer, a build configured with
# --enable-fuzz) and print one line per target: executions, coverage
# (edges), features, corpus size and findings. libFuzzer runs in fork mode
# and goes on after a finding; every finding is kept as
# fuzz-out/NAME/crash-* (or timeout-*, oom-*, leak-*) to add, minimised,
# to tests/fuzz/corpus/NAME/. The corpus grown while fuzzing stays in
# fuzz-out/NAME/corpus for the next run.
# Usage: fuzz-run.sh SECONDS NAME...
set -u
src=${REWIND_SRCDIR:-.}
build=${REWIND_BUILDDIR:-.}
seconds=${1:?usage: fuzz-run.sh SECONDS NAME...}
shift
status=0
for name in "$@"; do
	bin="$build/tests/fuzz/fuzz_$name"
	out="$build/fuzz-out/$name"
	mkdir -p "$out/corpus"
	# -timeout: one input taking 20 s is a finding (a hang or a regex
	# blow-up); -rss_limit_mb: so is an input needing 2 GB.
	"$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$out/" \
		"$out/corpus" "$src/tests/fuzz/corpus/$name" \
		>"$out/log" 2>&1
	rc=$?
	findings=$(find "$out" -maxdepth 1 -type f \
		\( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
		-o -name 'leak-*' \) | wc -l)
	# The last status line: "#RUNS: cov: C ft: F corp: N exec/s E ...".
	last=$(grep -E '^#[0-9]+' "$out/log" | tail -n 1)
	runs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	echo "fuzz: $name: ${seconds}s, runs ${runs:-?}, cov ${cov:-?}," \
		"ft ${ft:-?}, corpus ${corp:-?}, findings $findings" \
		"(log: $out/log)"
	[ "$findings" -eq 0 ] && [ $rc -eq 0 ] || status=1
done
exit $status
