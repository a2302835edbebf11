#!/bin/sh
# The web service drill's world answers kill as the real one does: the
# frontend dev server (pid 4377, which decide.find-frontend lists from the
# world) stops and frees port 5173 for its own pid only. A mistyped
# FRONTEND_PID (4343) gets "kill: (4343) - No such process" (exit 1), the
# port check then finds 5173 still in use, and the score card names both
# steps. Before, kill of any pid exited 0 and "port 5173 is free".
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walks=$src/tests/fixtures/walks
tail_of() { # STEP DIR: the output of STEP's last run, as the journal keeps it
	python3 - "$2/journal.jsonl" "$1" <<'PY'
import json, sys
last = None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "step.finished" and e["step"] == sys.argv[2]:
        last = "%s %s" % ("ok" if e["payload"]["ok"] else "failed",
                          e["payload"].get("tail", ""))
print(last)
PY
}
# walk PID: the p0-outage walk with the frontend on the dev server,
# stopped by PID; the careless trainee marks the failures n/a and goes on
walk() {
	sed -e "s|^set FRONTEND_MODE static\$|set FRONTEND_MODE dev-server\\nrun decide.find-frontend\\nset FRONTEND_PID $1|" \
	    -e '/^set WEB_ROOT/d' -e '/frontend-build/d' -e '/frontend-deploy/d' \
	    -e "s|^run execute.backend-port-free\$|&\\nconfirm execute.stop-frontend $1\\nrun execute.stop-frontend\\nrun execute.frontend-port-free\\nna execute.stop-frontend it stopped anyway\\nna execute.frontend-port-free it is fine|" \
	    -e 's|^run execute.start-backend$|&\nrun execute.start-frontend|' \
	    -e 's|^run verify.backend-log$|&\nrun verify.frontend-log|' \
	    "$walks/web-service-rollback-scenario-p0-outage.walk"
}
drill() { # PID DIR
	walk "$1" | "$bin" drill "$src/playbooks/web-service-rollback.json" \
		--batch --operator olga --no-real-in-clone --session-dir "$2" \
		--scenario=p0-outage >"$2.out" 2>&1
}

drill 4377 "$tmp/good" || fail "the walk with the right pid did not complete"
tail_of decide.find-frontend "$tmp/good" | grep -q 'node *4377 .*:5173 (LISTEN)' ||
	fail "find-frontend: $(tail_of decide.find-frontend "$tmp/good")"
t=$(tail_of execute.stop-frontend "$tmp/good")
[ "$t" = "ok " ] || fail "kill -TERM 4377 said: $t"
t=$(tail_of execute.frontend-port-free "$tmp/good")
[ "$t" = "ok port 5173 is free" ] || fail "after kill 4377 the port check says: $t"

drill 4343 "$tmp/wrong" || fail "the walk with the wrong pid did not complete"
t=$(tail_of execute.stop-frontend "$tmp/wrong")
[ "$t" = "failed kill: (4343) - No such process" ] ||
	fail "kill -TERM of a pid no process has said: $t"
t=$(tail_of execute.frontend-port-free "$tmp/wrong")
case $t in
"failed "*"port 5173 is still in use"*) ;;
*) fail "the dev server was never stopped, yet the port check says: $t" ;;
esac
# unexecuted STEP DIR: whether the card lists STEP as failed, then n/a
unexecuted() {
	python3 - "$2/scorecard.json" "$1" <<'PY'
import json, sys
card = json.load(open(sys.argv[1]))
sys.exit(0 if any(o["step"] == sys.argv[2] and o.get("failed_first")
                  for o in card["unexecuted"]) else 1)
PY
}
unexecuted execute.stop-frontend "$tmp/wrong" ||
	fail "the score card does not show the failed stop"
unexecuted execute.frontend-port-free "$tmp/wrong" ||
	fail "the score card does not show the failed port check"
unexecuted execute.stop-frontend "$tmp/good" &&
	fail "the good walk's score card holds the stop against it"

[ "$failed" = 0 ] && echo "PASS: drill-world-kill"
exit "$failed"
