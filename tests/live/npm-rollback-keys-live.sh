#!/bin/sh
# The whole shipped npm dist-tag rollback (playbooks/npm-dist-tag-rollback.json)
# walked in the real console, by keys only (no --batch), against a real
# npm registry: Verdaccio on 127.0.0.1 (tests/verdaccio/verdaccio-lib.sh,
# no uplinks) holding mycelicmemory 1.2.1, 1.2.2 and a lossy 1.2.3 on
# latest, plus beta and canary. The incident commander (olga):
# - assess: reads what the registry serves (the playbook's npm view
#   steps, run for real), names the bad version, the channel, the kind of
#   problem, severity and impact;
# - decide: takes the matrix's recommendations, rolls back by hand,
#   types the restore version, tests the candidate (installed from
#   Verdaccio and run);
# - approve: waits while the release manager (dana) signs off from a
#   second terminal with `rewind approve`; the console notices;
# - execute: confirms `npm dist-tag add` by typing the version. A slow
#   stand-in for npm, first on PATH, holds that one command until the test
#   lets it go, and the test SIGKILLs the console (its own rewind, found
#   as the child of the tmux pane's shell) while it runs. The same command
#   line again: the console says it resumed, the step is interrupted
#   (outcome unknown), its process still runs from the dead console and
#   Enter refuses a second copy. The commander waits for it (stopping a
#   registry write half way would tell nothing more), the test lets it
#   finish, the console sees it end; the commander then checks what the
#   registry serves (execute.dist-tag-check, npm view) before anything
#   else, finds latest already on 1.2.2 and marks the interrupted step
#   not applicable with that reason instead of moving the tag a second
#   time; deprecates 1.2.3 (confirmed by typing);
# - verify and communicate: every check run or ticked, the notice sent,
#   the session complete.
# Then the test itself: `npm view mycelicmemory dist-tags` on Verdaccio
# shows latest back on 1.2.2 (beta and canary untouched), the stand-in's
# counter shows `npm dist-tag add` ran exactly once, the journal holds one
# step.started for it and verifies.
# Stand-ins (first on PATH, this test only): gh (GitHub cannot be reached
# from a test) and the slow npm wrapper (which execs the real npm).
# Prerequisites: tmux, node, npm, python3 and Verdaccio installable into
# the cache directory (else SKIP, never under REWIND_REQUIRE_LIVE_TESTS=1,
# REWIND_REQUIRE_VERDACCIO=1 or REWIND_REQUIRE_SCREEN_TESTS=1).
#
# Everything the test expects to see on the screen is in the block
# "screen expectations" below, matched loosely (key words), so a change of
# wording or layout is adjusted there. Steps are found by the id line of
# the step pane (j/k until it shows), never by counting rows.

# The Verdaccio install (first time about a minute) and the walk of ~60
# steps: the hang guard is longer than a screen test's.
: "${REWIND_TEST_SLACK:=5}"
: "${SCREEN_TIMEOUT:=$((240 * REWIND_TEST_SLACK))}"
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/verdaccio/verdaccio-lib.sh"

