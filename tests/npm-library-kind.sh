#!/bin/sh
# The shipped npm playbook fits a library too: with PACKAGE_KIND=library
# the CLI's own checks (doctor, remember, search, MCP, --version, before
# and after the move) no longer apply, so a rollback of a package with no
# command completes, every required verification done and none waved
# away as n/a (full marks in the drill, nothing in the card's n/a list).
# The same walk without it stays open on those checks: a CLI's are not
# skipped silently.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
cli='(execute\.test-(doctor|remember|search|mcp)|verify\.(version|doctor|remember|search))'
# A library's users are told to update the dependency: its own notice.
grep -vE "^(run|predict) $cli( |\$)" "$walk" |
	sed 's/^send communicate\.notice$/send communicate.notice-library/' >"$tmp/library.walk"
[ "$(grep -cE "^run $cli\$" "$walk")" = 8 ] || fail "the walk does not run the CLI's eight checks"

"$bin" drill "$pb" --batch --operator olga --no-real-in-clone --var PACKAGE_KIND=library \
	--session-dir "$tmp/lib" --scenario=critical-outage <"$tmp/library.walk" >"$tmp/lib.out" 2>&1 ||
	fail "a library's walk did not complete: $(grep '"type":"error"' "$tmp/lib.out" | head -2)"
python3 - "$tmp/lib/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
by = {x["name"]: x for x in c["criteria"]}
assert c["complete"], "not complete"
assert c["score"] == c["max"], [(x["name"], x["why"]) for x in c["criteria"] if x["applies"] and x["points"] < x["max"]]
assert by["verifications"]["why"] == "0 of 4 marked n/a", by["verifications"]["why"]
na = [n["step"] for n in c["na"]]
assert not any(s.startswith(("execute.test-", "verify.version", "verify.doctor")) for s in na), na
PY

"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/cli" --scenario=critical-outage <"$tmp/library.walk" >"$tmp/cli.out" 2>&1
grep -q '"type":"session.completed"' "$tmp/cli/journal.jsonl" &&
	fail "a CLI package's walk completed with its own checks never run"
grep '"type":"awaiting"' "$tmp/cli.out" | tail -1 | grep -q 'execute.test-doctor' ||
	fail "the CLI's walk does not wait on its checks: $(grep '"type":"awaiting"' "$tmp/cli.out" | tail -1)"
[ "$failed" = 0 ] && echo "PASS: npm-library-kind"
exit "$failed"
