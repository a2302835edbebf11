#!/bin/sh
# Simulated output never contradicts the panes: the Tags and Targets tabs
# and the simulated commands read one world (the journal's drill.world
# events hold it), and the world follows what the commands did.
# - Tags: web-service's `git tag -l` printed v1.1.0, v1.0.0, v0.9.0 while
#   the Tags tab said the drill had no tags; the tags are the world's now,
#   and a fixed `git tag` output in a world without tags is a lint error
#   (drill-output-contradicts-world; a world without tags lists none).
# - Logs: restarting the backend (p0-outage) left the injected traceback
#   as the last line of the backend log in Targets; the restart's log is
#   the new process's.
# - Files: npm critical-outage's incident report showed up although the
#   rollback-release workflow that writes it had failed; the world's files
#   are written by the workflow's success only, named with its values.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
web=$src/playbooks/web-service-rollback.json
npm=$src/playbooks/npm-dist-tag-rollback.json
walks=$src/tests/fixtures/walks

drill() { # PLAYBOOK DIR [ARGS...] < walk
	pb=$1 dir=$2
	shift 2
	"$bin" drill "$pb" --batch --operator olga --no-real-in-clone \
		--session-dir "$tmp/$dir" "$@" >"$tmp/$dir.out" 2>&1
}

# finished DIR STEP: the last step.finished payload of STEP as JSON.
finished() {
	grep "\"type\":\"step.finished\".*\"step\":\"$2\"" "$tmp/$1/journal.jsonl" |
		tail -1
}

# world DIR: the world after the walk (the last drill.world state).
world() {
	python3 -c '
import json, sys
st = None
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "drill.world":
        st = e["payload"]["state"]
print(json.dumps(st))' "$tmp/$1/journal.jsonl"
}

# --- tags -------------------------------------------------------------------------
printf '%s\n' 'set ENVIRONMENT production' 'run assess.current' \
	'set CURRENT_TAG v1.1.0' 'set INCIDENT_LINK INC-1' 'set ISSUE "down"' \
	'set IMPACT "all users"' 'set SEVERITY P0' 'set FIX_OUTLOOK slow' \
	'set HEALTH_URL http://localhost:8000/api/v1/health' 'next' \
	'choose decide.response rollback down' 'run decide.tags' |
	drill "$web" tags
finished tags decide.tags | grep -q '"ok":true.*"tail":"v1.1.0\\nv1.0.0\\nv0.9.0"' ||
	fail "decide.tags does not list the world's tags: $(finished tags decide.tags)"
grep -q '"type":"drill.world"' "$tmp/tags/journal.jsonl" &&
	fail "listing tags changed the world"

cat >"$tmp/notags.json" <<'PB'
{ "id": "notags", "title": "no tags", "drill": { "state": { "http": {} } },
  "phases": [
  { "id": "assess", "steps": [ { "id": "assess.tags", "kind": "run",
    "title": "tags", "run": "git tag -l",
    "drill": { "output": ["v2.0.0", "v1.9.0"] } } ] },
  { "id": "decide", "steps": [] }, { "id": "approve", "steps": [] },
  { "id": "execute", "steps": [] }, { "id": "verify", "steps": [] },
  { "id": "communicate", "steps": [] } ] }
PB
"$bin" check "$tmp/notags.json" >"$tmp/lint" 2>&1 &&
	fail "a fixed git tag output in a world without tags passes check"
grep -q 'fixed output of step "assess.tags" names 1.9.0, 2.0.0, which the world' "$tmp/lint" ||
	fail "check does not name the contradiction: $(cat "$tmp/lint")"

# --- logs -------------------------------------------------------------------------
drill "$web" p0 --scenario=p0-outage \
	<"$walks/web-service-rollback-scenario-p0-outage.walk" ||
	fail "the p0-outage walk did not complete"
world p0 | python3 -c '
import json, sys
log = json.load(sys.stdin)["logs"]["backend"]
assert not any("Traceback" in l or "500" in l for l in log), log
assert "Application startup complete" in log[-2], log
' 2>"$tmp/why" || fail "the restarted backend's log still shows the error: $(tail -1 "$tmp/why")"

# --- files ------------------------------------------------------------------------
drill "$npm" fail --scenario=critical-outage \
	<"$walks/npm-dist-tag-rollback-scenario-critical-outage.walk" ||
	fail "the critical-outage walk did not complete"
world fail | grep -q 'incidents/' &&
	fail "the failed workflow's incident report is in the world"
[ -n "$(finished fail communicate.incident-show)" ] &&
	fail "the incident report was shown after a rollback by hand"
# (ls and cat of a file the world does not hold fail: check_world.)
# The run that succeeds writes it, with the session's values.
drill "$npm" ok <"$walks/npm-dist-tag-rollback-immediate-rollback.walk" ||
	fail "the immediate-rollback walk did not complete"
finished ok communicate.incidents-list | grep -q '"ok":true.*rollback-1.2.3.md' ||
	fail "the workflow's report is not listed: $(finished ok communicate.incidents-list)"
finished ok communicate.incident-show | grep -q '"ok":true.*# Rollback 1.2.3.*Channel: latest.*Restored: 1.2.2' ||
	fail "the workflow's report is not shown: $(finished ok communicate.incident-show)"
[ "$failed" = 0 ] && echo "PASS: drill-world-panes"
exit "$failed"
