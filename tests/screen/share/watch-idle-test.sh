#!/bin/sh
# A watch from another machine of a session whose commander was killed
# without a word (SIGKILL: no quit is ever published) does not look live
# forever: once its last event is a minute old or more the header says
# how old ("last event 10m ago"), since a watcher cannot tell an idle
# console from a dead one (issue 18, a team's try). The watcher's clock is
# set ten minutes ahead (REWIND_TEST_NOW) instead of waiting. With the
# remote gone the header says how old its copy is.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/lib/gitdaemon.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "to pick a free port"
cmdr=
trap 'exec 3>&-; [ -z "$cmdr" ] || kill -9 "$cmdr" 2>/dev/null; daemon_stop; _screen_cleanup' EXIT

srv=$SCREEN_TMP/srv
alice=$SCREEN_TMP/alice
mkdir -p "$srv" "$alice/home" "$alice/work"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || fail "no git daemon"
url=$(daemon_url team.git)
ref=refs/rewind/sessions/demo-1
published() {
	git --git-dir="$srv/team.git" show "$ref:journal.jsonl" 2>/dev/null
}

mkfifo "$SCREEN_TMP/in"
(cd "$alice/work" && exec env HOME="$alice/home" XDG_STATE_HOME="$alice/home/state" \
	TZ=UTC "$REWIND_BIN" drill "$REWIND_SRCDIR/playbooks/example.json" \
	--batch --operator alice --share "$url" --session-dir "$alice/s/demo-1" \
	<"$SCREEN_TMP/in" >"$alice/out" 2>&1) &
cmdr=$!
exec 3>"$SCREEN_TMP/in"
echo "note alice is on it" >&3
wait_for 'published | grep -q "alice is on it"' 20
wait_for 'grep -q "\"type\":\"share.published\"" "$alice/out"' 20
kill -9 "$cmdr"
wait "$cmdr" 2>/dev/null
cmdr=

# A fresh watch: the last event is seconds old, nothing said.
start_app -x 180 watch "$url#demo-1"
wait_text "remote git://127\.0\.0\.1:$DAEMON_PORT/team\.git: fetched" 10
refute_text 'last event'

APP_ENV="REWIND_TEST_NOW=$(($(date +%s) + 600))"
start_app -x 180 watch "$url#demo-1"
wait_text "team\.git: fetched [0-9]* s ago; last event 1[0-9]m ago" 10
refute_text 'WATCH: NO CONSOLE'

# The remote goes away: the header says what it shows, and how old.
daemon_stop
wait_text 'unreachable, showing what was fetched [0-9]* s ago; retrying' 15
pass "a watch from elsewhere says how old the last event is once a minute has passed without one, and how old its copy is while the remote does not answer"
