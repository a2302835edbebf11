# Shared by the live runs in tests/live/: a private temporary directory,
# bounded runs of the real binary in batch mode, skipping only when a
# documented prerequisite is missing (never under
# REWIND_REQUIRE_LIVE_TESTS=1), and checks on the session's journal.
# Source it after setting LIVE_TEST to the test's name.
set -u
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
LIVE_TMP=$(mktemp -d) || exit 99
export HOME="$LIVE_TMP/home" XDG_STATE_HOME="$LIVE_TMP/state" TZ=UTC
mkdir -p "$HOME"
LIVE_CLEANUP=""

live_cleanup() {
	eval "$LIVE_CLEANUP"
	if [ "${LIVE_KEEP:-0}" = 1 ]; then
		echo "# kept $LIVE_TMP" >&2
	else
		rm -rf "$LIVE_TMP"
	fi
}
trap live_cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $LIVE_TEST: $*"
	exit 1
}

# skip_unless_cmd CMD WHY: the documented prerequisite CMD must exist.
skip_unless_cmd() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "${REWIND_REQUIRE_LIVE_TESTS:-0}" = 1 ]; then
		echo "FAIL: $LIVE_TEST: $1 is missing ($2) and" \
		     "REWIND_REQUIRE_LIVE_TESTS=1"
		exit 99
	fi
	echo "SKIP: $LIVE_TEST: $1 is missing ($2)"
	exit 77
}

# live_walk PLAYBOOK DIR WALK [ARGS...]: run PLAYBOOK live in batch mode
# with the actions of WALK, from the current directory, for at most
# LIVE_LIMIT seconds (default 120) times REWIND_TEST_SLACK (default 5, a
# hang guard that a busy machine never meets); the JSON lines land in DIR.out.
live_walk() {
	pb=$1 dir=$2 walk=$3
	shift 3
	timeout -k 5 "$(( ${LIVE_LIMIT:-120} * ${REWIND_TEST_SLACK:-5} ))" "$bin" run "$pb" --batch \
		--operator olga --session-dir "$dir" "$@" \
		<"$walk" >"$dir.out" 2>"$dir.err"
	rc=$?
	if grep -q '"type":"error"' "$dir.out"; then
		grep '"type":"error"' "$dir.out" | head -5
		fail "the walk hit errors"
	fi
	[ $rc -eq 0 ] || { tail -n 5 "$dir.err"; tail -n 3 "$dir.out";
			   fail "the walk did not complete (exit $rc)"; }
	grep -q '"type":"session.completed"' "$dir.out" ||
		fail "no session.completed event"
	"$bin" verify "$dir" >/dev/null || fail "journal of $dir not intact"
}

# step_finished DIR STEP: the step.finished event of STEP (last one).
step_finished() {
	grep "\"type\":\"step.finished\".*\"step\":\"$2\"" "$1.out" | tail -n 1
}

# expect_ran_live DIR STEP [EXIT]: STEP ran for real (not a drill) and
# exited with EXIT (default 0).
expect_ran_live() {
	ev=$(step_finished "$1" "$2")
	[ -n "$ev" ] || fail "$2 never finished"
	echo "$ev" | grep -q '"drill":false' || fail "$2 did not run live: $ev"
	echo "$ev" | grep -q "\"exit\":${3:-0}," ||
		fail "$2 exited otherwise than ${3:-0}: $ev"
}
