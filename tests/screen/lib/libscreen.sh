# libscreen.sh: shared set-up and helpers of rewind's tmux screen tests.
#
# Sourced (never run) by every tests/screen/<area>/<name>-test.sh:
#
#	. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
#
# What sourcing it does:
# - Re-runs the test under timeout(1) (SCREEN_TIMEOUT seconds, default
#   60 x REWIND_TEST_SLACK), so nothing hangs; on expiry the test fails
#   with what it was waiting for and the last screen dumped.
# - Budgets are hang guards, not performance claims (those live in
#   `make bench`): every wait_* budget and the watchdog are multiplied by
#   REWIND_TEST_SLACK (default 5), so a machine running a build beside the
#   suite still passes; a wait that succeeds returns as soon as its
#   condition holds, so the slack costs nothing then.
# - Exits 77 (skip) when tmux is missing, or 1 when
#   REWIND_REQUIRE_SCREEN_TESTS=1 (CI); require_cmd does the same for
#   the other tools a test needs (git, python3...).
# - Makes a private temp dir ($SCREEN_TMP) with a hermetic environment for
#   the app: HOME, XDG_STATE_HOME, XDG_CONFIG_HOME and XDG_DATA_HOME under
#   it, TZ=UTC, LANG=C.UTF-8, TERM=xterm-256color, REWIND_TEST_NOW (a fixed
#   starting wall clock), REWIND_TEST_IDLE (the idle counter file),
#   REWIND_TEST_FRAMES (the counter of frames drawn) and
#   REWIND_TEST_DRILL_PACE=0 (drill output at once, unless a test says 1);
#   tests/fixtures/bin comes first in PATH. The app is started under
#   `env -i`, so nothing of the caller's environment (NO_COLOR, a theme
#   config, TMUX...) leaks in; put extra variables in APP_ENV.
# - Uses a private tmux server (`tmux -L rewind-test-XXXXXX -f /dev/null`,
#   named after its temp dir; it ends itself if the test is killed), so
#   tests can run in parallel (make -j2 check).
# - Installs an EXIT trap that kills that server and removes $SCREEN_TMP
#   (kept when SCREEN_KEEP=1, for debugging).
#
# Helpers (each documented where it is defined):
#   start_app, run_rewind               start the console / run the CLI
#   keys, keys_nowait, type_text        input (send-keys, send-keys -l)
#   wait_idle, wait_text, wait_gone,    synchronisation (the idle counter,
#   wait_fit, wait_exit, wait_for       polling the screen or a condition; all bounded)
#   screen_text, row, capture,          reading the screen
#   capture_color, pane_title
#   assert_text, refute_text,           one-shot checks
#   assert_fixed, refute_fixed
#   expect_screen, mask_screen          whole-screen comparison
#   resize, resize_nowait, frame_fits   the terminal size
#   app_alive, journal_count            the process and its journal
#   tm                                  tmux on the private server
#   require_cmd                         skip (or fail in CI) without a tool
#   fail, soft_fail, pass, note         reporting
# Variables a test may read: SCREEN_TMP (private dir), SCREEN_TEST (name),
# REWIND_BIN, REWIND_SRCDIR; and set: APP_ENV, APP_DIR (default
# SCREEN_TMP), SESSION_DIR (for journal_count).
#
# Masking (expect_screen): the screen changes with the clock, so captured
# and expected screens both go through mask_screen before the diff:
# - row 1 (the header): the elapsed part of the clock, the first
#   "NmNNs" of "NmNNs of Nm RTO" (or a lone "NmNNs" at the end of the
#   row; "NmNNs of Nm RTO, met" once decided), becomes "MmSSs"; the RTO
#   target and the word are kept, as they are part of what
#   the header says;
# - row 2 (the phase rail): a drill's current phase's time against its
#   target, "NmNNs of 2m", becomes "MmSSs of 2m";
# - every row: a time of day "NN:NN:NN" becomes "hh:mm:ss", then any
#   other "NN:NN" (e.g. "ticked by sam 19:30") becomes "hh:mm";
# - "2026-11-21T19:30:03.123456Z"-style timestamps become
#   "YYYY-MM-DDThh:mm:ss" (the fraction and Z are dropped);
# - a run's duration before its end time ("exit 0 after 2.1s at ...")
#   becomes "after D"; a row that ends in the duration or the time (cut
#   at the pane's edge) ends "after D at hh:mm:ss";
# - trailing blanks of each row and trailing empty rows are dropped.
# Expected screens may be written with the placeholders or with real
# times; both mask to the same text.

