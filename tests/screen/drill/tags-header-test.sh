#!/bin/sh
# The Tags tab's header in a drill world says where HEAD is as the story
# tells it, never "(no branch) @ (no commits)": pypi's world is on main
# at v1.4.0's commit (critical-bug-published: "main @ 3c4d5e6"); the
# example's world is at v1.4.0 with no branch named, detached there
# ("detached @ a1b2c3d"), as its simulated git log shows.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

start_app -x 140 -y 36 drill "$REWIND_SRCDIR/playbooks/pypi-release-recovery.json" \
	--scenario critical-bug-published --operator sam --no-real-in-clone \
	--session-dir "$SCREEN_TMP/pypi"
wait_text 'q quit'
tab Tags
wait_text '│ main @ 3c4d5e6 ' 5
refute_text 'no branch|no commits' "the Tags tab's header says no branch or no commits"
assert_text '│ HEAD[A-Z,]* +v1\.4\.0 ' "v1.4.0 is not marked HEAD"

fresh_server
start_app -x 140 -y 36 drill "$REWIND_SRCDIR/playbooks/example.json" \
	--scenario p0-outage --operator sam --no-real-in-clone \
	--session-dir "$SCREEN_TMP/example"
wait_text 'q quit'
tab Tags
wait_text '│ detached @ a1b2c3d ' 5
refute_text 'no branch|no commits' "the example's Tags header says no branch or no commits"
pass "the Tags tab's header follows the drill world's branch and head"
