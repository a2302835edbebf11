#!/bin/sh
# Set up a Debian 12 machine for rewind, build it, and then either run the
# bundled example (default) or the whole test suite (`./bootstrap.sh test`).
# Installs what is missing with apt (as root, or through sudo).
set -eu
cd "$(dirname "$0")"
mode=${1:-demo}

PACKAGES="build-essential autoconf automake pkg-config libncurses-dev \
libgit2-dev libcurl4-openssl-dev libcjson-dev libunistring-dev libicu-dev check tmux \
git python3 ca-certificates"
# What the test suite runs besides rewind: a real npm registry (Verdaccio)
# on loopback, and the shipped playbooks' own commands in the live tests
# (curl for health checks, ss and lsof for ports, ps, python3 -m venv for
# a service's own pip), and ssh-keygen for signed sign-offs. The tests'
# plumbing itself uses python3 only.
TEST_PACKAGES="curl iproute2 lsof procps python3-venv openssh-client"
# A machine that has node and npm from elsewhere keeps them.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	TEST_PACKAGES="$TEST_PACKAGES nodejs npm"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
	missing=""
	for p in $PACKAGES ${1:-}; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "bootstrap: installing:$missing"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends $missing
}

build() {
	[ -x configure ] || ./autogen.sh
	if [ ! -f Makefile ] || [ "${1:-}" = fresh ]; then
		./configure -q --enable-werror
	fi
	make -j"$(nproc)"
}

# The sanitized build of the unit tests and fuzz targets (tests/sanitize.sh).
ASAN_DIR=_asan

# The results of every test case: this build's, then the sanitized one's.
test_results() {
	find . -path "./$ASAN_DIR" -prune -o -name '*.trs' -exec cat {} + \
		2>/dev/null
	[ "$1" = with-sanitized ] || return 0
	find "$ASAN_DIR/obj" -name '*.trs' -exec sed 's/$/ asan/' {} + \
		2>/dev/null
}

summarize_tests() {
	# One closing line a person or CI can read: counts of every test case,
	# those of the sanitized run included (and named).
	test_results "$1" | awk '
		/^:test-result: PASS/ { p++; if ($NF == "asan") a++ }
		/^:test-result: (FAIL|ERROR|XPASS)/ { f++ }
		/^:test-result: SKIP/ { s++ }
		END {
			printf "tests: %d passed, %d failed, %d skipped", p, f, s
			if (a) printf " (%d of them passed under ASan+UBSan)", a
			printf "\n"
		}'
}

run_tests() {
	status=0
	# tmux, node and npm are installed above, so a skipped screen, live
	# or registry test would hide a bug.
	export REWIND_REQUIRE_SCREEN_TESTS=1
	export REWIND_REQUIRE_LIVE_TESTS=1
	export REWIND_REQUIRE_VERDACCIO=1
	make -j"$(nproc)" check || status=$?
	if [ $status -ne 0 ]; then
		cat test-suite.log 2>/dev/null | tail -n 80
	fi
	# The unit tests again, and each fuzz target over its corpus, built
	# with AddressSanitizer and UndefinedBehaviorSanitizer (gcc's: libasan
	# and libubsan come with build-essential), leak detection on. Results
	# of an earlier run are dropped, so none is counted stale.
	[ ! -d "$ASAN_DIR/obj" ] || find "$ASAN_DIR/obj" -name '*.trs' -delete
	tests/sanitize.sh "$ASAN_DIR" || status=1
	summarize_tests with-sanitized
	return $status
}

run_demo() {
	if [ -t 0 ] && [ -t 1 ]; then
		# The console on a drill of the bundled default playbook.
		exec ./rewind
	fi
	# No terminal to draw on: walk the same drill in batch mode instead.
	state=${XDG_STATE_HOME:-$HOME/.local/state}
	dir="$state/rewind/sessions/web-service-$(date -u +%Y%m%dT%H%M%SZ)"
	echo "bootstrap: no terminal; drilling the bundled default" \
		"(playbooks/web-service-rollback.json) in batch mode"
	# The recorded walk reads the same wherever it runs: its read-only
	# steps stay simulated instead of reading a clone of this checkout.
	./rewind drill playbooks/web-service-rollback.json --batch --operator olga \
		--session-dir "$dir" --no-real-in-clone \
		<tests/fixtures/walks/web-service-rollback-full.walk
	./rewind verify "$dir"
	echo "bootstrap: session kept in $dir"
}

case "$mode" in
test)
	install_packages "$TEST_PACKAGES"
	build fresh
	run_tests
	;;
demo)
	install_packages
	build
	run_demo
	;;
*)
	echo "usage: ./bootstrap.sh [demo|test]" >&2
	exit 2
	;;
esac
