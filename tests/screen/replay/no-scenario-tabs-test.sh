#!/bin/sh
# A drill run without a scenario, on a playbook that has scenarios (the
# bundled example), replays with every side tab: pressing Tab through
# Step, Output, Tags and the rest draws each one (the Tags tab asks for
# the drill's state, and no scenario once crashed it).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
grep -v '^#' "$REWIND_SRCDIR/playbooks/example.walk" |
	run_rewind drill --batch --session-dir "$SESSION_DIR" --operator sam \
		"$REWIND_SRCDIR/playbooks/example.json" >/dev/null 2>&1 ||
	fail "the batch walk failed"
grep -q '"scenario":"' "$SESSION_DIR/journal.jsonl" &&
	fail "the walk picked a scenario; this test needs a drill without one"

start_app replay "$SESSION_DIR"
assert_fixed "COMPLETE"
for n in 1 2 3 4 5; do
	keys Tab
	app_alive || fail "replay died after Tab press $n"
done
keys_nowait q
wait_exit
pass