# --- screen expectations (ERE, matched against any row) -------------------------
# The step pane's id line: "ID  KIND  STATE" (STATE: open, running, done,
# n/a, interrupted...).
x_id_line() {	# ID [STATE]: a pattern for the id line of ID (in STATE)
	printf '(^|[│ ])%s  +[a-z]+  +%s' "$(printf '%s' "$1" | sed 's/\./\\./g')" \
		"${2:-}"
}
X_PHASE_ON='▶ %s'			# printf: the rail marks the current phase
X_ASSESS_READ='│ ?1\.2\.3$'		# assess.latest's output row, in the step pane
X_DECIDE_SEL='▸ %s'			# printf: the selected option of a decide dialog
# The matrix's pick: the dialog says it recommends one (the mark itself,
# "(recommended)" beside the option, is cut off at 80-odd columns today;
# with the wider decision dialog '▸ %s.*recommended' can be used).
X_RECOMMENDED='recommend'		# printf: the option (unused today)
X_WHY='Why this option'			# the reason asked after a choice
X_INPUT_PATTERN='Must match'		# an input dialog
X_NA_ASKED='Why does this step'		# the n/a dialog
X_GATE_SHUT='approve'			# '>' refused: the status line names the phase
X_REMOTE_APPROVED='another terminal'	# status line after `rewind approve`
X_APPROVER='dana'			# the approver's name on the approve step
X_CONFIRM_ASK='Type 1\.2\.2 to run it'	# the typed confirmation of dist-tag add
X_CONFIRM_DEPRECATE='Type 1\.2\.3 to run it'
X_RESUMED='RESUMED'			# the banner after the restart
X_ORPHAN_RUNS='still running from the previous console, pid %s'	# printf: pid
X_INTERRUPTED='interrupted — outcome unknown'
X_CHECK_FIRST='[Cc]heck what it did before running it again'
X_NO_SECOND='not starting a second copy'
X_CHANNEL_READ='│ ?1\.2\.2$'		# dist-tag-check's output row (not the header's → 1.2.2)
X_PREVIEW='Enter sends this message'	# the message preview
X_COMPLETE='COMPLETE'			# the rail at the end
X_EXIT_LINE='session complete'		# printed after q

# send_preview ID: send the previewed message (the preview is open):
# Enter; when the preview wants to be read to its end before it sends,
# scroll down (Down) and Enter again.
send_preview() {	# ID
	n=0
	until screen_text | grep -qE -- "$(x_id_line "$1" done)"; do
		[ "$n" -lt 20 ] || fail "the message $1 was not sent after 20 tries"
		screen_text | grep -qE -- "$X_PREVIEW" || keys Enter	# open it again
		keys Enter
		screen_text | grep -qE -- "$X_PREVIEW" &&
			keys Down Down Down Down Down Down Down Down Down Down
		n=$((n + 1))
	done
}

