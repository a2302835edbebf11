#!/bin/sh
# rewind drill --share REMOTE as a commander uses it, against a real git
# server on loopback (git daemon --enable=receive-pack): the session is
# published to refs/rewind/sessions/ID as it runs (REMOTE the name of a
# remote of the repository rewind runs in); the server stops mid-session
# (the session goes on, share.offline is journalled, nothing is lost) and
# comes back (everything is published, once, without a restart); verify
# --against passes and names the last anchored head; someone else writing
# the session's ref is refused, never forced; a journal whose tail is cut
# after a publish fails verify --against, naming the missing head.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/proj"
# The commander's project, whose remote "team" is the server.
git -C "$tmp/proj" init -q
git -C "$tmp/proj" remote add team "$(daemon_url team.git)"
ref=refs/rewind/sessions/demo-1

mkfifo "$tmp/in"
(cd "$tmp/proj" && exec "$bin" drill "$src/playbooks/example.json" --batch \
	--operator alice --share team --session-dir "$tmp/s/demo-1" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
echo "note first note" >&3
wait_for 'published | grep -q "first note"' 20 || exit 1
wait_for 'grep -q "\"type\":\"share.published\"" "$tmp/out"' 10 ||
	fail "no share.published event: $(tail -n 3 "$tmp/out")"

# The server goes away: the session goes on, and says so once.
daemon_stop
echo "note while offline" >&3
wait_for 'grep -q "\"type\":\"share.offline\"" "$tmp/out"' 20 || exit 1
grep -q "while offline" "$tmp/s/demo-1/journal.jsonl" || fail "the note was lost"
published | grep -q "while offline" && fail "published while the server was down?"
echo "note second offline note" >&3
wait_for 'grep -q "second offline note" "$tmp/s/demo-1/journal.jsonl"' 10
[ "$(grep -c '"type":"share.offline"' "$tmp/out")" = 1 ] ||
	fail "share.offline journalled more than once for one outage"

# It comes back: the retry publishes everything, with no new event.
daemon_start "$srv" team.git || { fail "the git daemon did not restart"; exit 1; }
wait_for 'published | grep -q "second offline note"' 40 || exit 1
published >"$tmp/remote.jsonl"
head -c "$(wc -c <"$tmp/remote.jsonl")" "$tmp/s/demo-1/journal.jsonl" |
	cmp -s - "$tmp/remote.jsonl" ||
	fail "the published journal is not the start of the local one"
for text in "first note" "while offline" "second offline note"; do
	[ "$(grep -c "\"text\":\"$text\"" "$tmp/remote.jsonl")" = 1 ] ||
		fail "\"$text\" is not published exactly once"
done
git --git-dir="$srv/team.git" rev-list --first-parent "$ref" >/dev/null ||
	fail "the session's ref is no chain of commits"
git --git-dir="$srv/team.git" ls-tree --name-only "$ref" >"$tmp/tree"
grep -qx journal.jsonl "$tmp/tree" && grep -qx playbook.json "$tmp/tree" ||
	fail "a publish holds: $(cat "$tmp/tree")"

# Someone else writes the session's ref: refused, never forced.
git init -q "$tmp/other"
git -C "$tmp/other" -c user.name=o -c user.email=o@x commit -q --allow-empty -m other
git -C "$tmp/other" push -q --force "$(daemon_url team.git)" HEAD:$ref ||
	fail "the other writer could not push"
theirs=$(git --git-dir="$srv/team.git" rev-parse "$ref")
# The commander learns of it while idle (no event of its own to push).
wait_for 'grep -q "\"type\":\"share.rejected\"" "$tmp/out"' 20 ||
	fail "an idle commander was not told its session's ref was replaced"
grep '"type":"share.rejected"' "$tmp/out" | grep -q "now points at commit $(echo "$theirs" | cut -c1-12)" ||
	fail "share.rejected does not name the other writer's commit: $(grep share.rejected "$tmp/out")"
echo "note after the other writer" >&3
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$theirs" ] ||
	fail "the other writer's commit was overwritten"
# verify --against meanwhile reads the remote without touching the ref
# the publisher builds on (a fetch into it made the next publish continue
# the other writer's history).
# It blames the remote, whose ref no longer holds this session's publish,
# not the journal here.
(cd "$tmp/proj" && "$bin" verify "$tmp/s/demo-1" --against team) >"$tmp/v" 2>&1 &&
	fail "verify --against passed against a replaced ref: $(cat "$tmp/v")"
grep -q "the session's ref on team was replaced: it points at commit $(echo "$theirs" | cut -c1-12), which does not continue commit [0-9a-f]\{12\} that this copy published at" "$tmp/v" ||
	fail "verify --against does not say the remote was replaced: $(cat "$tmp/v")"
grep -q "rewritten\|is missing\|cut after" "$tmp/v" &&
	fail "verify --against blames the local journal for a replaced ref: $(cat "$tmp/v")"
git --git-dir="$tmp/s/demo-1/share.git" merge-base --is-ancestor "$theirs" "$ref" 2>/dev/null &&
	fail "verify --against moved the publisher's own ref onto the other writer's commit"
# The ref put back where the session left it (someone undoes the other
# writer's push): publishing picks up again by itself, as a fast-forward,
# with what was journalled meanwhile.
mine=$(grep '"type":"share.published"' "$tmp/out" | tail -n 1 |
	sed 's/.*"commit":"\([0-9a-f]*\)".*/\1/')
git --git-dir="$tmp/s/demo-1/share.git" push -q --force \
	"$(daemon_url team.git)" "$mine:$ref" || fail "could not restore the session's ref"
wait_for 'published | grep -q "note after the other writer\|after the other writer"' 30
n_rej=$(grep -c '"type":"share.rejected"' "$tmp/out")
[ "$n_rej" = 1 ] || fail "share.rejected journalled $n_rej times (once an episode)"
git --git-dir="$srv/team.git" merge-base --is-ancestor "$mine" "$ref" ||
	fail "publishing after the restore was no fast-forward"
echo quit >&3
exec 3>&-
wait "$cpid"
cpid=

# Put the session's own publish back (the other writer was a test), then
# verify --against passes and names the last anchored head.
git --git-dir="$tmp/s/demo-1/share.git" push -q --force \
	"$(daemon_url team.git)" "$(grep '"type":"share.published"' "$tmp/out" |
	tail -n 1 | sed 's/.*"commit":"\([0-9a-f]*\)".*/\1/'):$ref" ||
	fail "could not restore the session's ref"
