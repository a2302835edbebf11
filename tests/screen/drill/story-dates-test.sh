#!/bin/sh
# The npm world's dates follow the scenario's story, counted from the
# drill's start: critical-outage says 1.2.3 became latest this morning,
# and the playbook's world dates it 5h20m before the start. With the drill
# started at 2026-11-21 19:30 UTC, the simulated `npm view` summary says
# "published 2026-11-21T14:10:00Z", `gh release list` dates v1.2.3 the
# same and v1.2.2 nine days earlier, and the Registry tab shows 1.2.3
# published 2026-11-21 14:10 (it showed no date, and the commands dates
# weeks before the drill whenever it ran). A drill started two weeks
# later dates them two weeks later.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

pb=$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json
printf '%s\n' 'run assess.package' 'run assess.releases' >"$SCREEN_TMP/walk"
# drill DIR: the walk in batch mode (it stops short of complete).
drill() {
	SESSION_DIR=$SCREEN_TMP/$1
	run_rewind drill "$pb" --batch --operator sam --no-real-in-clone \
		--session-dir "$SESSION_DIR" --scenario critical-outage \
		<"$SCREEN_TMP/walk" >"$SESSION_DIR.out" 2>&1
}
drill now
grep -q '"step":"assess.package","payload":{"ok":true.*"tail":"[^"]*\\n\\npublished 2026-11-21T14:10:00Z"' \
	"$SESSION_DIR.out" ||
	{ cat "$SESSION_DIR.out"; fail "npm view does not date 1.2.3 5h20m before the start"; }
grep -q '"step":"assess.releases","payload":{"ok":true.*"tail":"v1.2.3\\tLatest\\tv1.2.3\\t2026-11-21T14:10:00Z\\nv1.2.2\\t\\tv1.2.2\\t2026-11-12T17:30:00Z' \
	"$SESSION_DIR.out" ||
	{ cat "$SESSION_DIR.out"; fail "gh release list does not date the releases from the start"; }
fresh_server
start_app -x 140 -y 36 drill "$SESSION_DIR" --operator sam --no-real-in-clone
wait_text 'q quit'
tab Registry
assert_text '│ +1\.2\.3 +2026-11-21 14:10 ' "the Registry tab does not date 1.2.3 5h20m before the start"
assert_text '│ +1\.2\.2 +2026-11-12 17:30( |$)' "the Registry tab does not date 1.2.2 from the start"

REWIND_TEST_NOW=2026-12-05T19:30:00Z
drill later
grep -q '"step":"assess.releases","payload":{"ok":true.*"tail":"v1.2.3\\tLatest\\tv1.2.3\\t2026-12-05T14:10:00Z' \
	"$SESSION_DIR.out" ||
	{ cat "$SESSION_DIR.out"; fail "a later drill's gh release list keeps the first drill's dates"; }
pass "the npm world's dates follow the story, counted from the drill's start"
