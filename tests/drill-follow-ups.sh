#!/bin/sh
# Work for after the incident (a root cause, a fix, a process change) is a
# follow-up, never a step to tick during the drill: the npm critical-outage
# good walk with its nine follow-up checks left open, and again with them
# marked n/a, still scores full marks; the card lists them as follow-ups
# (not scored) and the report lists each under "Follow-up items".
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walk=$src/tests/fixtures/walks/npm-dist-tag-rollback-scenario-critical-outage.walk
ids='root-cause tests fix fix-tested lessons prerelease-checklist validation-pipeline staging docs'
pat=$(echo "$ids" | sed 's/ /|/g')
grep -Ev "^tick communicate\.($pat) " "$walk" >"$tmp/open"
sed -E "s/^tick (communicate\.($pat)) .*/na \1 after the incident/" "$walk" >"$tmp/na"
[ "$(grep -c '^na communicate' "$tmp/na")" -ge 10 ] || fail "the n/a walk lost its n/a lines"
for how in open na; do
	"$bin" drill "$src/playbooks/npm-dist-tag-rollback.json" --batch \
		--operator olga --no-real-in-clone --session-dir "$tmp/s-$how" \
		--scenario=critical-outage <"$tmp/$how" >"$tmp/out-$how" 2>&1 || {
		fail "$how: the walk did not complete: $(grep '"type":"error"' "$tmp/out-$how" | head -2)"
		continue
	}
	python3 - "$tmp/s-$how/scorecard.json" "$ids" >"$tmp/why" 2>&1 <<'PY' || fail "$how: $(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
want = ["communicate." + i for i in sys.argv[2].split()]
by = {x["name"]: x for x in c["criteria"]}
assert c["score"] == c["max"], [(x["name"], x["points"], x["max"], x["why"]) for x in c["criteria"] if x["applies"] and x["points"] < x["max"]]
assert sorted(c["follow_ups"]) == sorted(want), c["follow_ups"]
assert not c["uncommunicated"], c["uncommunicated"]
assert not [s for s in c["skipped"] if s["step"] in want], c["skipped"]
PY
	"$bin" report "$tmp/s-$how" >"$tmp/report-$how" 2>&1
	sed -n '/^## Follow-up items/,/^## /p' "$tmp/report-$how" >"$tmp/fu-$how"
	for t in 'Root cause identified' 'Fix tested thoroughly' 'Edge cases and gotchas documented'; do
		grep -q -- "- \[ \] $t" "$tmp/fu-$how" || fail "$how: the report's follow-ups lack \"$t\""
	done
done
[ "$failed" = 0 ] && echo "PASS: drill-follow-ups"
exit "$failed"