# Resumed, a shared session stays shared (to the remote it was shared
# to), and the ref still only fast-forwards.
before=$(git --git-dir="$srv/team.git" rev-parse "$ref")
printf 'note after the resume\nquit\n' | (cd "$tmp/proj" && "$bin" drill \
	"$tmp/s/demo-1" --batch >/dev/null 2>&1)
wait_for 'published | grep -q "after the resume"' 20
git --git-dir="$srv/team.git" merge-base --is-ancestor "$before" "$ref" ||
	fail "the resumed session's publish is no fast-forward"

published >"$tmp/remote.jsonl"
last_head=$(tail -n 1 "$tmp/remote.jsonl" | tr -d '\n' | sha256sum | cut -c1-16)
(cd "$tmp/proj" && "$bin" verify "$tmp/s/demo-1" --against team) \
	>"$tmp/v" 2>&1 || fail "verify --against failed: $(cat "$tmp/v")"
grep -q "anchored: .* the last anchored head is $last_head" "$tmp/v" ||
	fail "verify --against does not name the last anchored head $last_head: $(cat "$tmp/v")"

# A bare chain cannot see a cut tail; the anchor can.
n=$(wc -l <"$tmp/remote.jsonl")
head -n $((n - 2)) "$tmp/s/demo-1/journal.jsonl" >"$tmp/cut" &&
	cat "$tmp/cut" >"$tmp/s/demo-1/journal.jsonl"
"$bin" verify "$tmp/s/demo-1" >"$tmp/v" 2>&1 ||
	fail "a cut chain is still a whole chain: $(cat "$tmp/v")"
(cd "$tmp/proj" && "$bin" verify "$tmp/s/demo-1" --against team) \
	>"$tmp/v" 2>&1 && fail "verify --against passed on a cut journal"
grep -q "hash $last_head is not in the local journal" "$tmp/v" ||
	fail "verify --against does not name the missing head $last_head: $(cat "$tmp/v")"

# So does a playbook's targets.share.
python3 - "$src/playbooks/example.json" "$(daemon_url team.git)" >"$tmp/pb.json" <<'PY'
import json, sys
pb = json.load(open(sys.argv[1]))
pb.setdefault("targets", {})["share"] = sys.argv[2]
print(json.dumps(pb))
PY
printf 'note from the playbook\nquit\n' | "$bin" drill "$tmp/pb.json" \
	--batch --session-dir "$tmp/s/pb-1" >/dev/null 2>&1
git --git-dir="$srv/team.git" show refs/rewind/sessions/pb-1:journal.jsonl 2>/dev/null |
	grep -q "from the playbook" || fail "targets.share published nothing"
"$bin" check "$tmp/pb.json" >"$tmp/c" 2>&1 || fail "check refuses targets.share: $(cat "$tmp/c")"

# A line "share = REMOTE" in the config file publishes too.
mkdir -p "$HOME/.config/rewind"
echo "share = $(daemon_url team.git)" >"$HOME/.config/rewind/config"
printf 'note from the config\nquit\n' | "$bin" drill "$src/playbooks/example.json" \
	--batch --session-dir "$tmp/s/conf-1" >/dev/null 2>&1
git --git-dir="$srv/team.git" show refs/rewind/sessions/conf-1:journal.jsonl 2>/dev/null |
	grep -q "from the config" || fail "share = REMOTE in the config file published nothing"
rm "$HOME/.config/rewind/config"

# The bare repository's own path is a remote too, for sessions as for
# --share: it lists what was published there.
"$bin" sessions "$srv/team.git" >"$tmp/bare" 2>&1 ||
	fail "sessions BARE-REPO-PATH: $(cat "$tmp/bare")"
grep -Eq '^conf-1 ' "$tmp/bare" && grep -Eq '^pb-1 ' "$tmp/bare" ||
	fail "sessions BARE-REPO-PATH does not list what was published there: $(cat "$tmp/bare")"

# Unshared, verify says what a bare chain cannot prove.
printf 'quit\n' | "$bin" drill "$src/playbooks/example.json" --batch \
	--session-dir "$tmp/s/plain-1" >/dev/null 2>&1
"$bin" verify "$tmp/s/plain-1" >"$tmp/v" 2>&1
grep -q "a bare hash chain cannot detect a cut tail" "$tmp/v" ||
	fail "verify of an unshared session: $(cat "$tmp/v")"
exit $failed
