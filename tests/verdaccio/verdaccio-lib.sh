# A real npm registry (Verdaccio) on loopback for the registry tests.
# Source this file, then: vd_install || skip; vd_start DIR; vd_adduser;
# vd_publish_fixtures; ... ; vd_stop (run it from an EXIT trap).
#
# vd_install puts verdaccio@6.1.6 (with the node-fetch override it needs on
# Node 18/20) into ${XDG_CACHE_HOME:-$HOME/.cache}/rewind-test/verdaccio and
# reuses it afterwards. When the system npm is older than 10 (Debian 12's
# npm 9 fails on the override with "Invalid comparator: cjs"), npm 10 is
# first installed inside that prefix only; the system npm is never touched.
# Measured: first install about 35-60 s (network), reuse < 1 s; start to
# first answer about 1.5-3 s. Verdaccio runs with no uplinks, so it can
# never proxy a request to a public registry.
#
# Variables set: VD_DIR (install prefix), VD_NPM (npm to use), VD_PORT,
# VD_URL (http://127.0.0.1:PORT/), VD_NPMRC (a .npmrc with the registry and
# the token), VD_TOKEN, VD_PID, VD_WORK.

VD_VERSION=6.1.6
VD_DIR=${REWIND_VERDACCIO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rewind-test/verdaccio}
VD_NPM=npm
VD_PID=
VD_WORK=

vd_log() { echo "verdaccio: $*" >&2; }

vd_npm_major() {
	"$1" --version 2>/dev/null | sed -n 's/^\([0-9][0-9]*\)\..*/\1/p'
}

# Pick an npm >= 10: the system one, or one installed inside VD_DIR.
vd_pick_npm() {
	command -v npm >/dev/null 2>&1 || { vd_log "npm not installed"; return 1; }
	major=$(vd_npm_major npm)
	if [ "${major:-0}" -ge 10 ]; then
		VD_NPM=npm
		return 0
	fi
	if [ ! -x "$VD_DIR/npm10/node_modules/.bin/npm" ]; then
		vd_log "system npm is $(npm --version); installing npm 10 into $VD_DIR/npm10"
		mkdir -p "$VD_DIR/npm10" &&
		npm install --prefix "$VD_DIR/npm10" --no-audit --no-fund \
			npm@10 >"$VD_DIR/npm10.log" 2>&1 ||
			{ cat "$VD_DIR/npm10.log" >&2; return 1; }
	fi
	VD_NPM=$VD_DIR/npm10/node_modules/.bin/npm
}

vd_bin() { echo "$VD_DIR/node_modules/.bin/verdaccio"; }

# Install Verdaccio into VD_DIR unless it is already there. Two tests of a
# parallel `make check` may both find it missing on a new machine: the
# first to take the lock installs, the other waits and then reuses it.
vd_install() {
	mkdir -p "$VD_DIR" || return 1
	(
		flock -w 600 9 || { vd_log "another install held $VD_DIR/.lock for 600 s"; exit 1; }
		vd_install_locked
	) 9>"$VD_DIR/.lock" || return 1
	vd_pick_npm	# again in this shell: VD_NPM was set in the subshell
}

vd_install_locked() {
	command -v node >/dev/null 2>&1 || { vd_log "node not installed"; return 1; }
	vd_pick_npm || return 1
	if [ -x "$(vd_bin)" ] &&
	   [ "$("$(vd_bin)" --version 2>/dev/null)" = "v$VD_VERSION" ]; then
		return 0
	fi
	mkdir -p "$VD_DIR" || return 1
	cat >"$VD_DIR/package.json" <<JSON
{
  "name": "rewind-test-verdaccio",
  "version": "1.0.0",
  "private": true,
  "dependencies": { "verdaccio": "$VD_VERSION" },
  "overrides": { "node-fetch": "2.7.0" }
}
JSON
	vd_log "installing verdaccio@$VD_VERSION into $VD_DIR"
	start=$(date +%s)
	(cd "$VD_DIR" && "$VD_NPM" install --no-audit --no-fund \
		>"$VD_DIR/install.log" 2>&1) ||
		{ tail -n 30 "$VD_DIR/install.log" >&2; return 1; }
	vd_log "installed in $(( $(date +%s) - start )) s"
	[ -x "$(vd_bin)" ]
}

# vd_http METHOD URL [JSON]: the body on stdout; fails on errors and on
# statuses >= 400 (python3 rather than the curl program, one less tool).
vd_http() {
	python3 - "$@" <<'PY'
import sys, urllib.request
method, url = sys.argv[1], sys.argv[2]
data = sys.argv[3].encode() if len(sys.argv) > 3 else None
req = urllib.request.Request(url, data=data, method=method,
                             headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=5) as r:
    sys.stdout.write(r.read().decode())
PY
}

