#!/bin/sh
# The header tells a commander how sharing goes (rewind run --share URL,
# a real git daemon on loopback): published; the server stops and a note
# is added: "share: offline, N events not published, retrying in S s" in
# the header while the console keeps working; the server comes back:
# published again, with nothing to do; quitting publishes the quit.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/lib/gitdaemon.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "to pick a free port"
trap 'daemon_stop; _screen_cleanup' EXIT

srv=$SCREEN_TMP/srv
mkdir -p "$srv"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || fail "no git daemon"
ref=refs/rewind/sessions/hdr-1
published() {
	git --git-dir="$srv/team.git" show "$ref:journal.jsonl" 2>/dev/null
}

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "share-header",
  "title": "Shared",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.look", "kind": "check", "title": "Look around" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s/hdr-1
start_app -x 160 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator olga --share "$(daemon_url team.git)"
wait_text "share: published to git://127\.0\.0\.1:$DAEMON_PORT/team\.git" 10
row 1 | grep -q 'share: published' || fail "the share state is not in the header: $(row 1)"

daemon_stop
keys m
type_text "noted while offline"
keys Enter
wait_text 'share: offline, [0-9]+ events? not published, retrying in [0-9]+ s' 15
row 1 | grep -Eq 'share: offline, [0-9]+ events? not published' ||
	fail "the offline state is not in the header: $(row 1)"
# At 66 columns the share state is cut with an ellipsis before the clock,
# never drawn over by it.
resize 66 24
r1=$(row 1)
printf '%s\n' "$r1" | grep -Eq ' share: offline[^…]*… +[0-9]+m[0-9]{2}s$' ||
	fail "at 66 columns the share state and the clock overlap: $r1"
resize 160 24
# The console keeps working: a tick is journalled at once.
keys Space
wait_for '[ "$(journal_count step.ticked a.look)" = 1 ]' 5
published | grep -q "noted while offline" && fail "published while the server was down?"
# Quitting now would leave the team's remote behind: the question says so.
keys q
wait_text "Quit the live console" 5
screen_text -J | tr -s ' \n' ' ' | grep -q "The team's remote does not have everything (share: offline" ||
	fail "the quit question does not say the team's remote lacks events"
keys Escape

daemon_start "$srv" team.git || fail "the git daemon did not restart"
wait_text "share: published to git://" 40
wait_for 'published | grep -q "step.ticked"' 10
# Quitting waits for its last publish: the quit is on the remote.
keys q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit
published | grep -q '"type":"session.quit"' || fail "the quit was not published"
pass "the header says published, offline with what is not published and when it retries, and published again"
