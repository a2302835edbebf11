#!/bin/sh
# The drill's world follows what the trainee actually did, and simulated
# output uses the values the command was given. web-service p0-outage with
# execute.stop-backend marked n/a: the old backend (pid 4242, which
# decide.find-backend lists from the world) still holds the port, so the
# port check fails, the start fails with "address already in use" and
# the health check still answers 500; the good walk frees the port and
# starts pid 5120. pypi critical-bug-published with FEATURE=import: the
# hotfix commit prints the message it was given, not the author's example.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

walks=$src/tests/fixtures/walks
web=$walks/web-service-rollback-scenario-p0-outage.walk
# tail STEP DIR: the output of STEP's last run, as the journal keeps it
tail_of() {
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
drill() { # PLAYBOOK SCENARIO WALK DIR
	"$bin" drill "$src/playbooks/$1.json" --batch --operator olga \
		--no-real-in-clone --session-dir "$4" --scenario="$2" <"$3" \
		>"$4.out" 2>&1
}

drill web-service-rollback p0-outage "$web" "$tmp/good" ||
	fail "the good walk did not complete"
tail_of execute.backend-port-free "$tmp/good" | grep -qx 'ok port 8000 is free' ||
	fail "good: $(tail_of execute.backend-port-free "$tmp/good")"
tail_of execute.start-backend "$tmp/good" | grep -q '^ok backend running as pid 5120' ||
	fail "good: $(tail_of execute.start-backend "$tmp/good")"

# the backend never stopped: the trainee waves the failures and goes on
sed -e '/^confirm execute.stop-backend/d' \
	-e 's/^run execute.stop-backend$/na execute.stop-backend systemd stops it/' \
	-e 's/^run execute.start-backend$/run execute.start-backend\nna execute.backend-port-free it is fine\nna execute.start-backend it is fine/' \
	"$web" >"$tmp/nostop"
drill web-service-rollback p0-outage "$tmp/nostop" "$tmp/n"
tail_of decide.find-backend "$tmp/n" | grep -q 'python *4242 .*127.0.0.1:8000 (LISTEN)' ||
	fail "find-backend: $(tail_of decide.find-backend "$tmp/n")"
t=$(tail_of execute.backend-port-free "$tmp/n")
case $t in
"failed "*"still in use"*) ;;
*) fail "the port was never freed, yet backend-port-free says: $t" ;;
esac
t=$(tail_of execute.start-backend "$tmp/n")
case $t in
"failed "*"address already in use"*) ;;
*) fail "the old backend holds the port, yet start-backend says: $t" ;;
esac
t=$(tail_of verify.health "$tmp/n")
case $t in
"failed "*500*) ;;
*) fail "the new backend never started, yet verify.health says: $t" ;;
esac

# the values the command was given
pypi=$walks/pypi-release-recovery-scenario-critical-bug-published.walk
sed 's/^set FEATURE .*/set FEATURE import/' "$pypi" >"$tmp/import"
drill pypi-release-recovery critical-bug-published "$tmp/import" "$tmp/p" ||
	fail "the pypi walk did not complete"
t=$(tail_of execute.hotfix-commit "$tmp/p")
case $t in
*"fix: critical bug in import"*) ;;
*) fail "git commit -m \"fix: critical bug in import\" printed: $t" ;;
esac
case $t in *"order sizing"*) fail "the author's example leaks: $t" ;; esac

[ "$failed" = 0 ] && echo "PASS: drill-world-follows"
exit "$failed"
