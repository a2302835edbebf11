# What the screen tests of a watch from another machine share: a real git
# server (git daemon on loopback) with one bare repository, team.git, and
# a commander, alice, on a "machine" of her own, driving the example drill
# in batch, shared to it, fed line by line on descriptor 3. Source it
# after libscreen.sh; it publishes her first note before it returns.
#
#   $url         the server's URL of team.git
#   $ref         the session's ref (refs/rewind/sessions/demo-1)
#   $alice       her folder ($alice/out: her batch output)
#   $cmdr        her pid (stopped on exit while set)
#   published    the journal the server holds at $ref
. "$REWIND_SRCDIR/tests/lib/gitdaemon.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "to pick a free port"
cmdr=
trap 'exec 3>&-; [ -z "$cmdr" ] || kill -9 "$cmdr" 2>/dev/null; daemon_stop; _screen_cleanup' EXIT

srv=$SCREEN_TMP/srv
alice=$SCREEN_TMP/alice
mkdir -p "$srv" "$alice/home" "$alice/work"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || fail "no git daemon"
url=$(daemon_url team.git)
ref=refs/rewind/sessions/demo-1
published() {
	git --git-dir="$srv/team.git" show "$ref:journal.jsonl" 2>/dev/null
}

mkfifo "$SCREEN_TMP/in"
(cd "$alice/work" && exec env HOME="$alice/home" XDG_STATE_HOME="$alice/home/state" \
	TZ=UTC "$REWIND_BIN" drill "$REWIND_SRCDIR/playbooks/example.json" \
	--batch --operator alice --share "$url" --session-dir "$alice/s/demo-1" \
	<"$SCREEN_TMP/in" >"$alice/out" 2>&1) &
cmdr=$!
exec 3>"$SCREEN_TMP/in"
echo "note alice is on it" >&3
wait_for 'published | grep -q "alice is on it"' 20
