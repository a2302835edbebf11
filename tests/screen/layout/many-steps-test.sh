#!/bin/sh
# A phase of 600 steps: the checklist counts and shows every one of them
# (it used to keep the first 512 and drop the rest silently), and G
# reaches the last.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "to write the long playbook"
PB=$SCREEN_TMP/many.json
python3 - "$PB" <<'PY'
import json, sys
steps = [{"id": "a.s%03d" % i, "kind": "check", "title": "Check number %03d" % i}
         for i in range(1, 601)]
pb = {"id": "many-steps", "title": "Six hundred checks",
      "summary": "A phase longer than any screen.",
      "phases": [{"id": "assess", "steps": steps}] +
                [{"id": p, "steps": []} for p in
                 ("decide", "approve", "execute", "verify", "communicate")]}
json.dump(pb, open(sys.argv[1], "w"))
PY
run_rewind check "$PB" >"$SCREEN_TMP/check.out" 2>&1 ||
	fail "rewind check refused the long playbook: $(cat "$SCREEN_TMP/check.out")"
start_app drill "$PB" --session-dir "$SCREEN_TMP/session" --operator sam
wait_text 'Checklist: assess  0/600'
keys G
wait_text 'Check number 600'
assert_text 'a\.s600  check  open' "G did not select the 600th step"
pass "600 steps in a phase: counted, shown, reachable"
