#!/bin/sh
# An injection changes every view of the drill's world: after the game
# master fires fix-published (pypi critical-bug-published), gh run list
# shows the fix's release run and git tag shows v1.4.1, as pip already
# showed 1.4.1 (before, gh run list was the author's fixed text and the
# tags did not move).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

tail_of() { # STEP DIR: the output of STEP's last run
	python3 - "$2/journal.jsonl" "$1" <<'PY'
import json, sys
last = None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "step.finished" and e["step"] == sys.argv[2]:
        last = e["payload"].get("tail", "")
print(last)
PY
}
printf 'set VERSION 1.4.0\n' |
	"$bin" drill "$src/playbooks/pypi-release-recovery.json" --batch \
		--operator olga --no-real-in-clone --session-dir "$tmp/s" \
		--scenario=critical-bug-published >"$tmp/1.out" 2>&1
"$bin" drill --inject "$tmp/s" fix-published >"$tmp/inject.out" 2>&1 ||
	fail "the injection did not fire: $(cat "$tmp/inject.out")"
printf 'run assess.runs\nrun assess.tags\n' |
	"$bin" drill "$tmp/s" --batch --operator olga >"$tmp/2.out" 2>&1
tail_of assess.runs "$tmp/s" >"$tmp/runs"
tail_of assess.tags "$tmp/s" >"$tmp/tags"
head -1 "$tmp/runs" | grep -q 'chore(release): 1.4.1	Release' ||
	fail "gh run list does not show the fix's release run: $(cat "$tmp/runs")"
grep -q '9876543210' "$tmp/runs" || fail "gh run list lost the earlier runs"
head -1 "$tmp/tags" | grep -qx 'v1.4.1' ||
	fail "git tag does not show v1.4.1: $(cat "$tmp/tags")"
[ "$failed" = 0 ] && echo "PASS: drill-inject-views"
exit "$failed"
