#!/bin/sh
# A pre-release restored onto latest, and a version the registry never
# published, are said wherever a withdrawn restore target is (one rule in
# core/withdrawn.c): the status line once the value is entered (never
# while it is typed) and after a Registry pick, the s dialog under the
# value set, the approval
# dialog, rewind approve's summary, the typed confirmation; the report
# lists "Restored a pre-release onto latest" under Findings. An npm
# registry on loopback (tests/fixtures/fixsrv.py) publishes 1.2.1..1.2.3
# and 1.3.0-beta.1. Nothing refuses either: the operator may go on.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "for the fixture registry server"

PKG=rewind-fixture
ROUTES=$SCREEN_TMP/routes.json
cat >"$ROUTES" <<EOF
{"/$PKG": {"body": {"_id": "$PKG", "name": "$PKG",
  "dist-tags": {"latest": "1.2.3", "beta": "1.3.0-beta.1"},
  "time": {"1.2.1": "2026-10-01T10:00:00.000Z",
           "1.2.2": "2026-10-08T10:00:00.000Z",
           "1.2.3": "2026-10-15T10:00:00.000Z",
           "1.3.0-beta.1": "2026-10-20T10:00:00.000Z"},
  "versions": {
    "1.2.1": {"name": "$PKG", "version": "1.2.1"},
    "1.2.2": {"name": "$PKG", "version": "1.2.2"},
    "1.2.3": {"name": "$PKG", "version": "1.2.3"},
    "1.3.0-beta.1": {"name": "$PKG", "version": "1.3.0-beta.1"}}}}}
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

PB=$SCREEN_TMP/target.json
cat >"$PB" <<EOF
{
  "id": "target-warnings",
  "title": "Target warnings",
  "header": { "from": "BAD_VERSION", "to": "RESTORE_VERSION" },
  "variables": {
    "CHANNEL": { "prompt": "Channel", "pattern": "(latest|beta)",
                 "default": "beta" },
    "BAD_VERSION": { "prompt": "Bad version", "default": "1.2.3" },
    "RESTORE_VERSION": { "prompt": "Version to restore",
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
        "run": "echo moving \$CHANNEL to \$RESTORE_VERSION",
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
start_app -x 120 -y 30 run "$PB" --session-dir "$SESSION_DIR" --operator sam \
	--var CHANNEL=latest
i=0
until grep -q '"type":"registry.answer"' "$journal" 2>/dev/null; do
	[ "$i" -lt $((500 * REWIND_TEST_SLACK)) ] || fail "no registry answer journalled"
	sleep 0.01
	i=$((i + 1))
done

# Never published: said once the value is entered (Enter), never while
# it is typed ("1.", "1.2." are no published versions either); then under
# the value the s dialog opens with.
keys s
wait_text 'Set a variable' 3
keys j j
wait_text '▸ RESTORE_VERSION' 3
keys Enter
wait_text 'Version to restore' 3
type_text 1.
refute_fixed 'not a published version' "warned at \"1.\" while typing"
type_text 2.
refute_fixed 'not a published version' "warned at \"1.2.\" while typing"
keys BSpace BSpace BSpace BSpace
type_text 1.3.0-beta.1.2.1
refute_fixed 'not a published version' "warned while typing"
keys Enter				# a warning never refuses
wait_text 'RESTORE_VERSION set. Warning: 1.3.0-beta.1.2.1 is not a' 3
grep -q '"name":"RESTORE_VERSION","value":"1.3.0-beta.1.2.1"' "$journal" ||
	fail "no var.set RESTORE_VERSION=1.3.0-beta.1.2.1"
keys s
wait_text '▸ CHANNEL' 3
keys j j Enter
wait_text 'Version to restore' 3
assert_fixed "1.3.0-beta.1.2.1 is not a published version of $PKG" \
	"the dialog does not warn about the value set"
keys Escape

# A published release: no warning under the value.
keys s
wait_text '▸ CHANNEL' 3
keys j j Enter
wait_text 'Version to restore' 3
type_text 1.2.2
refute_fixed '1.2.2 is' "1.2.2 is published, not withdrawn, not a pre-release"
# A pre-release onto latest: said once entered, not as typed.
keys BSpace BSpace BSpace BSpace BSpace
type_text 1.3.0-beta.1
refute_fixed 'is a pre-release' "warned while typing"
keys Enter
wait_text 'RESTORE_VERSION set. Warning: RESTORE_VERSION 1.3.0-beta.1 is a' 3

# The approval: the console's dialog and rewind approve's summary.
keys '>' '>'
wait_text '▶ approve' 2
keys a
assert_fixed 'Approve: Release manager signs'
assert_fixed 'is a pre-release' "the approval dialog does not warn"
keys Escape
run_rewind approve "$SESSION_DIR" approve.go --role "Release Manager" \
	--as dana --yes >"$SCREEN_TMP/approve.out" 2>&1 ||
	{ cat "$SCREEN_TMP/approve.out"; fail "rewind approve failed"; }
grep -qF 'Warning: RESTORE_VERSION 1.3.0-beta.1 is a pre-release: restoring it onto latest (CHANNEL)' \
	"$SCREEN_TMP/approve.out" ||
	{ cat "$SCREEN_TMP/approve.out"; fail "rewind approve's summary does not warn"; }

# The typed confirmation of the destructive step.
keys '>'
wait_text '▶ execute' 3
keys Enter
assert_fixed 'Confirm: Move latest back'
assert_fixed 'is a pre-release' "the confirmation does not warn"
type_text 1.3.0-beta.1
keys Enter
wait_text '\[✓\] Move latest back' 3
keys q
assert_fixed 'Quit the live console?'
keys_nowait Enter
wait_exit

run_rewind report "$SESSION_DIR" >"$SCREEN_TMP/report.out" 2>&1 ||
	{ cat "$SCREEN_TMP/report.out"; fail "rewind report failed"; }
grep -q '^## Findings$' "$SCREEN_TMP/report.out" || fail "the report has no Findings"
grep -qF -- '- Restored a pre-release onto latest (RESTORE_VERSION 1.3.0-beta.1 is a pre-release' \
	"$SCREEN_TMP/report.out" ||
	fail "the report does not list the pre-release restored onto latest"
pass "a pre-release onto latest and an unpublished version are said where a withdrawn one is"
