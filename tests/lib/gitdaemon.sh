# A real git server on loopback for the share tests: `git daemon
# --enable=receive-pack` serving the bare repositories under a folder.
# Source it after batchlib.sh or libscreen.sh:
#   daemon_start DIR REPO  serve DIR's repositories (on DAEMON_PORT,
#                      picked free the first time and kept across
#                      restarts); returns once REPO answers
#   daemon_stop        end it (its own pid, from its pid file)
#   daemon_url REPO    git://127.0.0.1:PORT/REPO
# The test's EXIT trap must call daemon_stop (a stopped daemon is
# harmless to stop again).
DAEMON_PORT=
DAEMON_PIDFILE=

daemon_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

daemon_url() {
	echo "git://127.0.0.1:$DAEMON_PORT/$1"
}

daemon_start() {
	[ -n "$DAEMON_PORT" ] || DAEMON_PORT=$(daemon_free_port)
	DAEMON_PIDFILE=$1/.daemon.pid
	rm -f "$DAEMON_PIDFILE"
	git daemon --enable=receive-pack --export-all --reuseaddr \
		--base-path="$1" --listen=127.0.0.1 --port="$DAEMON_PORT" \
		--pid-file="$DAEMON_PIDFILE" --detach "$1" ||
		{ echo "git daemon did not start"; return 1; }
	_n=0
	until [ -s "$DAEMON_PIDFILE" ] &&
	      git ls-remote "$(daemon_url "$2")" >/dev/null 2>&1; do
		_n=$((_n + 1))
		[ $_n -lt 200 ] || { echo "git daemon never answered"; return 1; }
		sleep 0.05
	done
}

daemon_stop() {
	[ -n "$DAEMON_PIDFILE" ] && [ -s "$DAEMON_PIDFILE" ] || return 0
	_pid=$(cat "$DAEMON_PIDFILE")
	kill "$_pid" 2>/dev/null
	_n=0
	while kill -0 "$_pid" 2>/dev/null && [ $_n -lt 200 ]; do
		sleep 0.05
		_n=$((_n + 1))
	done
	rm -f "$DAEMON_PIDFILE"
}
