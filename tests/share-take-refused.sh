#!/bin/sh
# A take that does not happen leaves nothing that could act (issue 18,
# the team's try): against a real git daemon on loopback, alice commands
# a shared drill; bob's `rewind run --take` of it (a drill: the wrong
# mode) and carol's take that the remote refuses (as the loser of two
# takes) write no session folder on their machines; a folder left by a
# take that never completed is refused as a session to resume, and a
# --take onto it says what to do; once bob has taken the session, alice
# resuming her own copy opens it read-only, naming bob, journals nothing
# and publishes nothing.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/alice/work" "$tmp/bob/work" "$tmp/carol/work"
ref=refs/rewind/sessions/demo-1
B=$tmp/bob/state/rewind/sessions/demo-1

two_checks take-refused "Taken or not" >"$tmp/pb.json"

A=$tmp/alice/s/demo-1
mkfifo "$tmp/in"
(cd "$tmp/alice/work" && exec env HOME="$tmp/alice/home" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --share "$url" --session-dir "$A" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
printf 'tick a.look\nnote alice is at it\n' >&3
wait_for 'published | grep -q "alice is at it"' 20 || exit 1

# The wrong mode: refused before anything is written on bob's machine.
printf 'quit\n' | as bob run --take "$url#demo-1" --batch --operator bob \
	>"$tmp/bob.out" 2>&1 && fail "bob's run --take of a drill was accepted"
grep -q "is a drill session: take it with rewind drill --take $url#demo-1" \
	"$tmp/bob.out" || fail "bob's run --take: $(cat "$tmp/bob.out")"
[ -e "$B" ] && fail "a refused take left $B"
as bob sessions 2>/dev/null | grep -q demo-1 &&
	fail "rewind sessions lists a take that was refused"

# The loser of two takes (the remote refuses its push): nothing stays.
printf '#!/bin/sh\necho "busy: refused"; exit 1\n' >"$srv/team.git/hooks/pre-receive"
chmod +x "$srv/team.git/hooks/pre-receive"
printf 'quit\n' | as carol drill --take "$url#demo-1" --batch --operator carol \
	--force >"$tmp/carol.out" 2>&1 && fail "carol's take was accepted though refused"
grep -q "not taken: $url did not take the hand-over" "$tmp/carol.out" ||
	fail "carol's take: $(cat "$tmp/carol.out")"
rm "$srv/team.git/hooks/pre-receive"
[ -e "$tmp/carol/state/rewind/sessions/demo-1" ] &&
	fail "the losing take left a copy on carol's machine"

# A folder left by a take that never completed (the taker's machine went
# down between fetch and publish): never resumed as the commander's.
mkdir -p "$B"
published >"$B/journal.jsonl"
cp "$tmp/pb.json" "$B/playbook.json"
echo "fetched for a take: not taken yet" >"$B/take.pending"
printf 'note bob acts\nquit\n' | as bob drill "$B" --batch --operator bob \
	>"$tmp/bob.out" 2>&1 && fail "bob resumed a copy he never took"
grep -q "was fetched for a take that never completed" "$tmp/bob.out" ||
	fail "bob's resume of a leftover: $(cat "$tmp/bob.out")"
grep -q "bob acts" "$B/journal.jsonl" && fail "the leftover copy was acted on"
printf 'quit\n' | as bob drill --take "$url#demo-1" --batch --operator bob \
	--force >"$tmp/bob.out" 2>&1 && fail "bob took onto a leftover"
grep -q "is left from a take that never completed.*remove it (rm -r $B) and take again" \
	"$tmp/bob.out" || fail "--take onto a leftover: $(cat "$tmp/bob.out")"
rm -r "$B"

# bob takes it for real; alice's console is stopped, then she resumes
# her copy: read-only, naming bob; nothing journalled or published.
printf 'note bob one\nnote bob two\nquit\n' | as bob drill --take \
	"$url#demo-1" --batch --operator bob --force >"$tmp/bob.out" 2>&1
grep -q "bob took the session over from alice" "$tmp/bob.out" ||
	fail "bob's take: $(cat "$tmp/bob.out")"
[ -e "$B/take.pending" ] && fail "a completed take still says it is pending"
echo quit >&3
exec 3>&-
wait "$cpid"
cpid=
head=$(git --git-dir="$srv/team.git" rev-parse "$ref")
lines=$(wc -l <"$A/journal.jsonl")
printf 'note alice again\nquit\n' | as alice drill "$A" --batch \
	--operator alice >"$tmp/out2" 2>"$tmp/err2"
grep -q "the session was handed over to bob, who runs it now.*opened read-only" \
	"$tmp/err2" || fail "alice's resume: $(cat "$tmp/err2")"
grep -q "handed over to bob, who runs it now: this console is read-only" \
	"$tmp/out2" || fail "alice's resumed copy acted: $(cat "$tmp/out2")"
[ "$(wc -l <"$A/journal.jsonl")" = "$lines" ] ||
	fail "alice's read-only resume journalled: $(tail -n 2 "$A/journal.jsonl")"
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$head" ] ||
	fail "alice's read-only resume moved the session's ref"

# verify --against on alice's copy: the remote's later events are bob's,
# after his hand-over (no "rewritten"); her own events after the take
# were never published: a fork, said as such.
wait_for 'published | grep -q "bob two"' 20
as alice verify "$A" --against "$url" >"$tmp/v" 2>&1 ||
	fail "verify --against failed on a copy taken over: $(cat "$tmp/v")"
grep -q "the remote has [0-9]* later events, after the hand-over to bob at 20" "$tmp/v" ||
	fail "verify --against does not name bob's later events: $(cat "$tmp/v")"
# (when her console noticed the take before it quit, what it journalled
# after its last publish is only its records of sharing: said so)
grep -qE "local events? never published \(events [0-9]+ to [0-9]+\): (a fork|this copy's own records of its publishing)" "$tmp/v" ||
	fail "verify --against does not name alice's unpublished events: $(cat "$tmp/v")"
grep -q "anchored: it holds every one of the [0-9]* chain heads published to $url before the hand-over" "$tmp/v" ||
	fail "verify --against does not say what it anchored: $(cat "$tmp/v")"
grep -q "rewritten\|is missing" "$tmp/v" &&
	fail "verify --against calls a take a rewrite: $(cat "$tmp/v")"

# A copy fetched to watch that was changed here (as a sign-off written
# into it would) is fetched again whole: the remote was not rewritten.
C=$(ls -d "$tmp"/bob/home/.cache/rewind/remotes/*.sessions/demo-1)
echo '{"seq":99,"type":"approval.granted"}' >>"$C/journal.jsonl"
as bob sessions "$url" >"$tmp/list" 2>&1 || fail "sessions REMOTE: $(cat "$tmp/list")"
grep -q "rewritten" "$tmp/list" && fail "a copy changed here was called a rewrite: $(cat "$tmp/list")"
published | cmp -s - "$C/journal.jsonl" || fail "the changed copy was not fetched again"
exit $failed