set -u

: "${REWIND_BIN:=./rewind}"
: "${REWIND_SRCDIR:=.}"
: "${REWIND_TEST_SLACK:=5}"
: "${SCREEN_TIMEOUT:=$((60 * REWIND_TEST_SLACK))}"
SCREEN_TEST=$(basename "$0" .sh)

# --- the watchdog ---------------------------------------------------------------
if [ -z "${LIBSCREEN_UNDER_TIMEOUT:-}" ] && command -v timeout >/dev/null 2>&1; then
	LIBSCREEN_UNDER_TIMEOUT=1
	export LIBSCREEN_UNDER_TIMEOUT
	# -k: if the shell ignores TERM for too long, KILL it.
	timeout -k 5 "$SCREEN_TIMEOUT" sh "$0" "$@"
	rc=$?
	if [ "$rc" -eq 124 ]; then
		echo "FAIL: $SCREEN_TEST: timed out after ${SCREEN_TIMEOUT}s"
		rc=1
	fi
	exit "$rc"
fi

# --- required tools ------------------------------------------------------------------

# require_cmd CMD WHY: end the test unless CMD is installed: with a SKIP
# line and status 77, or as a failure (status 1) when
# REWIND_REQUIRE_SCREEN_TESTS=1 (CI), where no screen test may skip. WHY
# says what the test needs CMD for.
require_cmd() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "${REWIND_REQUIRE_SCREEN_TESTS:-0}" = 1 ]; then
		echo "FAIL: $SCREEN_TEST: $1 is not installed, needed $2" \
		     "(REWIND_REQUIRE_SCREEN_TESTS=1)"
		exit 1
	fi
	echo "SKIP: $SCREEN_TEST: $1 is not installed, needed $2"
	exit 77
}

require_cmd tmux "to drive the console"

