#!/bin/sh
# The old commander's console after a hand-over (a real git daemon on
# loopback): olga's console shares the session; bob, on his machine (his
# own HOME), takes it with rewind drill --take REMOTE#SESSION; within a
# few seconds olga's header says the session was TAKEN OVER by bob and
# that this console is read-only, and a tick is refused naming bob.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/lib/gitdaemon.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "to pick a free port"
trap 'daemon_stop; _screen_cleanup' EXIT

srv=$SCREEN_TMP/srv
mkdir -p "$srv" "$SCREEN_TMP/bob/work"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || fail "no git daemon"
url=$(daemon_url team.git)
ref=refs/rewind/sessions/tk-1

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "share-taken",
  "title": "Shared",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.look", "kind": "check", "title": "Look around" },
      { "id": "a.again", "kind": "check", "title": "Look again" },
      { "id": "a.clean", "kind": "run", "title": "Clean the build",
        "run": "rm -rf build", "destructive": true, "confirm": "rm build" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
start_app -x 160 drill "$SCREEN_TMP/pb.json" --session-dir "$SCREEN_TMP/s/tk-1" \
	--operator olga --share "$url"
wait_text "share: published to git://127\.0\.0\.1:$DAEMON_PORT/team\.git" 10

printf 'note bob has it\n' | (cd "$SCREEN_TMP/bob/work" && env HOME="$SCREEN_TMP/bob" \
	XDG_STATE_HOME="$SCREEN_TMP/bob/state" "$REWIND_BIN" drill --take "$url#tk-1" \
	--batch --operator bob --force) >"$SCREEN_TMP/bob.out" 2>&1
grep -q "bob took the session over from olga" "$SCREEN_TMP/bob.out" ||
	fail "bob's take: $(cat "$SCREEN_TMP/bob.out")"
taken=$(git --git-dir="$srv/team.git" rev-parse "$ref")
wait_text "share: TAKEN OVER by bob, who runs the session now; this console is read-only" 10
keys Space
wait_text "the session was handed over to bob, who runs it now: this console is read-only" 5
# A destructive step's Enter is refused at once: no confirmation asked
# for a command that will never run here.
keys G
wait_text '^\[ \] Clean the build' 5
keys Enter
wait_text "the session was handed over to bob, who runs it now: this console is read-only" 5
refute_text 'Type .* to run it'
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$taken" ] ||
	fail "the old console wrote the session's ref after the hand-over"
# Nor is a hand-over offered or withdrawn from it: that is bob's now.
keys H
wait_text "the session was handed over to bob, who runs it now: this console is read-only" 5
refute_text 'Withdraw the hand-over'
keys_nowait q
wait_exit
# Quitting it says who runs the session and how to follow it: there is
# nothing here to resume.
assert_fixed "rewind: bob runs the session now (handed over); this copy only reads; follow it with: rewind watch git://"
refute_text 'resume it with'
pass "the old commander's console says who took the session over, refuses actions, and on quit says how to follow it"
