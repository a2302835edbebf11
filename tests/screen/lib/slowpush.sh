# What the screen tests of a console killed mid-push share: a slow push
# stub that runs until released (touch $SCREEN_TMP/release) and records
# its pids, stopped on exit; and kill_mid_push, which starts the orphan
# fixture's playbook as sam, confirms and runs its destructive push, and
# kills the console (SIGKILL) while the push runs. Source it after
# libscreen.sh.
#
#   $SESSION_DIR  the session's folder
#   $STUB         the slow push
SESSION_DIR=$SCREEN_TMP/session
STUB=$SCREEN_TMP/slow-push
cat >"$STUB" <<'STUB'
#!/bin/sh
dir=$(dirname "$0")
echo "pushing $1"
echo $$ >>"$dir/push.pids"
n=0
while [ ! -e "$dir/release" ] && [ "$n" -lt 600 ]; do
	sleep 0.1
	n=$((n + 1))
done
STUB
chmod +x "$STUB"
stop_stubs() {
	status=$?
	touch "$SCREEN_TMP/release"
	for p in $(cat "$SCREEN_TMP/push.pids" 2>/dev/null); do
		kill "$p" 2>/dev/null
	done
	return "$status"
}
trap 'stop_stubs; _screen_cleanup' EXIT

kill_mid_push() {
	start_app -x 260 -y 34 run "$REWIND_SRCDIR/tests/fixtures/playbooks/orphan.json" \
		--session-dir "$SESSION_DIR" --operator sam \
		--var VERSION=1.2.3 --var "PUSH_CMD=$STUB"
	keys '>' '>' '>'
	keys Enter
	type_text 'push 1.2.3'
	keys Enter
	wait_for 'test -s "$SCREEN_TMP/push.pids"'
	wait_text 'pushing 1\.2\.3'
	rpid=$(app_pid) || fail "cannot find rewind's pid"
	kill -KILL "$rpid"
	wait_for 'test ! -e "/proc/$rpid"'
}