# Absolute paths: the app runs in the temp dir.
case $REWIND_BIN in /*) ;; *) REWIND_BIN=$(pwd)/$REWIND_BIN ;; esac
case $REWIND_SRCDIR in /*) ;; *) REWIND_SRCDIR=$(cd "$REWIND_SRCDIR" && pwd) ;; esac
[ -x "$REWIND_BIN" ] || { echo "FAIL: $SCREEN_TEST: no binary at $REWIND_BIN"; exit 99; }

# --- temp dir, hermetic environment, the private server -------------------------
SCREEN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/rewind-screen.XXXXXX") || exit 99
mkdir -p "$SCREEN_TMP/home" "$SCREEN_TMP/state" "$SCREEN_TMP/config" \
	 "$SCREEN_TMP/data" "$SCREEN_TMP/screens" || exit 99
# The socket is named after the temp dir, never after the pid alone: a
# server left by a test that was killed outright could hold a reused pid's
# name ("duplicate session: app").
SCREEN_SOCKET=rewind-test-${SCREEN_TMP##*.}
SCREEN_TARGET=app
SCREEN_IDLE=$SCREEN_TMP/idle
SCREEN_FRAMES=$SCREEN_TMP/frames
: "${REWIND_TEST_NOW:=2026-11-21T19:30:00Z}"
APP_ENV=${APP_ENV:-}		# extra NAME=VALUE words (blank-separated) for the app
APP_DIR=$SCREEN_TMP		# the app's working directory
_screen_started=0
_screen_socket_path=
_screen_mismatches=
_idle_mark=

unset TMUX TMUX_PANE
# The test's own tools (sed, grep, wc -L) and the tmux client see UTF-8.
LANG=C.UTF-8 LC_ALL=C.UTF-8
export LANG LC_ALL

tm() {
	tmux -L "$SCREEN_SOCKET" -f /dev/null "$@"
}

# fresh_server: end the previous console's private tmux server, so that
# start_app starts a new one. (Replacing the only session of a live
# server races with the server exiting, and tmux 3.3a crashes when a
# second session is created under window-size manual.)
fresh_server() {
	[ "$_screen_started" = 1 ] || return 0
	tm kill-server >/dev/null 2>&1
	i=0
	while tm list-sessions >/dev/null 2>&1; do
		[ "$i" -lt 500 ] || fail "the previous tmux server did not exit"
		sleep 0.01
		i=$((i + 1))
	done
	rm -f "$_screen_socket_path"
	_screen_started=0
}

# A test killed outright (SIGKILL: no EXIT trap) would leave its server
# and console running: the server ends itself once the test's shell is
# gone (checked every second, inside the server).
_server_watchdog() {
	printf 'while kill -0 %s 2>/dev/null; do sleep 1; done; tmux -L %s kill-server' \
		"$$" "$SCREEN_SOCKET"
}

# The test's own exit status, kept from fail, pass and the signal handler:
# a test's EXIT trap may run its own clean-up (daemon_stop...) before this,
# whose status would otherwise stand in for the test's.
_screen_rc=

_screen_cleanup() {
	rc=$?
	[ -z "$_screen_rc" ] || rc=$_screen_rc
	trap - EXIT INT TERM HUP PIPE
	if [ "$_screen_started" = 1 ]; then
		tm kill-server >/dev/null 2>&1
		# tmux 3.3 leaves its socket file behind.
		[ -z "$_screen_socket_path" ] || rm -f "$_screen_socket_path"
	fi
	if [ "${SCREEN_KEEP:-0}" = 1 ]; then
		echo "# $SCREEN_TEST: kept $SCREEN_TMP"
	else
		# The app gets SIGHUP from kill-server and may still be
		# writing its session for a moment: retry.
		n=0
		until rm -rf "$SCREEN_TMP" 2>/dev/null || [ "$n" -ge 100 ]; do
			sleep 0.02
			n=$((n + 1))
		done
	fi
	exit "$rc"
}

_screen_signal() {
	echo "FAIL: $SCREEN_TEST: interrupted (timeout or signal)${_screen_waiting:+ while waiting for $_screen_waiting}"
	_dump_screen
	_screen_rc=1
	exit 1
}

trap _screen_cleanup EXIT
trap _screen_signal INT TERM HUP
trap 'exit 1' PIPE		# output cut off (| head): still clean up

# --- budgets ------------------------------------------------------------------------

# _budget SECS: the number of 10 ms polls a wait of SECS seconds may make,
# with REWIND_TEST_SLACK applied. (A poll takes at least 10 ms, more on a
# busy machine, so the budget in wall time is never shorter than this.)
_budget() {
	echo $(( $1 * 100 * REWIND_TEST_SLACK ))
}

# What the test waits for now, for the watchdog's message.
_screen_waiting=

# --- reporting ----------------------------------------------------------------------

note() {
	echo "# $SCREEN_TEST: $*"
}

_dump_screen() {
	[ "$_screen_started" = 1 ] || return 0
	echo "--- screen ($(tm display-message -p -t "$SCREEN_TARGET" \
		'#{window_width}x#{window_height}' 2>/dev/null)) ---"
	tm capture-pane -p -t "$SCREEN_TARGET" 2>/dev/null | sed 's/[[:space:]]*$//'
	echo "--- end of screen ---"
	if [ -s "$APP_DIR/console.log" ]; then
		echo "--- console.log ---"
		cat "$APP_DIR/console.log"
	fi
}

# fail MSG: fail the test with MSG and the screen dumped.
fail() {
	echo "FAIL: $SCREEN_TEST: $*"
	_dump_screen
	[ -z "$_screen_mismatches" ] ||
		echo "FAIL: $SCREEN_TEST: also failed earlier:$_screen_mismatches"
	_screen_rc=1
	exit 1
}

# soft_fail MSG: report MSG and the screen, go on, fail at the end (for
# checks that change nothing, like expect_screen).
soft_fail() {
	echo "FAIL: $SCREEN_TEST: $*"
	_dump_screen
	_screen_mismatches="$_screen_mismatches ($*)"
}

# pass [MSG]: end the test: successfully, unless a screen differed or a
# soft_fail was reported.
pass() {
	if [ -n "$_screen_mismatches" ]; then
		echo "FAIL: $SCREEN_TEST: failed (the rest of the test ran):$_screen_mismatches"
		_screen_rc=1
		exit 1
	fi
	echo "PASS: $SCREEN_TEST${1:+: $*}"
	_screen_rc=0
	exit 0
}

# --- starting the app -------------------------------------------------------------

_shquote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# The hermetic environment, one NAME=VALUE a line (no value has blanks).
_app_env() {
	printf '%s\n' \
		"HOME=$SCREEN_TMP/home" \
		"XDG_STATE_HOME=$SCREEN_TMP/state" \
		"XDG_CONFIG_HOME=$SCREEN_TMP/config" \
		"XDG_DATA_HOME=$SCREEN_TMP/data" \
		"PATH=$REWIND_SRCDIR/tests/fixtures/bin:/usr/local/bin:/usr/bin:/bin" \
		"USER=screen-tester" "LOGNAME=screen-tester" \
		"TZ=UTC" "LANG=C.UTF-8" "TERM=xterm-256color" \
		"REWIND_TEST_NOW=$REWIND_TEST_NOW" \
		"REWIND_TEST_IDLE=$SCREEN_IDLE" \
		"REWIND_TEST_FRAMES=$SCREEN_FRAMES" \
		"REWIND_TEST_DRILL_PACE=${REWIND_TEST_DRILL_PACE:-0}"
}

# run_rewind ARGS...: run "$REWIND_BIN" ARGS... outside tmux (verify,
# approve, a batch prefix of a walk...) with the app's hermetic
# environment, from APP_DIR; stdin, stdout and the status are the
# caller's. REWIND_TEST_IDLE points elsewhere so it cannot disturb the
# console's counter.
run_rewind() (
	cd "$APP_DIR" || exit 99
	list=$(_app_env | sed -e "s|^REWIND_TEST_IDLE=.*|REWIND_TEST_IDLE=$SCREEN_TMP/idle.cli|" \
		-e "s|^REWIND_TEST_FRAMES=.*|REWIND_TEST_FRAMES=$SCREEN_TMP/frames.cli|"
	       for w in $APP_ENV; do printf '%s\n' "$w"; done)
	IFS='
'
	set -f
	# shellcheck disable=SC2086 # split on newlines only, no globbing
	exec env -i $list "$REWIND_BIN" "$@"
)

# start_app [-x COLS] [-y ROWS] ARGS...: run "$REWIND_BIN" ARGS... in a
# detached session of the private server (80x24 unless told), with the
# hermetic environment plus APP_ENV, from APP_DIR. The pane stays alive
# after the app exits and then shows "EXIT=<status>" (see wait_exit).
# Returns once the first frame is drawn (the idle counter exists).
start_app() {
	cols=80 rows=24
	while :; do
		case ${1:-} in
		-x) cols=$2; shift 2 ;;
		-y) rows=$2; shift 2 ;;
		*) break ;;
		esac
	done
	launch=$SCREEN_TMP/launch.sh
	rm -f "$SCREEN_IDLE" "$SCREEN_FRAMES"
	{
		echo '#!/bin/sh'
		# Ctrl-C reaches the whole foreground group: the app decides
		# what it means, the pane's shell outlives it (a trap, not an
		# ignore, so the app does not inherit SIG_IGN).
		echo 'trap : INT'
		echo "cd $(_shquote "$APP_DIR") || exit 99"
		printf 'env -i'
		{ _app_env; for w in $APP_ENV; do printf '%s\n' "$w"; done; } |
		while IFS= read -r kv; do
			printf ' %s' "$(_shquote "$kv")"
		done
		printf ' %s' "$(_shquote "$REWIND_BIN")"
		for arg in "$@"; do
			printf ' %s' "$(_shquote "$arg")"
		done
		echo
		echo 'echo "EXIT=$?"'
		echo 'exec sleep 600'
	} >"$launch"
	if [ "$_screen_started" = 1 ]; then
		tm kill-session -t "$SCREEN_TARGET" >/dev/null 2>&1
		tm new-session -d -s "$SCREEN_TARGET" -x "$cols" -y "$rows" \
			"sh $(_shquote "$launch")" || fail "tmux new-session failed"
	else
		tm new-session -d -s "$SCREEN_TARGET" -x "$cols" -y "$rows" \
			"sh $(_shquote "$launch")" \; \
			set-option -g window-size manual \; \
			set-option -g remain-on-exit on \; \
			run-shell -b "$(_server_watchdog)" ||
			fail "tmux new-session failed"
		_screen_started=1
		_screen_socket_path=$(tm display-message -p '#{socket_path}')
	fi
	_idle_mark=
	wait_idle 10
}

# tab NAME: press the next-tab key ($next_tab: ] in the console, the
# default; Tab in a replay) until the side tab NAME is the one shown
# ("[NAME]"), at most 8 times.
tab() {
	_tab_n=0
	until screen_text | grep -qF "[$1]"; do
		[ "$_tab_n" -lt 8 ] || fail "no [$1] tab after 8 presses of ${next_tab:-]}"
		keys "${next_tab:-]}"
		_tab_n=$((_tab_n + 1))
	done
}

# --- the idle counter ---------------------------------------------------------------

_idle_read() {
	cat "$SCREEN_IDLE" 2>/dev/null
}

# wait_idle [SECS]: (SECS: whole seconds, as for every wait_*) wait until the app has handled what was sent since
# the last keys/type_text/resize (the idle counter moved past the mark
# taken then) and then stayed idle for a moment (two polls, 40 ms, with
# no new idle pass), which also absorbs a clock tick that lands between
# the mark and the keys. Fails after SECS (default 5).
wait_idle() {
	_screen_waiting="the app to go idle after the last input"
	limit=$(_budget "${1:-5}")
	i=0
	last=
	quiet=0
	while [ "$i" -lt "$limit" ]; do
		now=$(_idle_read)
		if [ -n "$now" ] && [ "$now" != "$_idle_mark" ]; then
			if [ "$now" = "$last" ]; then
				quiet=$((quiet + 1))
				if [ "$quiet" -ge 2 ]; then
					_idle_mark=$now
					_screen_waiting=
					return 0
				fi
			else
				quiet=0
			fi
			last=$now
		fi
		sleep 0.02
		i=$((i + 2))
	done
	app_alive || fail "wait_idle: the app is gone"
	fail "wait_idle: the app did not go idle within ${1:-5}s (counter ${now:-none}, mark ${_idle_mark:-none})"
}

_mark() {
	_idle_mark=$(_idle_read)
}

# --- input ------------------------------------------------------------------------

# keys KEY...: send tmux key names (Enter, Escape, Down, C-u, j, ...) and
# wait until the app is idle again.
keys() {
	_mark
	tm send-keys -t "$SCREEN_TARGET" "$@" || fail "send-keys $*"
	wait_idle
}

# keys_nowait KEY...: send keys without waiting (e.g. to an exiting app).
keys_nowait() {
	tm send-keys -t "$SCREEN_TARGET" "$@" || fail "send-keys $*"
}

# type_text STRING: type STRING literally, then wait until idle.
type_text() {
	_mark
	tm send-keys -t "$SCREEN_TARGET" -l -- "$1" || fail "send-keys -l $1"
	wait_idle
}

# --- reading the screen -------------------------------------------------------------

# screen_text [FLAG...]: the visible screen, trailing blanks trimmed;
# FLAGs go to capture-pane (-e: with SGR escapes, -J: wrapped lines
# joined).
screen_text() {
	tm capture-pane -p "$@" -t "$SCREEN_TARGET" | sed 's/[[:space:]]*$//'
}

# wait_text PATTERN [SECS]: poll the screen (10 ms sleeps) until a row
# matches the extended regular expression PATTERN; fail after SECS
# (default 5) with the screen dumped.
wait_text() {
	_screen_waiting="/$1/ on screen"
	limit=$(_budget "${2:-5}")
	i=0
	while [ "$i" -lt "$limit" ]; do
		screen_text | grep -qE -- "$1" && { _screen_waiting=; return 0; }
		sleep 0.01
		i=$((i + 1))
	done
	fail "wait_text: /$1/ not on screen within ${2:-5}s"
}

# wait_for CONDITION [SECS]: poll (10 ms sleeps) until the shell command
# CONDITION, evaluated afresh each time, holds; fail after SECS (default
# 5) naming it.
wait_for() {
	_screen_waiting="$1"
	limit=$(_budget "${2:-5}")
	i=0
	while [ "$i" -lt "$limit" ]; do
		eval "$1" && { _screen_waiting=; return 0; }
		sleep 0.01
		i=$((i + 1))
	done
	fail "wait_for: $1 did not hold within ${2:-5}s"
}

# wait_gone PATTERN [SECS]: the opposite: until no row matches.
wait_gone() {
	_screen_waiting="/$1/ to leave the screen"
	limit=$(_budget "${2:-5}")
	i=0
	while [ "$i" -lt "$limit" ]; do
		screen_text | grep -qE -- "$1" || { _screen_waiting=; return 0; }
		sleep 0.01
		i=$((i + 1))
	done
	fail "wait_gone: /$1/ still on screen after ${2:-5}s"
}

# assert_text PATTERN [MSG] / refute_text PATTERN [MSG]: the screen now
# has (has not) a row matching PATTERN (ERE). assert_fixed / refute_fixed
# take a literal string.
assert_text() {
	screen_text | grep -qE -- "$1" || fail "${2:-/$1/ is not on screen}"
}
refute_text() {
	screen_text | grep -qE -- "$1" && fail "${2:-/$1/ is on screen}"
	return 0
}
assert_fixed() {
	screen_text | grep -qF -- "$1" || fail "${2:-\"$1\" is not on screen}"
}
refute_fixed() {
	screen_text | grep -qF -- "$1" && fail "${2:-\"$1\" is on screen}"
	return 0
}

# row N: row N (1-based) of the screen.
row() {
	screen_text | sed -n "${1}p"
}

# capture NAME: save the screen (capture-pane -p, trailing blanks trimmed)
# as $SCREEN_TMP/screens/NAME.txt and print its path.
capture() {
	f=$SCREEN_TMP/screens/$1.txt
	screen_text >"$f" || fail "capture $1"
	echo "$f"
}

# capture_color NAME: the same with SGR escapes (-pe), as NAME.ansi.
capture_color() {
	f=$SCREEN_TMP/screens/$1.ansi
	screen_text -e >"$f" || fail "capture_color $1"
	echo "$f"
}

# mask_screen: the masking described at the top, stdin to stdout.
mask_screen() {
	sed -e '1s/[0-9]\{1,\}m[0-9][0-9]s\( of [0-9ms]* RTO\(, [a-z ]*\)\{0,1\}\)$/MmSSs\1/' \
	    -e '1s/ [0-9]\{1,\}m[0-9][0-9]s$/ MmSSs/' \
	    -e '2s/ [0-9]\{1,\}m[0-9][0-9]s of / MmSSs of /' \
	    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\(\.[0-9]*\)\{0,1\}Z\{0,1\}/YYYY-MM-DDThh:mm:ss/g' \
	    -e 's/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/hh:mm:ss/g' \
	    -e 's/ after [0-9][0-9.hms]*\( at [0-9hms:]*\)\{0,1\}$/ after D at hh:mm:ss/' \
	    -e 's/ after [0-9][0-9.hms]* at / after D at /g' \
	    -e '2,$s/\([^0-9:]\|^\)[0-9][0-9]:[0-9][0-9]\([^0-9:]\|$\)/\1hh:mm\2/g' \
	    -e 's/[[:space:]]*$//' |
	sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}'
}

# expect_screen NAME [FIRST [LAST]] <<EOF ... EOF: the screen (rows FIRST
# to LAST when given, 1-based) must equal the expected text on stdin,
# after mask_screen on both. Saves NAME.txt, NAME.expected and NAME.diff.
# A mismatch prints the diff and the screen and fails the test at its end
# (pass or fail), so one run shows every screen that is wrong; the walk
# goes on, as looking at the screen changes nothing.
expect_screen() {
	name=$1
	first=${2:-1}
	last=${3:-\$}
	exp=$SCREEN_TMP/screens/$name.expected
	act=$SCREEN_TMP/screens/$name.txt
	mask_screen >"$exp"
	screen_text | sed -n "${first},${last}p" | mask_screen >"$act"
	if ! diff -u "$exp" "$act" >"$SCREEN_TMP/screens/$name.diff"; then
		echo "FAIL: $SCREEN_TEST: screen \"$name\" (rows $first-$last) differs" \
		     "(- expected, + actual, after masking):"
		sed 1,2d "$SCREEN_TMP/screens/$name.diff"
		_dump_screen
		_screen_mismatches="$_screen_mismatches screen:$name"
	fi
	return 0
}

# --- the terminal and the process ---------------------------------------------------

# frame_fits COLS ROWS: whether the screen holds a frame the app drew for
# COLS x ROWS: either "terminal too small" in the middle row, or a key bar
# on the last row and a header whose clock ends at column COLS-1 (the
# clock is right-aligned with one blank after it). tmux applies a pane's
# new size to its pty up to 250 ms late when resizes come quickly, and
# keeps the old content meanwhile, so the window size alone says nothing.
frame_fits() {
	_fit_screen=$(screen_text)
	printf '%s\n' "$_fit_screen" | sed -n "$(( $2 / 2 + 1 ))p" |
		grep -q 'terminal too small' && return 0
	[ -n "$(printf '%s\n' "$_fit_screen" | sed -n "${2}p")" ] || return 1
	[ "$(printf '%s\n' "$_fit_screen" | sed -n 1p | wc -L)" -eq $(( $1 - 1 )) ]
}

# wait_fit COLS ROWS [SECS]: wait until frame_fits.
wait_fit() {
	_screen_waiting="a frame for $1x$2"
	limit=$(_budget "${3:-5}")
	i=0
	while [ "$i" -lt "$limit" ]; do
		frame_fits "$1" "$2" && { _screen_waiting=; return 0; }
		sleep 0.01
		i=$((i + 1))
	done
	app_alive || fail "wait_fit: the app is gone"
	fail "wait_fit: no frame for $1x$2 within ${3:-5}s"
}

# resize COLS ROWS: resize the window (SIGWINCH for the app), wait until
# the app has drawn a frame for the new size, then until it is idle.
resize() {
	_mark
	resize_nowait "$1" "$2"
	wait_fit "$1" "$2"
	wait_idle
}

# resize_nowait COLS ROWS: resize the window without waiting for the app
# (for storms).
resize_nowait() {
	tm resize-window -t "$SCREEN_TARGET" -x "$1" -y "$2" || fail "resize $1 $2"
	size=$(tm display-message -p -t "$SCREEN_TARGET" '#{window_width}x#{window_height}')
	[ "$size" = "$1x$2" ] || fail "resize: window is $size, not $1x$2"
}

# pane_title: tmux's title of the app's pane.
pane_title() {
	tm display-message -p -t "$SCREEN_TARGET" '#{pane_title}'
}

# app_alive: whether rewind is still running in the pane.
app_alive() {
	! screen_text | grep -q '^EXIT=[0-9]*$'
}

# app_pid: the pid of the rewind running in the pane (the pane's shell
# itself when it exec'd rewind, or its child or grandchild): read from
# /proc's children lists, not a scan of every process (seconds under load).
app_pid() {
	shell=$(tm display-message -p -t "$SCREEN_TARGET" '#{pane_pid}')
	for p in $shell $(cat /proc/"$shell"/task/*/children 2>/dev/null); do
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null) $p; do
			[ "$(cat /proc/"$c"/comm 2>/dev/null)" = rewind ] &&
				{ echo "$c"; return 0; }
		done
	done
	return 1
}

# wait_exit [SECS]: wait until the app has exited; its exit status is
# then in APP_EXIT.
wait_exit() {
	_screen_waiting="the app to exit"
	limit=$(_budget "${1:-5}")
	i=0
	APP_EXIT=
	while [ "$i" -lt "$limit" ]; do
		APP_EXIT=$(screen_text | sed -n 's/^EXIT=\([0-9]*\)$/\1/p')
		[ -n "$APP_EXIT" ] && { _screen_waiting=; return 0; }
		sleep 0.01
		i=$((i + 1))
	done
	fail "wait_exit: the app did not exit within ${1:-5}s"
}

# journal_count TYPE [STEP]: how many events of TYPE (for STEP) the
# journal of $SESSION_DIR holds.
journal_count() {
	if [ $# -ge 2 ]; then
		grep "\"type\":\"$1\"" "$SESSION_DIR/journal.jsonl" |
			grep -c "\"step\":\"$2\""
	else
		grep -c "\"type\":\"$1\"" "$SESSION_DIR/journal.jsonl"
	fi
}
