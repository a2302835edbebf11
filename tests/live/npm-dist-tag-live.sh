#!/bin/sh
# Live run of playbooks/npm-dist-tag-rollback.json against a real npm
# registry: Verdaccio on 127.0.0.1 (tests/verdaccio/verdaccio-lib.sh, no
# uplinks) holds the playbook's package, mycelicmemory, published with the
# real npm publish: 1.2.1 and 1.2.2 good, 1.2.3 on latest bad (its
# `remember` loses what it stores), 1.3.0-beta.2 on beta, 1.3.0-canary.7
# on canary. Each version carries a small working CLI, so the playbook's
# install, doctor, remember, search and --mcp steps run for real too.
# The test walks the critical-outage path in batch mode with `rewind run`:
# immediate rollback through the workflow, the workflow run fails, the
# release manager approves again and the operator finishes by hand. The
# playbook's own commands run the real `npm dist-tag add` and
# `npm deprecate` against Verdaccio; the test then reads the registry
# itself (npm view, npm dist-tag ls, an HTTP GET of the packument) and
# verifies the journal.
# Stand-ins (first on PATH, this test only, said in the output too): gh,
# for the GitHub steps (release list, issue list, run watch), since GitHub
# cannot be reached from a test. npm login is interactive and needs no
# doing here (the test's .npmrc already holds a token for Verdaccio), so
# that step is marked not applicable with that reason.
# The playbook has no probe steps (its channel checks are npm view
# commands, which run for real here), so no registry probe is involved.
# Prerequisites: node, npm and python3, and Verdaccio installable into the
# cache directory (else SKIP, never under REWIND_REQUIRE_LIVE_TESTS=1 or
# REWIND_REQUIRE_VERDACCIO=1).
LIVE_TEST=npm-dist-tag-live
# verdaccio-lib.sh finds its install cache from the real HOME, so it is
# sourced before livelib.sh points HOME at the test's private directory.
. "${REWIND_SRCDIR:-.}/tests/verdaccio/verdaccio-lib.sh"
. "${REWIND_SRCDIR:-.}/tests/live/livelib.sh"
LIVE_CLEANUP=vd_stop

require_verdaccio() {	# $1 = why it is missing
	if [ "${REWIND_REQUIRE_LIVE_TESTS:-0}" = 1 ] ||
	   [ "${REWIND_REQUIRE_VERDACCIO:-0}" = 1 ]; then
		echo "FAIL: $LIVE_TEST: $1, and a live Verdaccio run is required"
		exit 99
	fi
	echo "SKIP: $LIVE_TEST: $1"
	exit 77
}

for cmd in node npm python3; do
	command -v "$cmd" >/dev/null 2>&1 ||
		require_verdaccio "$cmd is missing (Verdaccio and the playbook need it)"
done
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
# The first install downloads Verdaccio (about a minute): bounded in a
# child shell; the second call only picks up what is now in the cache.
REWIND_VERDACCIO_DIR=$VD_DIR timeout -k 5 600 sh -c \
	'. "$1/tests/verdaccio/verdaccio-lib.sh" && vd_install' sh "$src" \
	>"$LIVE_TMP/vd-install.log" 2>&1 && vd_install >>"$LIVE_TMP/vd-install.log" 2>&1 ||
	{ tail -n 20 "$LIVE_TMP/vd-install.log";
	  require_verdaccio "Verdaccio could not be installed"; }
vd_start "$LIVE_TMP/vd" || fail "Verdaccio did not start"
vd_adduser || fail "could not create a Verdaccio user"
pkg=mycelicmemory

# --- the package: a small memory CLI, broken in 1.2.3 ------------------------
write_cli() {	# $1 = directory, $2 = version, $3 = good or lossy
	cat >"$1/cli.js" <<'JS'
#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const VERSION = require('./package.json').version;
const LOSSY = require('./build.json').lossy;
const home = process.env.MYCELICMEMORY_HOME ||
	path.join(process.env.HOME, '.mycelicmemory');
const store = path.join(home, 'memories.json');

function load() {
	try { return JSON.parse(fs.readFileSync(store, 'utf8')); }
	catch (e) { return []; }
}

function remember(text) {
	const all = load();
	const id = require('crypto').createHash('sha256')
		.update(text + all.length).digest('hex').slice(0, 6);
	all.push({ id: id, text: text });
	fs.mkdirSync(home, { recursive: true });
	if (!LOSSY)
		fs.writeFileSync(store, JSON.stringify(all));
	console.log('Stored memory ' + id + ' (1 tag)');
}

function search(q) {
	const hits = load().filter(m => m.text.includes(q));
	console.log(hits.length + (hits.length === 1 ? ' result' : ' results'));
	hits.forEach(m => console.log(m.id + '  ' + m.text));
	return hits.length ? 0 : 1;
}

function mcp() {
	const rl = readline.createInterface({ input: process.stdin });
	rl.on('line', line => {
		const req = JSON.parse(line);
		const result = req.method === 'initialize'
			? { serverInfo: { name: 'mycelicmemory', version: VERSION } }
			: { tools: ['remember', 'search'] };
		console.log(JSON.stringify({ jsonrpc: '2.0', id: req.id,
					     result: result }));
	});
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === '--version') {
	console.log(VERSION);
} else if (cmd === 'doctor') {
	console.log('mycelicmemory ' + VERSION);
	console.log('config      ok');
	console.log('database    ' + (LOSSY ? 'WRITES DROPPED' : 'ok'));
	console.log(LOSSY ? 'Problems found.' : 'All checks passed.');
	process.exitCode = LOSSY ? 1 : 0;
} else if (cmd === 'remember') {
	remember(arg);
} else if (cmd === 'search') {
	process.exitCode = search(arg);
} else if (cmd === '--mcp') {
	mcp();
} else {
	console.error('usage: mycelicmemory doctor|remember TEXT|search Q|--mcp|--version');
	process.exitCode = 2;
}
JS
	cat >"$1/package.json" <<JSON
{ "name": "$pkg", "version": "$2", "description": "rewind test fixture",
  "bin": { "mycelicmemory": "cli.js" }, "license": "MIT" }
JSON
	if [ "$3" = lossy ]; then lossy=true; else lossy=false; fi
	echo "{ \"lossy\": $lossy }" >"$1/build.json"
}