# --- prerequisites ----------------------------------------------------------------
LIVE_TEST=$SCREEN_TEST
require_verdaccio() {	# $1 = why it is missing
	if [ "${REWIND_REQUIRE_LIVE_TESTS:-0}" = 1 ] ||
	   [ "${REWIND_REQUIRE_VERDACCIO:-0}" = 1 ] ||
	   [ "${REWIND_REQUIRE_SCREEN_TESTS:-0}" = 1 ]; then
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
T=$SCREEN_TMP
REWIND_VERDACCIO_DIR=$VD_DIR timeout -k 5 600 sh -c \
	'. "$1/tests/verdaccio/verdaccio-lib.sh" && vd_install' sh "$REWIND_SRCDIR" \
	>"$T/vd-install.log" 2>&1 && vd_install >>"$T/vd-install.log" 2>&1 ||
	{ tail -n 20 "$T/vd-install.log";
	  require_verdaccio "Verdaccio could not be installed"; }
real_npm=$(command -v "$VD_NPM") || require_verdaccio "no npm to run"

# No stand-in and no registry outlives the test, whatever happens to it.
stop_all() {
	status=$?	# the test's, for _screen_cleanup
	for p in $(cat "$T/npm-stub.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	vd_stop
	return "$status"
}
trap 'stop_all; _screen_cleanup' EXIT

vd_start "$T/vd" || fail "Verdaccio did not start"
vd_adduser || fail "could not create a Verdaccio user"
pkg=mycelicmemory

# --- the package: a tiny memory CLI, lossy in 1.2.3 -------------------------------
write_cli() {	# DIR VERSION LOSSY(true|false)
	cat >"$1/cli.js" <<'JS'
#!/usr/bin/env node
'use strict';
const fs = require('fs'), path = require('path');
const VERSION = require('./package.json').version;
const LOSSY = require('./build.json').lossy;
const home = process.env.MYCELICMEMORY_HOME || path.join(process.env.HOME, '.mycelicmemory');
const store = path.join(home, 'memories.json');
const load = () => { try { return JSON.parse(fs.readFileSync(store, 'utf8')); } catch (e) { return []; } };
const [cmd, arg] = process.argv.slice(2);
if (cmd === '--version') {
	console.log(VERSION);
} else if (cmd === 'doctor') {
	console.log('mycelicmemory ' + VERSION);
	console.log('database    ' + (LOSSY ? 'WRITES DROPPED' : 'ok'));
	process.exitCode = LOSSY ? 1 : 0;
} else if (cmd === 'remember') {
	const all = load();
	all.push({ id: String(all.length), text: arg });
	fs.mkdirSync(home, { recursive: true });
	if (!LOSSY) fs.writeFileSync(store, JSON.stringify(all));
	console.log('Stored memory ' + (all.length - 1));
} else if (cmd === 'search') {
	const hits = load().filter(m => m.text.includes(arg));
	hits.forEach(m => console.log(m.id + '  ' + m.text));
	process.exitCode = hits.length ? 0 : 1;
} else if (cmd === '--mcp') {
	require('readline').createInterface({ input: process.stdin }).on('line', l => {
		const req = JSON.parse(l);
		console.log(JSON.stringify({ jsonrpc: '2.0', id: req.id,
			result: { serverInfo: { name: 'mycelicmemory', version: VERSION } } }));
	});
} else {
	process.exitCode = 2;
}
JS
	cat >"$1/package.json" <<JSON
{ "name": "$pkg", "version": "$2", "description": "rewind test fixture",
  "bin": { "mycelicmemory": "cli.js" }, "license": "MIT" }
JSON
	echo "{ \"lossy\": $3 }" >"$1/build.json"
}
publish() {	# VERSION TAG LOSSY
	d=$T/pkg/$1
	mkdir -p "$d" && write_cli "$d" "$1" "$3" &&
		(cd "$d" && vd_npm publish --tag "$2" >/dev/null) ||
		fail "npm publish $pkg@$1 to Verdaccio failed"
}
publish 1.2.1 latest false
publish 1.2.2 latest false
publish 1.2.3 latest true
publish 1.3.0-beta.2 beta false
publish 1.3.0-canary.7 canary false

# --- stand-ins, first on PATH ---------------------------------------------------
mkdir -p "$T/bin" "$T/prefix/bin"
# npm: `npm dist-tag add` counts itself, records its pid, says so and
# waits (quietly: its console may be gone, and with it the pipe) for the
# go-file the test creates, then becomes the real npm. Anything else is
# the real npm at once.
cat >"$T/bin/npm" <<STUB
#!/bin/sh
if [ "\$1 \$2" = "dist-tag add" ]; then
	echo \$\$ >>"$T/npm-stub.pids"
	echo "\$*" >>"$T/dist-tag-add.count"
	echo "npm stand-in: holding 'npm \$*' until the test lets it go"
	n=0
	while [ ! -e "$T/go" ] && [ "\$n" -lt 3000 ]; do
		sleep 0.1
		n=\$((n + 1))
	done
fi
exec "$real_npm" "\$@"
STUB
cat >"$T/bin/gh" <<'SH'
#!/bin/sh
case "$1 $2" in
"release list")
	printf 'v1.2.3\tLatest\tv1.2.3\t2026-11-21T14:02:11Z\n'
	printf 'v1.2.2\t\tv1.2.2\t2026-11-12T09:40:55Z\n' ;;
"issue list") : ;;
*) echo "gh stand-in: unexpected: $*" >&2; exit 2 ;;
esac
SH
chmod +x "$T/bin/npm" "$T/bin/gh"
: >"$T/globalnpmrc"

# The console's environment (libscreen's hermetic one plus these words):
# npm reads only the test's .npmrc, installs into the test's prefix.
APP_ENV="PATH=$T/bin:$T/prefix/bin:/usr/local/bin:/usr/bin:/bin
npm_config_userconfig=$VD_NPMRC npm_config_globalconfig=$T/globalnpmrc
npm_config_prefix=$T/prefix npm_config_cache=$T/npm-cache
npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
npm_config_loglevel=warn MYCELICMEMORY_HOME=$T/memories"
APP_DIR=$T/work
SESSION_DIR=$T/session
mkdir -p "$APP_DIR/incidents" || fail "mkdir $APP_DIR"
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize"}' \
	>"$APP_DIR/test-mcp-commands.json"
