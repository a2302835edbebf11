#!/bin/sh
# A drill's recovery clock follows a reopened phase, as the live header
# does: tests/fixtures/playbooks/redo.json drilled to communicate at 19:30
# (the verify phase left then), the restore version changed at 19:33,
# which reopens the channel's rollback, and its steps done again then.
# The score card counts the recovery to when the reopened steps were done
# again (180 s), not to the first time the verify phase was left (0 s).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
pb=$src/tests/fixtures/playbooks/redo.json

export REWIND_TEST_NOW=2026-11-21T19:30:00Z
printf '%s\n' next next next 'run dist-tag' 'run dist-tag-check' next \
	'tick users-ok installs fine' next |
	"$bin" drill "$pb" --batch --operator sam --session-dir "$tmp/s" \
	>"$tmp/o1" 2>&1
grep -q '"phase":"communicate"' "$tmp/o1" || fail "the walk did not reach communicate"
export REWIND_TEST_NOW=2026-11-21T19:33:00Z
printf '%s\n' 'set RESTORE_VERSION 1.2.1' 'run dist-tag' 'run dist-tag-check' \
	'tick users-ok installs 1.2.1' 'tick notice posted' next |
	"$bin" drill "$tmp/s" --batch --operator sam >"$tmp/o2" 2>&1
grep -q '"type":"step.reopened"\|"reopened":\[{' "$tmp/o2" ||
	fail "the restore version changed reopened nothing: $(grep error "$tmp/o2" | head -2)"
python3 - "$tmp/s/scorecard.json" >"$tmp/why" 2>&1 <<'PY' || fail "$(cat "$tmp/why")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["complete"], c
assert c["recovery_seconds"] == 180, (c["recovery_seconds"], c["recovery_to"])
assert "reopened" in c["recovery_to"], c["recovery_to"]
rto = next(x for x in c["criteria"] if x["name"] == "rto")
assert rto["why"].startswith("180 s (to when the reopened"), rto["why"]
PY
[ "$failed" = 0 ] && echo "PASS: drill-rto-reopen"
exit $failed
