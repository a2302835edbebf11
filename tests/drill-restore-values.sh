#!/bin/sh
# A wrong restore value is warned about where it is entered and scored in
# a drill: a pre-release set as the version restored while the channel is
# latest carries a warning on its var.set (live and drill alike), a
# release or a pre-release onto another channel does not; the web
# rollback scenarios score the restore tag (v1.0.0, which the version
# history the drill shows marks stable), so restoring v0.9.0 (marked
# unstable) costs the answers criterion and the card quotes the history.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pre.json" <<'JSON'
{
  "id": "pre", "title": "Pre-release onto latest",
  "header": { "from": "BAD", "to": "GOOD" },
  "variables": {
    "CHANNEL": { "prompt": "Channel", "pattern": "(latest|beta)" },
    "BAD": { "prompt": "Bad version" },
    "GOOD": { "prompt": "Version to restore", "from": "registry" }
  },
  "phases": [
    { "id": "assess", "steps": [] }, { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] }, { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] }
  ]
}
JSON
for mode in run drill; do
	printf 'set CHANNEL latest\nset GOOD 1.3.0-beta.2\nset GOOD 1.4.0rc1\nset GOOD 1.2.2\nset CHANNEL beta\nset GOOD 1.3.0-beta.3\nquit\n' |
		"$bin" "$mode" "$tmp/pre.json" --batch --operator olga \
		--session-dir "$tmp/$mode" >"$tmp/$mode.out" 2>&1
	grep -o '"name":"GOOD"[^}]*' "$tmp/$mode.out" >"$tmp/$mode.sets"
	grep -q '"value":"1.3.0-beta.2","warning":"Warning: GOOD 1.3.0-beta.2 is a pre-release: restoring it onto latest (CHANNEL)' "$tmp/$mode.sets" ||
		fail "$mode: no warning for a beta onto latest: $(cat "$tmp/$mode.sets")"
	grep -q '"value":"1.4.0rc1","warning"' "$tmp/$mode.sets" ||
		fail "$mode: no warning for a PEP 440 candidate onto latest"
	grep -q '"value":"1.2.2","warning"' "$tmp/$mode.sets" &&
		fail "$mode: a release was warned about"
	grep -q '"value":"1.3.0-beta.3","warning"' "$tmp/$mode.sets" &&
		fail "$mode: a beta onto beta was warned about"
done

walk=$src/tests/fixtures/walks/web-service-rollback-scenario-p0-outage.walk
sed -e "s/^set RESTORE_TAG v1.0.0/set RESTORE_TAG v0.9.0/" -e "s/^\(confirm [a-z.-]*\) v1.0.0$/\1 v0.9.0/" "$walk" >"$tmp/unstable"
grep -q '^set RESTORE_TAG v0.9.0' "$tmp/unstable" || fail "the walk sets no RESTORE_TAG"
"$bin" drill "$src/playbooks/web-service-rollback.json" --batch --operator olga \
	--no-real-in-clone --session-dir "$tmp/w" --scenario=p0-outage \
	<"$tmp/unstable" >"$tmp/w.out" 2>&1 || fail "the walk restoring v0.9.0 did not complete"
python3 - "$tmp/w/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
a = [x for x in c["criteria"] if x["name"] == "answers"][0]
assert a["points"] < a["max"], a
assert "RESTORE_TAG given as v0.9.0, the scenario's is v1.0.0 (decide.target-stable showed: \"v1.0.0  stable" in a["why"], a["why"]
PY
[ "$failed" = 0 ] && echo "PASS: drill-restore-values"
exit "$failed"
