# What the batch tests of a console that dies mid-run have in common
# (resume-kill-batch, resume-keeper-batch, interrupted-checked,
# rollback-time-exact): absolute $bin and $src, a private $tmp with its own
# HOME and state, the pids to end on exit, and polling. The test defines
# fail (wait_for calls it) and sets J (the journal count reads).
#
#   feed_pid, rw_pid    background pids ended on exit (with every pid in
#                       $tmp/push.pids or $tmp/*/push.pids)
#   wait_for COND       poll until shell condition COND holds (10 s at
#                       most, times REWIND_TEST_SLACK)
#   count TYPE          events of TYPE in $J
#   running PID         whether process PID runs (a zombie does not)
bin=${REWIND_BIN:-./rewind}
src=${REWIND_SRCDIR:-.}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(cd "$src" && pwd) ;; esac
tmp=$(mktemp -d) || exit 99
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC
feed_pid=
rw_pid=

cleanup() {
	for p in $(cat "$tmp/push.pids" "$tmp"/*/push.pids 2>/dev/null) \
		$feed_pid $rw_pid; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

limit=$((1000 * ${REWIND_TEST_SLACK:-5}))
wait_for() {
	i=0
	until eval "$1"; do
		[ "$i" -lt "$limit" ] || fail "waited $((limit / 100)) s for: $1"
		sleep 0.01
		i=$((i + 1))
	done
}

count() {	# count TYPE: events of TYPE in the journal $J
	grep -c "\"type\":\"$1\"" "$J"
}

running() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}
