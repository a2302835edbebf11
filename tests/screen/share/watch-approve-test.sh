#!/bin/sh
# The approver's command a watched or shared session shows names the
# session through its remote (a real git daemon on loopback; the
# commander on "another machine" with her own HOME): the watch of
# REMOTE#SESSION at the approve step shows `rewind approve REMOTE#SESSION
# STEP --role ROLE`, never the cache folder the watch reads; approving
# that cache folder is refused, naming the line that signs, and writes
# nothing; the watch stays calm (no false alarm of a rewrite). The
# commander's own console, sharing, shows the same form. A ref then
# overwritten by a commit that does not continue the session raises an
# alarm in the watch's header instead of a frozen "fetched 1 s ago".
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/lib/gitdaemon.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "to pick a free port"
cmdr=
trap 'exec 3>&-; [ -z "$cmdr" ] || kill "$cmdr" 2>/dev/null; daemon_stop; _screen_cleanup' EXIT

srv=$SCREEN_TMP/srv
alice=$SCREEN_TMP/alice
mkdir -p "$srv" "$alice/home" "$alice/work"
git init -q --bare "$srv/team.git"
daemon_start "$srv" team.git || fail "no git daemon"
url=$(daemon_url team.git)
qurl=$(printf '%s' "$url#appr-1" | sed 's/[.]/\\./g')
ref=refs/rewind/sessions/appr-1
published() {
	git --git-dir="$srv/team.git" show "$ref:journal.jsonl" 2>/dev/null
}

# The commander reaches the approve step, sharing, from a batch.
S=$alice/s/appr-1
sed -n '/^run assess.status/,/^set RESTORE_VERSION/p' "$REWIND_SRCDIR/playbooks/example.walk" >"$SCREEN_TMP/prefix.walk"
echo next >>"$SCREEN_TMP/prefix.walk"
mkfifo "$SCREEN_TMP/in"
(cd "$alice/work" && exec env HOME="$alice/home" XDG_STATE_HOME="$alice/home/state" \
	TZ=UTC "$REWIND_BIN" drill "$REWIND_SRCDIR/playbooks/example.json" \
	--batch --operator sam --share "$url" --session-dir "$S" \
	<"$SCREEN_TMP/in" >"$alice/out" 2>&1) &
cmdr=$!
exec 3>"$SCREEN_TMP/in"
cat "$SCREEN_TMP/prefix.walk" >&3
echo "note at the gate" >&3
wait_for 'published | grep -q "at the gate"' 30

# The watch shows the approver's command through the remote.
start_app -x 200 -y 50 watch "$url#appr-1"
wait_text 'WATCH DRILL' 10
wait_text "rewind approve '$qurl' approve\.signoff --role 'Engineering Lead'" 10
refute_text 'remotes/.*sessions/appr-1 approve\.signoff'

# Approving the cache copy: refused, naming the line that signs.
copy=$(ls -d "$SCREEN_TMP"/home/.cache/rewind/remotes/*.sessions/appr-1)
before=$(cat "$copy/journal.jsonl" | wc -l)
run_rewind approve --yes "$copy" approve.signoff --role "Engineering Lead" --as dana \
	</dev/null >"$SCREEN_TMP/appr" 2>&1 && fail "approving the cache copy succeeded"
grep -q "is a copy fetched from $url to watch: nothing done to it reaches the session; instead: rewind approve '$url#appr-1' approve.signoff --role 'Engineering Lead' --as dana" \
	"$SCREEN_TMP/appr" || fail "approve of the cache copy: $(cat "$SCREEN_TMP/appr")"
[ "$(wc -l <"$copy/journal.jsonl")" = "$before" ] || fail "the refused approve wrote into the cache copy"
echo "note after the refusal" >&3
wait_text 'sam added a note' 10
wait_text "remote git://127\.0\.0\.1:$DAEMON_PORT/team\.git: fetched" 5
refute_text 'rewritten'

# Someone overwrites the session's ref with a commit that does not
# continue it (as git push -f would): an alarm, not "fetched 1 s ago".
echo quit >&3
exec 3>&-
wait "$cmdr"
cmdr=
tree=$(git --git-dir="$srv/team.git" rev-parse "$ref^{tree}")
other=$(git --git-dir="$srv/team.git" -c user.name=x -c user.email=x@x commit-tree "$tree" -m replaced)
git --git-dir="$srv/team.git" update-ref "$ref" "$other"
wait_text 'ALARM: the published session was replaced by a commit that does not continue it' 10
refute_text ': fetched [0-9]* s ago'
# The ref put back where the session left it: the alarm clears by itself.
git --git-dir="$srv/team.git" update-ref "$ref" "$(git --git-dir="$S/share.git" rev-parse "$ref")"
wait_text ': fetched [0-9]* s ago' 10
refute_text 'ALARM'

# The commander's own console, sharing: the same REMOTE#SESSION form.
git --git-dir="$srv/team.git" update-ref "$ref" "$(git --git-dir="$S/share.git" rev-parse "$ref")"
start_app -x 200 -y 50 drill "$S" --operator sam --share "$url"
wait_text "share: published to git://127\.0\.0\.1:$DAEMON_PORT/team\.git" 10
wait_text "rewind approve '$qurl' approve\.signoff --role 'Engineering Lead'" 10
pass "the approver's command names REMOTE#SESSION in a watch and a shared console; approving the watch's copy is refused with the line that signs; a replaced ref raises an alarm in the watch, cleared when the ref is put back"
