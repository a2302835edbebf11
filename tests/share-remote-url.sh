#!/bin/sh
# A session shared to a remote given by its name ("team", a remote of the
# commander's repository) is named to people on other machines by the
# remote's URL, which they can fetch, never by the commander's local name
# (issue 18, a team's try: the take hint said "origin#..."): the publish
# journals the URL beside the name; the hand-over offer's take line names
# the URL, and the successor's take with that very line works.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/proj" "$tmp/bob/work"
git -C "$tmp/proj" init -q
git -C "$tmp/proj" remote add team "$url"
ref=refs/rewind/sessions/demo-1
two_checks remote-url "Named by URL" >"$tmp/pb.json"

mkfifo "$tmp/in"
(cd "$tmp/proj" && exec "$bin" drill "$tmp/pb.json" --batch --operator alice \
	--share team --session-dir "$tmp/s/demo-1" <"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
printf 'tick a.look\nnote alice is at it\n' >&3
wait_for 'published | grep -q "alice is at it"' 20 || exit 1
wait_for 'grep -q "\"type\":\"share.published\"" "$tmp/out"' 20 || exit 1
grep '"type":"share.published"' "$tmp/out" | head -n 1 >"$tmp/ev"
grep -q '"remote":"team"' "$tmp/ev" || fail "the remote as given is not journalled: $(cat "$tmp/ev")"
grep -qF "\"url\":\"$url\"" "$tmp/ev" || fail "the remote's URL is not journalled: $(cat "$tmp/ev")"

(cd "$tmp/proj" && "$bin" handover "$tmp/s/demo-1" --to bob --operator alice) \
	>"$tmp/offer" 2>&1 || fail "handover: $(cat "$tmp/offer")"
grep -qF "bob takes it with: rewind drill --take $url#demo-1 --operator bob" "$tmp/offer" ||
	fail "the take line does not name the remote's URL: $(cat "$tmp/offer")"
grep -q "take team#" "$tmp/offer" && fail "the take line names alice's local remote"
wait_for 'published | grep -q "session.handover_offered"' 20 || exit 1
echo quit >&3
exec 3>&-
wait "$cpid"
cpid=
line=$(sed -n 's/.*takes it with: //p' "$tmp/offer")
printf 'quit\n' | as bob $(echo "$line" | sed 's/^rewind //') --batch \
	>"$tmp/bob.out" 2>&1	# quit before the end: the exit says incomplete
grep -q "bob took the session over from alice through $url (as offered)" "$tmp/bob.out" ||
	fail "bob's take: $(cat "$tmp/bob.out")"

# alice's copy ends with its record of its own last publish, which no
# publish can carry: verify --against does not call that a fork.
(cd "$tmp/proj" && "$bin" verify "$tmp/s/demo-1" --against team) >"$tmp/v" 2>&1 ||
	fail "verify --against alice's handed-over copy: $(cat "$tmp/v")"
tail -n 1 "$tmp/s/demo-1/journal.jsonl" | grep -q '"type":"share.published"' ||
	fail "alice's journal does not end with her publish record"
grep -q "never published (events [0-9]* to [0-9]*): this copy's own records of its publishing (share.\*), written after its last publish: not a fork" "$tmp/v" ||
	fail "alice's own publish records called a fork: $(cat "$tmp/v")"

# alice's console was gone when bob took it, so her journal knows no take;
# her machine saw it once (rewind sessions). Someone then forces the ref
# back to her last publish: resumed, her copy must not command again.
mine=$(grep '"type":"share.published"' "$tmp/s/demo-1/journal.jsonl" | tail -n 1 |
	sed 's/.*"commit":"\([0-9a-f]*\)".*/\1/')
(cd "$tmp/proj" && "$bin" sessions team) >"$tmp/list" 2>&1 || fail "sessions team: $(cat "$tmp/list")"
git --git-dir="$srv/team.git" update-ref "$ref" "$mine"
n0=$(wc -l <"$tmp/s/demo-1/journal.jsonl")
printf 'note alice commands again\nquit\n' | (cd "$tmp/proj" && "$bin" drill \
	"$tmp/s/demo-1" --batch) >"$tmp/again" 2>&1
grep -q "alice commands again" "$tmp/s/demo-1/journal.jsonl" &&
	fail "alice's copy commanded again after bob's take: $(cat "$tmp/again")"
grep -q "handed over to bob, who runs it now" "$tmp/again" ||
	fail "alice's resume does not say bob runs it: $(cat "$tmp/again")"
exit $failed
