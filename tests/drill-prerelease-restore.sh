#!/bin/sh
# A pre-release put on latest in a drill is scored and reported: the good
# npm critical-outage walk with RESTORE_VERSION 1.3.0-beta.3 instead of
# 1.2.2 loses the whole "restore" criterion (more than one wrong answer
# among six costs), and the report lists the restore under Findings. In
# cosmetic-typo, where the expected decision is not to roll back, rolling
# back (to the same beta) loses the decision; the restore is not on the
# expected path, so it is left out of the total (one maximum for every walk
# of the scenario), its reason still naming the beta.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/playbooks/npm-dist-tag-rollback.json
good=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
sed -e 's/^set RESTORE_VERSION 1.2.2$/set RESTORE_VERSION 1.3.0-beta.3/' \
	-e 's/^confirm execute.dist-tag 1.2.2$/confirm execute.dist-tag 1.3.0-beta.3/' \
	"$good" >"$tmp/beta.walk"
grep -q 'RESTORE_VERSION 1.3.0-beta.3' "$tmp/beta.walk" || fail "the walk was not edited"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/s" --scenario=critical-outage <"$tmp/beta.walk" \
	>"$tmp/out" 2>&1 ||
	fail "the walk did not complete: $(grep '"type":"error"' "$tmp/out" | head -2)"

# The cosmetic typo, rolled back to the beta anyway (the trainee's walk).
cat >"$tmp/typo.walk" <<'W'
run assess.latest
tick assess.downloads
set ROLLBACK_VERSION 1.2.3
set CHANNEL latest
set ISSUE_TYPE critical-bug
set SEVERITY critical
set IMPACT over-50
na assess.beta skip
na assess.canary skip
na assess.package skip
na assess.versions skip
na assess.releases skip
next
choose decide.warranted roll-back because
choose decide.response immediate-rollback fast
choose decide.method manual quicker
set RESTORE_VERSION 1.3.0-beta.3
set REASON "Typo in help"
set DEPRECATION_MESSAGE bad
na decide.test-known-issues skip
next
approve approve.release-manager "Release Manager" bob lgtm
next
na execute.test-install skip
na execute.test-doctor skip
na execute.test-remember skip
na execute.test-search skip
na execute.test-mcp skip
run execute.npm-login
confirm execute.dist-tag 1.3.0-beta.3
predict execute.dist-tag ok
run execute.dist-tag
run execute.dist-tag-check
confirm execute.deprecate 1.2.3
run execute.deprecate
next
W
sed -n '/^predict verify.channel/,$p' "$good" >>"$tmp/typo.walk"
"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
	--session-dir "$tmp/t" --scenario=cosmetic-typo <"$tmp/typo.walk" \
	>"$tmp/t.out" 2>&1 ||
	fail "the typo walk did not complete: $(grep '"type":"error"' "$tmp/t.out" | head -2)"
python3 - "$tmp/s/scorecard.json" "$tmp/s/report.json" "$tmp/t/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
crit = {x["name"]: x for x in c["criteria"]}
rs, an = crit["restore"], crit["answers"]
assert rs["applies"] and rs["points"] == 0, rs
assert "1.3.0-beta.3" in rs["why"], rs["why"]
# heavier than the one wrong answer (RESTORE_VERSION) among six
assert rs["max"] - rs["points"] > an["max"] - an["points"], (rs, an)
assert c["prerelease_restored"] == "1.3.0-beta.3", c
assert any("pre-release" in f and "1.3.0-beta.3" in f for f in r["findings"]), r["findings"]
t = json.load(open(sys.argv[3]))
tc = {x["name"]: x for x in t["criteria"]}
assert t["expected"]["followed"] is False, t["expected"]
assert tc["decision"]["applies"] and tc["decision"]["points"] == 0, tc["decision"]
assert not tc["restore"]["applies"], tc["restore"]
assert "not on the path of the expected decision do-not-roll-back" in tc["restore"]["why"], tc["restore"]
assert "1.3.0-beta.3" in tc["restore"]["why"], tc["restore"]
assert t["prerelease_restored"] == "1.3.0-beta.3", t
PY
"$bin" report "$tmp/s" >"$tmp/report" 2>&1
grep -q '^## Findings' "$tmp/report" && grep -qE 'Restored (to pre-release version 1.3.0-beta.3|a pre-release onto latest \(RESTORE_VERSION 1.3.0-beta.3)' "$tmp/report" ||
	fail "the report has no finding for the pre-release restore"
[ "$failed" = 0 ] && echo "PASS: drill-prerelease-restore"
exit "$failed"
