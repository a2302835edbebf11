#!/bin/sh
# A step that does not apply reads n/a everywhere, never "open": the step
# pane of a step whose condition can no longer hold and of one marked n/a
# with x, the watch pane, and the report's checklist (its box and its
# counts). The key bar offers Space (tick) only where Space can tick: on
# an open check step, not on a run step nor on an n/a step.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
printf 'choose a.route a route a only\n' >"$SCREEN_TMP/prefix.walk"
run_rewind run "$REWIND_SRCDIR/tests/fixtures/playbooks/trust.json" \
	--batch --operator olga --session-dir "$SESSION_DIR" \
	<"$SCREEN_TMP/prefix.walk" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"type":"decision.made"' "$SESSION_DIR/journal.jsonl" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not decide the route"; }

start_app run "$SESSION_DIR" --operator olga
keys g j				# a.wide: open, but Space ticks no run step
assert_fixed 'a.wide  run  open'
refute_text 'Space tick' "the key bar offers Space on a run step"
keys j j j j				# a.b-run: ROUTE is a, it cannot apply
assert_fixed 'Run only for route b'
assert_fixed 'a.b-run  run  n/a'
refute_fixed 'a.b-run  run  open' "the step pane says open for a step that cannot apply"
refute_text 'Space tick' "the key bar offers Space on an n/a step"
keys j					# a.look: an open check step
assert_fixed 'a.look  check  open'
assert_text 'Space tick' "the key bar does not offer Space on an open check step"
keys x					# a.look: marked n/a
assert_fixed 'Not applicable'
type_text 'no dashboards for this one'
keys Enter
assert_fixed 'a.look  check  n/a'
refute_text 'Space tick' "the key bar offers Space on a step marked n/a"
keys q
keys_nowait Enter
wait_exit

start_app watch "$SESSION_DIR"
keys g j j j j j
assert_fixed 'a.b-run  run  n/a'
keys_nowait q
wait_exit

"$REWIND_BIN" report "$SESSION_DIR" >"$SCREEN_TMP/report.md" 2>&1
grep -qF -- '- [/] Only for route b (a.only-b) - n/a (condition did not hold)' \
	"$SCREEN_TMP/report.md" ||
	fail "the report's checklist does not show a.only-b as n/a: $(grep 'a.only-b' "$SCREEN_TMP/report.md")"
grep -qF -- '- [/] Look at the dashboards (a.look) - n/a: no dashboards for this one' \
	"$SCREEN_TMP/report.md" ||
	fail "the report's checklist shows a.look with an open box: $(grep 'a.look' "$SCREEN_TMP/report.md")"
grep -qF '0 done, 0 skipped, 3 n/a, 4 open' "$SCREEN_TMP/report.md" ||
	fail "the report's counts: $(grep ' done, ' "$SCREEN_TMP/report.md")"
pass "n/a steps read n/a in the step pane, watch and the report; no Space hint there"
