#!/bin/sh
# A restore target the registry has withdrawn (npm: deprecated) is said
# plainly wherever the restore is decided and signed, from the registry
# data the console has (an npm registry on loopback, tests/fixtures/
# fixsrv.py): the status line once the value is entered, the s dialog's
# list and its value line (the value set), the
# approval dialog, rewind approve's summary, and the typed confirmation
# of the destructive step. Nothing refuses it: the operator may go on,
# and the report then lists "Restored to deprecated version" under
# Findings.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "for the fixture registry server"

PKG=rewind-fixture
ROUTES=$SCREEN_TMP/routes.json
cat >"$ROUTES" <<EOF
{"/$PKG": {"body": {"_id": "$PKG", "name": "$PKG",
  "dist-tags": {"latest": "1.2.3"},
  "time": {"1.2.1": "2026-10-01T10:00:00.000Z",
           "1.2.2": "2026-10-08T10:00:00.000Z",
           "1.2.3": "2026-10-15T10:00:00.000Z"},
  "versions": {
    "1.2.1": {"name": "$PKG", "version": "1.2.1",
              "deprecated": "corrupts the cache"},
    "1.2.2": {"name": "$PKG", "version": "1.2.2"},
    "1.2.3": {"name": "$PKG", "version": "1.2.3"}}}}}
EOF
mkfifo "$SCREEN_TMP/srv.in" || fail "mkfifo"
python3 "$REWIND_SRCDIR/tests/fixtures/fixsrv.py" "$ROUTES" \
	<"$SCREEN_TMP/srv.in" >"$SCREEN_TMP/srv.out" 2>"$SCREEN_TMP/srv.err" &
SRV_PID=$!
exec 9>"$SCREEN_TMP/srv.in"	# the server stops when this closes (exit)
i=0
until PORT=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$SCREEN_TMP/srv.out") &&
      [ -n "$PORT" ]; do
	[ "$i" -lt $((500 * REWIND_TEST_SLACK)) ] || fail "fixsrv did not start: $(cat "$SCREEN_TMP/srv.err")"
	kill -0 "$SRV_PID" 2>/dev/null || fail "fixsrv died: $(cat "$SCREEN_TMP/srv.err")"
	sleep 0.01
	i=$((i + 1))
done

PB=$SCREEN_TMP/withdrawn.json
cat >"$PB" <<EOF
{
  "id": "withdrawn-target",
  "title": "Withdrawn target",
  "header": { "from": "BAD_VERSION", "to": "RESTORE_VERSION" },
  "variables": {
    "BAD_VERSION": { "prompt": "Bad version", "default": "1.2.3" },
    "RESTORE_VERSION": { "prompt": "Version to restore",
                         "pattern": "[0-9]+\\\\.[0-9]+\\\\.[0-9]+",
                         "from": "registry" }
  },
  "targets": {
    "registry": [ { "type": "npm", "name": "$PKG",
                    "url": "http://127.0.0.1:$PORT/" } ]
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "restore", "kind": "input", "title": "Version to restore",
        "variable": "RESTORE_VERSION" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "approve.go", "kind": "approve", "title": "Release manager signs",
        "roles": [ { "role": "Release Manager", "count": 1 } ],
        "gates": ["execute"] } ] },
    { "id": "execute", "steps": [
      { "id": "execute.move", "kind": "run", "title": "Move latest back",
        "run": "echo moving latest to \$RESTORE_VERSION",
        "destructive": true, "confirm": "\${RESTORE_VERSION}",
        "drill": { "output": "moving latest" } } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF
run_rewind check "$PB" >"$SCREEN_TMP/check.out" 2>&1 ||
	{ cat "$SCREEN_TMP/check.out"; fail "rewind check refused the playbook"; }

SESSION_DIR=$SCREEN_TMP/session
journal=$SESSION_DIR/journal.jsonl
APP_ENV="REWIND_REGISTRY_REFRESH=10m"
start_app -x 100 -y 30 run "$PB" --session-dir "$SESSION_DIR" --operator sam
i=0
until grep -q '"type":"registry.answer"' "$journal" 2>/dev/null; do
	[ "$i" -lt $((500 * REWIND_TEST_SLACK)) ] || fail "no registry answer journalled"
	sleep 0.01
	i=$((i + 1))
done
WARN='Warning: restoring a withdrawn version: rewind-fixture@1.2.1 is deprecated: corrupts the cache'
warned() {	# WHERE: the warning is on screen (wrapped at word ends)
	for w in 'Warning:' 'withdrawn' 'rewind-fixture@1.2.1' 'corrupts'; do
		assert_fixed "$w" "$1 does not warn ($w)"
	done
}

# Once the value is entered the status line warns (never while it is
# typed); a good version does not.
keys s					# (keys typed before a dialog is drawn are dropped)
keys j Enter				# RESTORE_VERSION
assert_fixed 'Must match:'
type_text 1.2.2
refute_fixed 'Warning: restoring' "1.2.2 is not withdrawn"
keys BSpace
type_text 1
refute_fixed 'Warning: restoring' "warned while typing"
keys Enter				# a warning never refuses
assert_fixed 'RESTORE_VERSION set. Warning: restoring a withdrawn version'
[ "$(grep -c '"name":"RESTORE_VERSION","value":"1.2.1"' "$journal")" = 1 ] ||
	fail "no var.set RESTORE_VERSION=1.2.1"
# The list says it beside the variable.
keys s
assert_text '▸ BAD_VERSION'
warned "the s list"
keys Escape

# The approval: the console's dialog and rewind approve's summary.
keys '>' '>'
wait_text '▶ approve' 2
keys a
assert_fixed 'Approve: Release manager signs'
warned "the approval dialog"
keys Escape
run_rewind approve "$SESSION_DIR" approve.go --role "Release Manager" \
	--as dana --yes >"$SCREEN_TMP/approve.out" 2>&1 ||
	{ cat "$SCREEN_TMP/approve.out"; fail "rewind approve failed"; }
grep -qF "$WARN" "$SCREEN_TMP/approve.out" ||
	{ cat "$SCREEN_TMP/approve.out"; fail "rewind approve's summary does not warn"; }

# The typed confirmation of the destructive step.
keys '>'
wait_text '▶ execute' 3
keys Enter
assert_fixed 'Confirm: Move latest back'
warned "the confirmation"
type_text 1.2.1
keys Enter
wait_text '\[✓\] Move latest back' 3
keys q
assert_fixed 'Quit the live console?'
keys_nowait Enter
wait_exit

run_rewind report "$SESSION_DIR" >"$SCREEN_TMP/report.out" 2>&1 ||
	{ cat "$SCREEN_TMP/report.out"; fail "rewind report failed"; }
md=$SCREEN_TMP/report.out
grep -q '^## Findings$' "$md" || fail "the report has no Findings"
grep -qF -- '- Restored to deprecated version 1.2.1 (rewind-fixture@1.2.1 is deprecated: corrupts the cache)' "$md" ||
	fail "the report does not list the restore to a deprecated version"
pass "a withdrawn restore target is said where it is decided and signed"