vd_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Start Verdaccio with a private config and storage under WORK (created).
vd_start() {
	VD_WORK=$1
	mkdir -p "$VD_WORK/storage" || return 1
	: >"$VD_WORK/htpasswd"
	VD_PORT=$(vd_free_port) || return 1
	VD_URL=http://127.0.0.1:$VD_PORT/
	cat >"$VD_WORK/config.yaml" <<YAML
storage: $VD_WORK/storage
auth:
  htpasswd:
    file: $VD_WORK/htpasswd
    max_users: 100
uplinks: {}
packages:
  '@rewind-private/*':
    access: \$authenticated
    publish: \$authenticated
    unpublish: \$authenticated
  '@*/*':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
  '**':
    access: \$all
    publish: \$authenticated
    unpublish: \$authenticated
server:
  keepAliveTimeout: 60
max_body_size: 100mb
log: { type: stdout, format: pretty, level: warn }
YAML
	"$(vd_bin)" --config "$VD_WORK/config.yaml" \
		--listen "127.0.0.1:$VD_PORT" >"$VD_WORK/verdaccio.log" 2>&1 &
	VD_PID=$!
	vd_wait_ready 30
}

# Wait up to SECS seconds for the registry to answer.
vd_wait_ready() {
	i=0
	while [ "$i" -lt $(( $1 * 20 )) ]; do
		if vd_http GET "${VD_URL}-/ping" >/dev/null 2>&1; then
			return 0
		fi
		kill -0 "$VD_PID" 2>/dev/null ||
			{ cat "$VD_WORK/verdaccio.log" >&2; return 1; }
		sleep 0.05
		i=$((i + 1))
	done
	vd_log "no answer on $VD_URL after $1 s"
	return 1
}

vd_stop() {
	if [ -n "$VD_PID" ]; then
		kill "$VD_PID" 2>/dev/null
		wait "$VD_PID" 2>/dev/null
		VD_PID=
	fi
}

# Create user NAME (password PASS) with the CouchDB user PUT npm's login
# uses, and write VD_NPMRC holding the registry and its token.
vd_adduser() {
	name=${1:-rewind} pass=${2:-rewind-test-pass}
	out=$(vd_http PUT "${VD_URL}-/user/org.couchdb.user:$name" \
		"{\"name\":\"$name\",\"password\":\"$pass\",\"type\":\"user\",\"roles\":[]}") ||
		return 1
	VD_TOKEN=$(printf '%s' "$out" | tr -d '\n' |
		sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')
	[ -n "$VD_TOKEN" ] || { vd_log "no token in: $out"; return 1; }
	VD_NPMRC=$VD_WORK/npmrc
	{
		echo "registry=$VD_URL"
		echo "//127.0.0.1:$VD_PORT/:_authToken=$VD_TOKEN"
	} >"$VD_NPMRC"
	chmod 600 "$VD_NPMRC"
}

# npm against the private registry only, with the private .npmrc.
vd_npm() {
	timeout 120 "$VD_NPM" --userconfig "$VD_NPMRC" --registry "$VD_URL" \
		--no-audit --no-fund --loglevel=error "$@"
}

# Publish package NAME at VERSION from a generated directory, with TAG.
vd_publish() {
	d=$VD_WORK/pkg/$1/$2
	mkdir -p "$d" || return 1
	cat >"$d/package.json" <<JSON
{ "name": "$1", "version": "$2", "description": "rewind test fixture",
  "main": "index.js", "license": "MIT" }
JSON
	echo "module.exports = '$2';" >"$d/index.js"
	(cd "$d" && vd_npm publish --tag "${3:-latest}" >/dev/null)
}

# The fixture set the registry tests expect.
vd_publish_fixtures() {
	vd_publish rewind-fixture 1.2.1 latest &&
	vd_publish rewind-fixture 1.2.2 latest &&
	vd_publish rewind-fixture 1.2.3 latest &&
	vd_publish rewind-fixture 1.3.0-beta.1 beta &&
	vd_npm dist-tag add rewind-fixture@1.3.0-beta.1 canary >/dev/null &&
	vd_npm deprecate rewind-fixture@1.2.1 "1.2.1 leaks file handles; use 1.2.2" >/dev/null &&
	vd_publish @rewind-test/scoped 0.1.0 latest &&
	vd_publish @rewind-test/scoped 0.2.0 latest &&
	vd_publish @rewind-private/secret 1.0.0 latest
}