printf '# Rollback 1.2.3\n\n- Channel: latest\n- Restored: 1.2.2\n' \
	>"$APP_DIR/incidents/rollback-1.2.3.md"

# --- walking helpers (keys only) ----------------------------------------------------

# goto_step ID: select ID in the checklist: j down until the step pane
# shows its id line; from the top (g) when it is not below.
goto_step() {
	pat=$(x_id_line "$1")
	screen_text | grep -qE -- "$pat" && return 0
	for from in here top; do
		[ "$from" = top ] && keys g
		n=0
		while [ "$n" -lt 80 ]; do
			screen_text | grep -qE -- "$pat" && return 0
			before=$(screen_text | sed 1d)	# (the header's clock ticks)
			keys j
			[ "$(screen_text | sed 1d)" = "$before" ] && break	# the end of the list
			n=$((n + 1))
		done
	done
	fail "goto_step: no step pane showing $1"
}

# wait_state ID STATE [SECS]: until the step pane says ID is in STATE.
wait_state() {
	wait_text "$(x_id_line "$1" "$2")" "${3:-10}"
}

run_step() {	# ID: Enter; it must end done
	goto_step "$1"
	keys Enter
	wait_state "$1" done 60
}
tick_step() {	# ID
	goto_step "$1"
	keys Space
	wait_state "$1" done
}
na_step() {	# ID REASON
	goto_step "$1"
	keys x
	# a required step is asked about first
	wait_text "$X_NA_ASKED|Mark required step"
	screen_text | grep -q 'Mark required step' && keys y && wait_text "$X_NA_ASKED"
	type_text "$2"
	keys Enter
	wait_state "$1" 'n/a'
}
input_step() {	# ID VALUE
	goto_step "$1"
	keys Enter
	wait_text "$X_INPUT_PATTERN"
	keys C-u
	type_text "$2"
	keys Enter
	wait_state "$1" done
}
decide_step() {	# ID OPTION REASON [recommended]
	goto_step "$1"
	keys Enter
	sel=$(printf "$X_DECIDE_SEL" "$2")
	n=0
	until screen_text | grep -qE -- "$sel"; do
		[ "$n" -lt 10 ] || fail "decide $1: option $2 never selected"
		keys Down
		n=$((n + 1))
	done
	[ "${4:-}" != recommended ] ||
		assert_text "$(printf "$X_RECOMMENDED" "$2")" "decide $1: $2 is not the recommended option"
	keys Enter
	wait_text "$X_WHY"
	type_text "$3"
	keys Enter
	wait_state "$1" done
}
next_phase() {	# PHASE: '>' must open it
	keys '>'
	wait_text "$(printf "$X_PHASE_ON" "$1")"
}

# The pid of rewind in the pane: the child of the pane's shell (never
# looked up by name across the machine: other tests run rewind too).
# Whether process PID runs (a zombie does not).
running() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}
# wait_for WHAT CONDITION [SECS]: poll the shell condition (10 s default,
# times the slack); fail saying WHAT was awaited.
wait_for() {
	limit=$(( ${3:-10} * 100 * REWIND_TEST_SLACK ))
	i=0
	until eval "$2"; do
		[ "$i" -lt "$limit" ] || fail "waited ${3:-10}s (x$REWIND_TEST_SLACK) for $1"
		sleep 0.01
		i=$((i + 1))
	done
}
spawned_pid() {	# STEP: the pid of its first run (step.spawned)
	grep '"type":"step.spawned"' "$SESSION_DIR/journal.jsonl" |
		grep "\"step\":\"$1\"" | head -n 1 |
		sed 's/.*"payload":{"pid":\([0-9]*\).*/\1/'
}

set -- run "$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" \
	--session-dir "$SESSION_DIR" --operator olga
start_app -x 120 -y 36 "$@"

