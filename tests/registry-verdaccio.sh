#!/bin/sh
# The registry watcher against a real npm registry on loopback (Verdaccio,
# installed into a cache directory on first use, no uplinks): fixture
# versions published with the real npm publish, dist-tags moved with npm
# dist-tag add, a deprecation with npm deprecate. Checks the dist-tags,
# versions and deprecations seen, a dist-tag moved while watching, a scoped
# package, a package only the token can read (and the token never printed
# or cached), the probes' verdicts, and the cached answer shown stale once
# Verdaccio is stopped.
#
# Skips (77) when node/npm are missing or Verdaccio cannot be installed,
# unless REWIND_REQUIRE_VERDACCIO=1.
set -u
src=${REWIND_SRCDIR:-.}
build=${REWIND_BUILDDIR:-.}
dump=$build/tests/verdaccio/regdump
. "$src/tests/verdaccio/verdaccio-lib.sh"

tmp=$(mktemp -d) || exit 99
trap 'vd_stop; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() {
	[ "${REWIND_REQUIRE_VERDACCIO:-0}" = 1 ] && fail "$*"
	echo "SKIP: $*"
	exit 77
}

[ -x "$dump" ] || fail "no $dump (make check builds it)"
vd_install || skip "verdaccio could not be installed (node/npm missing?)"
vd_start "$tmp/vd" || fail "verdaccio did not start"
vd_adduser || fail "could not create a user"
vd_publish_fixtures || fail "npm publish / dist-tag / deprecate failed"

# From here on nothing of the user's own configuration is read: the
# registry and its token come from the test's .npmrc only.
export HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" TZ=UTC
mkdir -p "$HOME"
unset NPM_CONFIG_REGISTRY npm_config_registry
export npm_config_userconfig="$VD_NPMRC"
cd "$tmp" || exit 99

# has FILE PATTERN: the fixed string PATTERN is in FILE
has() { grep -qF -- "$2" "$1" || { cat "$1"; fail "no '$2' in $(basename "$1")"; }; }

"$dump" --timeout 20 --judge latest=1.2.3 --withdrawn 1.2.1 \
	npm rewind-fixture >"$tmp/fixture.out" || fail "no answer for rewind-fixture"
has "$tmp/fixture.out" '"source":"127.0.0.1:'"$VD_PORT"'"'
has "$tmp/fixture.out" '"dist-tags":{"latest":"1.2.3","beta":"1.3.0-beta.1","canary":"1.3.0-beta.1"}'
has "$tmp/fixture.out" '"1.2.1":{"time":"'
has "$tmp/fixture.out" '"deprecated":"1.2.1 leaks file handles; use 1.2.2"'
has "$tmp/fixture.out" '"1.3.0-beta.1":{"time":"'
has "$tmp/fixture.out" 'probe 1 rewind-fixture@latest is 1.2.3 (expected 1.2.3)'
has "$tmp/fixture.out" 'probe 1 rewind-fixture@1.2.1 is deprecated: 1.2.1 leaks'
echo "ok: dist-tags, versions, times and the deprecation seen"

"$dump" --timeout 20 npm @rewind-test/scoped >"$tmp/scoped.out" ||
	fail "no answer for the scoped package"
has "$tmp/scoped.out" '"dist-tags":{"latest":"0.2.0"}'
has "$tmp/scoped.out" '"0.1.0":{"time":"'
echo "ok: scoped package"

"$dump" --timeout 20 npm @rewind-private/secret >"$tmp/private.out" ||
	fail "no answer for the private package"
has "$tmp/private.out" '"dist-tags":{"latest":"1.0.0"}'
grep -v '_authToken' "$VD_NPMRC" >"$tmp/notoken.npmrc"
npm_config_userconfig="$tmp/notoken.npmrc" "$dump" --timeout 20 \
	npm @rewind-private/secret >"$tmp/denied.out"
grep -q '"error":"127.0.0.1:[0-9]*: HTTP 40[13]' "$tmp/denied.out" ||
	{ cat "$tmp/denied.out"; fail "reading the private package without the token did not fail"; }
echo "ok: the token from .npmrc is what lets the private package be read"

# Move latest back to 1.2.2 while a watcher (refresh 300 ms) is running.
"$dump" --refresh 300 --until latest=1.2.2 --timeout 20 \
	--cache "$tmp/cache/rewind/registry" --judge latest=1.2.2 \
	npm rewind-fixture >"$tmp/watch.out" 2>&1 &
watcher=$!
i=0
while [ ! -s "$tmp/watch.out" ] && [ $i -lt $((200 * ${REWIND_TEST_SLACK:-5})) ]; do sleep 0.05; i=$((i + 1)); done
has "$tmp/watch.out" '"latest":"1.2.3"'
moved=$(date +%s%N)
vd_npm dist-tag add rewind-fixture@1.2.2 latest >/dev/null || fail "npm dist-tag add"
wait "$watcher" || { cat "$tmp/watch.out"; fail "the watcher did not see latest move to 1.2.2"; }
seen=$(date +%s%N)
has "$tmp/watch.out" '"latest":"1.2.2"'
has "$tmp/watch.out" 'probe 1 rewind-fixture@latest is 1.2.2 (expected 1.2.2)'
echo "ok: dist-tag moved with npm dist-tag add seen in $(( (seen - moved) / 1000000 )) ms"

# Verdaccio stopped: the cached answer shows, stale, with the fault.
vd_stop
"$dump" --timeout 20 --cache "$tmp/cache/rewind/registry" \
	--judge latest=1.2.2 npm rewind-fixture >"$tmp/stale.out" ||
	fail "no answer with verdaccio stopped"
has "$tmp/stale.out" '"stale":true'
has "$tmp/stale.out" '"error":"127.0.0.1:'"$VD_PORT"': '
has "$tmp/stale.out" '"latest":"1.2.2"'
has "$tmp/stale.out" 'probe -1 the registry answer for rewind-fixture is stale'
echo "ok: stopped registry: last good answer shown stale"

for f in "$tmp"/*.out "$tmp"/cache/rewind/registry/*; do
	grep -qF -- "$VD_TOKEN" "$f" && fail "the token leaked into $(basename "$f")"
done
[ "$(stat -c %a "$tmp"/cache/rewind/registry/*.json | sort -u)" = 600 ] ||
	fail "cache files are not 0600"
echo "ok: the token appears in no output and no cache file"
echo "registry-verdaccio: all checks passed"
