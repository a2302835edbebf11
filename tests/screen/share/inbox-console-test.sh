#!/bin/sh
# A sign-off from another machine reaches the commander's console (a
# real git daemon on loopback; the approver with his own HOME): the
# console shares the session, the approver runs rewind approve
# REMOTE#SESSION; within 5 s of the request's push the status line says
# who approved as what from which remote, by which login on which host,
# the step is ticked with the name and the step pane says where it came
# from. A self-approval from there is refused, in the alert colour, with
# its reason.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/lib/gitdaemon.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "to pick a free port"
trap 'daemon_stop; _screen_cleanup' EXIT

srv=$SCREEN_TMP/srv
bobhome=$SCREEN_TMP/bob
mkdir -p "$srv" "$bobhome/work"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || fail "no git daemon"
url=$(daemon_url team.git)
bob() {
	(cd "$bobhome/work" && env HOME="$bobhome" XDG_STATE_HOME="$bobhome/state" \
		XDG_CACHE_HOME= "$REWIND_BIN" "$@")
}

SESSION_DIR=$SCREEN_TMP/s/inbox-1
sed -n '/^run assess.status/,/^set RESTORE_VERSION/p' "$REWIND_SRCDIR/playbooks/example.walk" >"$SCREEN_TMP/prefix.walk"
echo next >>"$SCREEN_TMP/prefix.walk"
run_rewind drill "$REWIND_SRCDIR/playbooks/example.json" --batch --operator sam \
	--session-dir "$SESSION_DIR" <"$SCREEN_TMP/prefix.walk" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }

start_app -x 160 drill "$SESSION_DIR" --operator sam --share "$url"
wait_text "share: published to git://127\.0\.0\.1:$DAEMON_PORT/team\.git" 10
assert_text '^\[ \] Engineering lead signs off the'

# sam signing his own rollback from elsewhere: refused, and said so.
bob approve "$url#inbox-1" approve.signoff --role "Engineering Lead" --as Sam \
	--yes >"$SCREEN_TMP/self.out" 2>&1 || fail "the request was not written: $(cat "$SCREEN_TMP/self.out")"
wait_text "Sam's approve approve\.signoff from git://127\.0\.0\.1:$DAEMON_PORT/team\.git was refused: approve approve\.signoff: 'Sam' is the same person as the operator, sam" 5
assert_text '^\[ \] Engineering lead signs off the' "a self-approval ticked the step"

bob approve "$url#inbox-1" approve.signoff --role "Engineering Lead" --as dana \
	--yes >"$SCREEN_TMP/dana.out" 2>&1 || fail "the request was not written: $(cat "$SCREEN_TMP/dana.out")"
t0=$(date +%s)
wait_text "dana approved as Engineering Lead, from git://127\.0\.0\.1:$DAEMON_PORT/team\.git by login $(id -un) on host $(hostname)" 5
t1=$(date +%s)
note "shown $((t1 - t0)) s after the request was written"
wait_text '^\[✓\] Engineering lead sig.* dana ' 2
wait_text "│       from git://127\.0\.0\.1:$DAEMON_PORT/team\.git" 2
keys '>'
wait_text '✓ approve  ▶ execute' 5
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
run_rewind verify "$SESSION_DIR" >/dev/null 2>&1 || fail "rewind verify failed"
pass "a sign-off from another machine is taken in the console within 5 s, a self-approval refused"