publish() {	# $1 = version, $2 = dist-tag, $3 = good or lossy
	d=$LIVE_TMP/pkg/$1
	mkdir -p "$d" && write_cli "$d" "$1" "$3" &&
		(cd "$d" && vd_npm publish --tag "$2" >/dev/null) ||
		fail "npm publish $pkg@$1 to Verdaccio failed"
}

publish 1.2.1 latest good
publish 1.2.2 latest good
publish 1.2.3 latest lossy
publish 1.3.0-beta.2 beta good
publish 1.3.0-canary.7 canary good

# --- the operator's environment: npm reads only the test's .npmrc -------------
# The playbook calls plain `npm`: the one verdaccio-lib.sh picked comes first.
mkdir -p "$LIVE_TMP/bin" "$LIVE_TMP/prefix/bin"
[ "$VD_NPM" = npm ] || ln -s "$VD_NPM" "$LIVE_TMP/bin/npm"
unset NPM_CONFIG_REGISTRY npm_config_registry NPM_CONFIG_PREFIX
: >"$LIVE_TMP/globalnpmrc"
export npm_config_userconfig="$VD_NPMRC" \
	npm_config_globalconfig="$LIVE_TMP/globalnpmrc" \
	npm_config_prefix="$LIVE_TMP/prefix" \
	npm_config_cache="$LIVE_TMP/npm-cache" \
	npm_config_update_notifier=false npm_config_audit=false \
	npm_config_fund=false npm_config_loglevel=warn
export PATH="$LIVE_TMP/bin:$LIVE_TMP/prefix/bin:$PATH"
export MYCELICMEMORY_HOME="$LIVE_TMP/memories"

# The stand-in for gh: GitHub cannot be reached from a test. It answers the
# three gh commands the playbook runs, logs its argv, and reports the
# rollback-release run as failed (the scenario this test walks).
cat >"$LIVE_TMP/bin/gh" <<'SH'
#!/bin/sh
echo "$*" >>"$GH_LOG"
case "$1 $2" in
"release list")
	printf 'v1.2.3\tLatest\tv1.2.3\t2026-11-21T14:02:11Z\n'
	printf 'v1.2.2\t\tv1.2.2\t2026-11-12T09:40:55Z\n' ;;
"issue list")
	: ;;
"run watch")
	echo "main Rollback Release 7766554433"
	echo "X rollback in 37s (ID 1122334455)"
	echo "  X Move dist-tag"
	echo "npm ERR! code E401"
	echo "Run Rollback Release (7766554433) completed with 'failure'"
	exit 1 ;;
*)
	echo "gh stand-in: unexpected: $*" >&2
	exit 2 ;;
esac
SH
chmod +x "$LIVE_TMP/bin/gh"
export GH_LOG="$LIVE_TMP/gh.log"
echo "# stand-in: gh (GitHub release list, issue list, run watch), first on PATH, this test only"
echo "# npm login is marked not applicable: the test's .npmrc already holds a Verdaccio token"

# --- before: users on latest get the lossy 1.2.3 -------------------------------
work=$LIVE_TMP/mycelicmemory
mkdir -p "$work" && cd "$work" || exit 99
timeout 120 npm install -g "$pkg@latest" >/dev/null 2>&1 ||
	fail "npm install -g $pkg@latest from Verdaccio failed"
[ "$(timeout 20 mycelicmemory --version)" = 1.2.3 ] ||
	fail "latest does not install 1.2.3 before the rollback"
timeout 20 mycelicmemory remember "lost before the rollback" >/dev/null
timeout 20 mycelicmemory search "lost before" >/dev/null &&
	fail "1.2.3 kept a memory: the broken release is not broken"
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize"}' \
	'{"jsonrpc":"2.0","id":2,"method":"tools/list"}' >test-mcp-commands.json
# The incident report the workflow would have written: after a rollback by
# hand the operator writes it (the playbook says so); communicate shows it.
mkdir -p incidents
printf '# Rollback 1.2.3\n\n- Channel: latest\n- Restored: 1.2.2\n' \
	>incidents/rollback-1.2.3.md

