#!/bin/sh
# A watch from another machine of a session whose commander was killed
# without a word (SIGKILL: no quit is ever published) does not look live
# forever: once its last event is a minute old or more the header says
# how old ("last event 10m ago"), since a watcher cannot tell an idle
# console from a dead one (issue 18, a team's try). The watcher's clock is
# set ten minutes ahead (REWIND_TEST_NOW) instead of waiting. With the
# remote gone the header says how old its copy is.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/screen/lib/remotecmdr.sh"
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
