#!/bin/sh
# The score card's list of required execute steps marked n/a says what did
# run: npm critical-outage with the install tests and the dist-tag check
# marked n/a, while npm dist-tag add ran and moved latest back, is headed
# "(these execute steps did run: ..., execute.dist-tag, ...)", never "the
# rollback was never done" (which the report said before).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed -e 's/^run execute.test-\(.*\)$/na execute.test-\1 skip tests/' \
    -e 's/^run execute.dist-tag-check$/na execute.dist-tag-check skip/' \
    "$walk" >"$tmp/careless"
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/s" \
	--scenario=critical-outage <"$tmp/careless" >"$tmp/s.out" 2>&1 ||
	fail "the walk did not complete"
"$bin" report "$tmp/s" >"$tmp/report.md" 2>&1 || fail "rewind report failed"
h=$(grep '^### Required execute steps marked n/a' "$tmp/report.md")
case $h in
*"these execute steps did run: "*execute.dist-tag[,\)]*) ;;
*) fail "the heading does not say the dist-tag ran: $h" ;;
esac
case $h in *"never done"*) fail "the heading denies the restore: $h" ;; esac
grep -q '^- execute.test-install: skip tests' "$tmp/report.md" ||
	fail "the steps marked n/a are not listed"

# nothing of the rollback ran: the heading says so
sed -e '/^confirm execute\./d' -e '/^predict execute\./d' \
    -e 's/^run \(execute\.[a-z-]*\)$/na \1 skip/' \
    -e 's/^run \(verify\.[a-z-]*\)$/run \1\nna \1 skip/' "$tmp/careless" >"$tmp/none"
"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
	--operator olga --no-real-in-clone --session-dir "$tmp/n" \
	--scenario=critical-outage <"$tmp/none" >"$tmp/n.out" 2>&1
"$bin" report "$tmp/n" >"$tmp/n.md" 2>&1
grep -q '^### Required execute steps marked n/a (nothing of the rollback ran)' \
	"$tmp/n.md" || fail "with nothing run: $(grep '^### Required execute' "$tmp/n.md")"

[ "$failed" = 0 ] && echo "PASS: drill-unexecuted-heading"
exit "$failed"