walk=$LIVE_TMP/critical-outage.walk
na_login='na execute.npm-login "the .npmrc of this run already holds a token"'
# A drill's predictions have no place in a live run: left out.
sed -e "s/^run execute\\.npm-login\$/$na_login/" -e '/^predict /d' \
	"$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk" >"$walk"
grep -q '^na execute.npm-login' "$walk" || fail "the walk has no npm login step to mark"
grep -q '^run execute.dist-tag$' "$walk" && grep -q '^run execute.deprecate$' "$walk" ||
	fail "the walk does not run the dist-tag and deprecate steps"

s=$LIVE_TMP/session
live_walk "$src/playbooks/npm-dist-tag-rollback.json" "$s" "$walk"

# --- what the playbook's own commands did and found ---------------------------
for step in assess.latest assess.beta assess.canary assess.package \
	assess.versions assess.releases decide.test-known-issues \
	execute.test-install execute.test-doctor execute.test-remember \
	execute.test-search execute.test-mcp execute.dist-tag \
	execute.dist-tag-check execute.deprecate verify.channel \
	verify.deprecated verify.install verify.version verify.doctor \
	verify.remember verify.search; do
	expect_ran_live "$s" "$step"
done
expect_ran_live "$s" execute.workflow-watch 1
step_finished "$s" assess.latest | grep -q '1\.2\.3' ||
	fail "assess.latest did not read 1.2.3 from the registry"
step_finished "$s" assess.canary | grep -q '1\.3\.0-canary\.7' ||
	fail "assess.canary did not read the canary version"
# The candidate is installed (npm install -g) and tried only after the
# release manager signed off; before it every command only read.
python3 - "$s/journal.jsonl" <<'PY' || fail "a change ran before the release manager's approval"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
granted = next(i for i, e in enumerate(ev) if e["type"] == "approval.granted")
started = [e["step"] for e in ev[:granted] if e["type"] == "step.started"]
assert "execute.test-install" not in started, started
assert all(s.startswith(("assess.", "decide.")) for s in started), started
PY
step_finished "$s" execute.test-mcp | grep -qF '\"version\":\"1.2.2\"' ||
	fail "the MCP check did not talk to the 1.2.2 candidate"
step_finished "$s" verify.deprecated | grep -q 'Critical bug in memory persistence' ||
	fail "verify.deprecated did not print the deprecation"
grep '"type":"step.na".*"step":"execute.npm-login"' "$s.out" |
	grep -q 'already holds a token' ||
	fail "npm login was not marked not applicable with its reason"
grep -q '^run watch --exit-status$' "$GH_LOG" && grep -q '^release list' "$GH_LOG" &&
	grep -q '^issue list --milestone v1.2.2$' "$GH_LOG" ||
	{ cat "$GH_LOG"; fail "the gh stand-in did not see the three GitHub commands"; }

# --- the registry, read by the test itself ---------------------------------------
latest=$(vd_npm view "$pkg@latest" version) || fail "npm view $pkg@latest"
[ "$latest" = 1.2.2 ] || fail "latest is $latest, not 1.2.2"
vd_npm dist-tag ls "$pkg" >"$LIVE_TMP/tags" || fail "npm dist-tag ls"
grep -qx 'latest: 1.2.2' "$LIVE_TMP/tags" && grep -qx 'beta: 1.3.0-beta.2' "$LIVE_TMP/tags" &&
	grep -qx 'canary: 1.3.0-canary.7' "$LIVE_TMP/tags" ||
	{ cat "$LIVE_TMP/tags";
	  fail "the dist-tags are not latest 1.2.2 with beta and canary untouched"; }
vd_http GET "${VD_URL}$pkg" >"$LIVE_TMP/packument.json" || fail "GET ${VD_URL}$pkg"
python3 - "$LIVE_TMP/packument.json" <<'PY' || fail "the packument does not show the rollback"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["dist-tags"]["latest"] == "1.2.2", doc["dist-tags"]
dep = doc["versions"]["1.2.3"].get("deprecated", "")
assert dep == "Critical bug in memory persistence. Please upgrade to latest.", dep
for v in ("1.2.1", "1.2.2", "1.3.0-beta.2"):
    assert "deprecated" not in doc["versions"][v], v
PY
[ "$(timeout 20 mycelicmemory --version)" = 1.2.2 ] ||
	fail "the installed CLI is not 1.2.2 after the rollback"
grep -q "pointed the latest channel back to 1.2.2" "$s/messages/rollback-notice.md" && [ ! -e incidents/rollback-notice.md ] ||
	fail "the rollback notice was not written into the session folder only"
grep -q 'execute.dist-tag' "$s/report.md" ||
	fail "the completed session has no report.md naming the dist-tag step"
"$bin" verify "$s" || fail "rewind verify $s"
echo "npm-dist-tag-live: latest moved 1.2.3 -> 1.2.2 and 1.2.3 deprecated" \
	"for real on Verdaccio 127.0.0.1:$VD_PORT; journal intact"