# --- assess: what the registry serves -----------------------------------------------
wait_text "$(printf "$X_PHASE_ON" assess)"
run_step assess.latest
assert_text "$X_ASSESS_READ" "assess.latest did not show 1.2.3 read from Verdaccio"
for s in assess.beta assess.canary assess.package; do run_step "$s"; done
tick_step assess.downloads
run_step assess.versions
run_step assess.releases
input_step assess.rollback-version 1.2.3
input_step assess.channel latest
input_step assess.issue-type data-loss
input_step assess.severity critical
input_step assess.impact over-50

# --- decide ------------------------------------------------------------------------
next_phase decide
decide_step decide.warranted roll-back "data loss is on the roll-back list" recommended
decide_step decide.response immediate-rollback "critical, most users lose memories" recommended
decide_step decide.method manual "finish by hand with npm, no workflow run to wait for"
input_step decide.restore-version 1.2.2
input_step decide.reason "Critical bug in memory persistence"
input_step decide.deprecation-message "Critical bug in memory persistence. Please upgrade to latest."
run_step decide.test-known-issues

# --- approve: from a second terminal, while the console waits ------------------------
next_phase approve
keys '>'
assert_text "$(printf "$X_PHASE_ON" approve)" "moved on without the release manager"
run_rewind approve --yes "$SESSION_DIR" approve.release-manager \
	--role "Release Manager" --as dana >"$T/approve.out" 2>&1 ||
	{ cat "$T/approve.out"; fail "rewind approve (second terminal) failed"; }
wait_text "$X_REMOTE_APPROVED" 10
goto_step approve.release-manager
wait_state approve.release-manager done
assert_text "$X_APPROVER" "the approver is not named"

# --- execute: the candidate is tried after the sign-off, then the kill in the
# middle of npm dist-tag add ------------------------------------------------------
next_phase execute
for s in execute.test-install execute.test-doctor execute.test-remember \
	execute.test-search execute.test-mcp; do
	run_step "$s"
done
na_step execute.npm-login "the .npmrc of this run already holds a registry token"
goto_step execute.dist-tag
keys Enter
wait_text "$X_CONFIRM_ASK"
type_text 1.2.2
keys Enter
wait_for "the npm stand-in to start dist-tag add" 'test -s "$T/dist-tag-add.count"'
wait_state execute.dist-tag running
stub=$(head -n 1 "$T/npm-stub.pids")
rpid=$(app_pid) || fail "cannot find the pid of the console (child of the pane's shell)"
kill -KILL "$rpid" || fail "kill -KILL $rpid"
wait_for "the console (pid $rpid) to be gone" '! running "$rpid"'
running "$stub" || fail "npm dist-tag add (the stand-in, pid $stub) died with the console"
# The pid the console gave its run (step.spawned): the resumed console
# names it. (Checked after the screen, so older code fails on what the
# commander sees.)
opid=$(spawned_pid execute.dist-tag)

# The same command line again.
start_app -x 120 -y 36 "$@"
wait_text "$X_RESUMED"
assert_text "$(printf "$X_ORPHAN_RUNS" "${opid:-[0-9]+}")" "the orphan (pid ${opid:-?}) is not named"
goto_step execute.dist-tag
assert_text "$(x_id_line execute.dist-tag interrupted)" "execute.dist-tag is not interrupted"
assert_text "$X_INTERRUPTED"
assert_text "$X_CHECK_FIRST"
keys Enter
assert_text "$X_NO_SECOND" "Enter did not refuse a second copy"
refute_text "$X_CONFIRM_ASK"
[ "$(journal_count step.started execute.dist-tag)" = 1 ] || fail "a second copy was started"
[ -n "$opid" ] || fail "no step.spawned with a pid for execute.dist-tag"

# The commander waits for it: the test lets it go; the console sees it end,
# with the exit status its keeper recorded: done, never run again.
touch "$T/go"
wait_state execute.dist-tag done 60
running "$opid" && fail "pid $opid still runs after the console said it ended"
running "$stub" && fail "the stand-in (pid $stub) still runs after the console said it ended"
grep '"type":"step.orphan_ended"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"how":"ended by itself".*"outcome":"exit 0"' ||
	fail "no step.orphan_ended 'ended by itself' with the keeper's exit 0"
grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" | grep '"step":"execute.dist-tag"' |
	grep -q '"recorded_by":"keeper"' || fail "execute.dist-tag's finish is not the keeper's record"
# The registry says so too.
run_step execute.dist-tag-check
assert_text "$X_CHANNEL_READ" "the check did not show latest read as 1.2.2"
goto_step execute.deprecate
keys Enter
wait_text "$X_CONFIRM_DEPRECATE"
type_text 1.2.3
keys Enter
wait_state execute.deprecate done 60

# --- verify -------------------------------------------------------------------------
next_phase verify
for s in verify.channel verify.deprecated verify.install verify.version \
	verify.doctor verify.remember verify.search; do
	run_step "$s"
done
tick_step verify.downloads
na_step verify.telemetry "mycelicmemory sends no telemetry"
tick_step verify.reports
tick_step verify.pipeline

# --- communicate --------------------------------------------------------------------
next_phase communicate
tick_step communicate.github-issue
input_step communicate.user-impact "Memories saved after upgrading to 1.2.3 were lost on restart"
input_step communicate.detected-at "2026-11-21 14:20 UTC"
input_step communicate.rolled-back-at "2026-11-21 14:55 UTC"
goto_step communicate.notice
keys Enter
wait_text "$X_PREVIEW"
send_preview communicate.notice
tick_step communicate.chat
na_step communicate.status-page "the project has no status page"
tick_step communicate.incident-report
# the incident-report listing applies after the workflow's rollback only
for s in postmortem root-cause tests fix fix-tested lessons \
	prerelease-checklist validation-pipeline staging docs; do
	tick_step "communicate.$s"
done
keys '>'
wait_text "$X_COMPLETE"
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "exit status $APP_EXIT after a complete session"
screen_text -J | grep -qE -- "$X_EXIT_LINE" || fail "no exit line saying the session is complete"

# --- the proof, read by the test itself ------------------------------------------
[ "$(journal_count session.completed)" = 1 ] || fail "no session.completed"
[ "$(journal_count step.started execute.dist-tag)" = 1 ] ||
	fail "execute.dist-tag started $(journal_count step.started execute.dist-tag) times"
run_rewind verify "$SESSION_DIR" >"$T/verify.out" 2>&1 ||
	{ cat "$T/verify.out"; fail "rewind verify: the journal is not intact"; }
[ "$(wc -l <"$T/dist-tag-add.count")" = 1 ] ||
	{ cat "$T/dist-tag-add.count"; fail "npm dist-tag add ran more than once"; }
grep -qx "dist-tag add $pkg@1.2.2 latest" "$T/dist-tag-add.count" ||
	{ cat "$T/dist-tag-add.count"; fail "the dist-tag add was not 'dist-tag add $pkg@1.2.2 latest'"; }
vd_npm view "$pkg" dist-tags --json >"$T/dist-tags.json" || fail "npm view $pkg dist-tags"
python3 - "$T/dist-tags.json" <<'PY' || { cat "$T/dist-tags.json"; fail "the dist-tags are not latest 1.2.2 with beta and canary untouched"; }
import json, sys
tags = json.load(open(sys.argv[1]))
assert tags == {"latest": "1.2.2", "beta": "1.3.0-beta.2",
                "canary": "1.3.0-canary.7"}, tags
PY
vd_npm view "$pkg@1.2.3" deprecated | grep -q 'Critical bug in memory persistence' ||
	fail "1.2.3 is not deprecated on Verdaccio"
grep -q "pointed the latest channel back to 1.2.2" "$SESSION_DIR/messages/rollback-notice.md" ||
	fail "the rollback notice was not written"
pass "the npm rollback walked by keys on Verdaccio 127.0.0.1:$VD_PORT: killed mid dist-tag add, resumed, latest moved once"
