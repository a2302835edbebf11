#!/bin/sh
# The report's follow-ups list what is still owed: a required check or
# verification marked n/a, and notes starting "follow-up:". An optional
# step marked n/a owes nothing and is not a follow-up (it stays in the Not
# applicable section with its reason).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac

S=$tmp/s
printf '%s\n' 'set VERSION 1.2.3' 'run a.wide' 'confirm a.tag 1.2.3' 'run a.tag' \
	'choose a.route a route a only' 'na a.look no dashboards today' next next \
	'approve p.sign "Release Manager" bob' next 'run e.move' 'send e.notice' next \
	'na v.latest the registry is down' 'na v.smoke no smoke suite yet' \
	'note follow-up: write the smoke suite' |
	(cd "$tmp" && "$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$S" >"$tmp/walk.out" 2>"$tmp/walk.err")
grep -q '"step":"v.smoke"' "$S/journal.jsonl" ||
	{ cat "$tmp/walk.err"; fail "the walk did not reach the verify phase"; exit 1; }
"$bin" report "$S" >"$tmp/report.md" 2>&1
sed -n '/^## Follow-up items/,/^## /p' "$tmp/report.md" >"$tmp/follow.md"
grep -q 'latest points at the good version (n/a: the registry is down)' "$tmp/follow.md" ||
	fail "a required verification marked n/a is not a follow-up: $(cat "$tmp/follow.md")"
grep -q 'write the smoke suite' "$tmp/follow.md" ||
	fail "a follow-up note is not listed"
! grep -q 'Smoke tests pass' "$tmp/follow.md" ||
	fail "an optional verification marked n/a is listed as a follow-up"
! grep -q 'Look at the dashboards' "$tmp/follow.md" ||
	fail "an optional check marked n/a is listed as a follow-up"
grep -q 'Look at the dashboards (a.look): no dashboards today' "$tmp/report.md" ||
	fail "the optional n/a step left the Not applicable section"
exit $failed
