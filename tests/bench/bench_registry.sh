#!/bin/sh
# Benchmark: time from start to a complete registry answer for a package
# with 500 versions, served by the loopback Verdaccio (goal: < 150 ms).
#
# Publishing 500 versions with npm would take minutes, so the package is
# written straight into Verdaccio's storage in its own format (a
# package.json packument in the package's directory) before Verdaccio
# starts; Verdaccio then serves it as it serves any published package.
# The figure is measured inside the driver (process start to the first
# parsed answer: loop, HTTP client, request, transfer, parse), best and
# median of 7 runs after one warm-up.
set -u
src=${REWIND_SRCDIR:-.}
build=${REWIND_BUILDDIR:-.}
dump=$build/tests/verdaccio/regdump
. "$src/tests/verdaccio/verdaccio-lib.sh"

tmp=$(mktemp -d) || exit 99
trap 'vd_stop; rm -rf "$tmp"' EXIT

if [ ! -x "$dump" ]; then
	make -C "$build" tests/verdaccio/regdump >/dev/null || exit 1
fi
if ! vd_install; then
	echo "bench_registry: SKIP (verdaccio could not be installed)"
	exit 0
fi

# 500 versions: 1.0.0 .. 1.19.24 with publish times, two dist-tags and a
# deprecation every 50 versions, shaped as Verdaccio stores packuments.
mkdir -p "$tmp/vd/storage/bench-pkg"
python3 - "$tmp/vd/storage/bench-pkg/package.json" <<'EOF'
import json, sys
versions, time = {}, {}
for i in range(500):
    v = "1.%d.%d" % (i // 25, i % 25)
    versions[v] = {
        "name": "bench-pkg", "version": v,
        "description": "benchmark fixture", "main": "index.js",
        "license": "MIT", "_id": "bench-pkg@" + v,
        "dist": {"shasum": "%040x" % i,
                 "integrity": "sha512-" + "A" * 86 + "==",
                 "tarball": "http://127.0.0.1/bench-pkg/-/bench-pkg-%s.tgz" % v},
        "contributors": [],
    }
    if i % 50 == 0:
        versions[v]["deprecated"] = "version %s is deprecated" % v
    time[v] = "2026-01-01T00:%02d:%02d.000Z" % (i // 60 % 60, i % 60)
time["created"] = time["1.0.0"]
time["modified"] = time["1.19.24"]
doc = {"name": "bench-pkg", "versions": versions, "time": time,
       "users": {}, "dist-tags": {"latest": "1.19.24", "beta": "1.19.20"},
       "_uplinks": {}, "_distfiles": {}, "_attachments": {},
       "_rev": "500-0000000000000000", "_id": "bench-pkg", "readme": ""}
json.dump(doc, open(sys.argv[1], "w"))
EOF
vd_start "$tmp/vd" || { echo "bench_registry: verdaccio did not start"; exit 1; }
url=$VD_URL

run() {
	"$dump" --time --timeout 10 npm bench-pkg "$url" 2>&1 >"$tmp/out" |
		sed -n 's/^first_answer_us //p'
}
run >/dev/null
grep -q '"1.19.24"' "$tmp/out" || { cat "$tmp/out"; echo "bench_registry: no answer"; exit 1; }
n=$(grep -o '"1\.[0-9]*\.[0-9]*":{' "$tmp/out" | wc -l)
[ "$n" = 500 ] || { echo "bench_registry: $n versions, expected 500"; exit 1; }
: >"$tmp/times"
for i in 1 2 3 4 5 6 7; do run >>"$tmp/times"; done
sort -n "$tmp/times" | awk -v bytes="$(wc -c <"$tmp/vd/storage/bench-pkg/package.json")" '
	{ t[NR] = $1 }
	END {
		best = t[1] / 1000; median = t[int((NR + 1) / 2)] / 1000
		printf "bench_registry: 500-version npm package (%d KB packument) " \
		       "from loopback Verdaccio: best %.1f ms, median %.1f ms " \
		       "(goal < 150 ms) %s\n", bytes / 1024, best, median,
		       median < 150 ? "PASS" : "MISS"
	}'
