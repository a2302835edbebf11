#!/bin/sh
# A hand-over through the team's git remote, end to end against a real
# git daemon on loopback: alice commands a shared drill on her machine;
# bob, on his (his own HOME and state), takes it over with rewind drill
# --take REMOTE#SESSION: the published journal is fetched, its chain
# checked, session.handover (from alice to bob) journalled and published
# as a fast-forward of the session's ref, and bob finishes the rollback
# there. Alice's run, still alive, notices within seconds and refuses
# every action after (read-only, naming bob); her ref is never forced. A
# second take of a completed session is refused.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/alice/work" "$tmp/bob/work"
ref=refs/rewind/sessions/demo-1
bob() { as bob "$@"; }	# rewind as bob, on his machine

two_checks handover-demo "Handed over" >"$tmp/pb.json"

mkfifo "$tmp/in"
(cd "$tmp/alice/work" && exec env HOME="$tmp/alice/home" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --share "$url" --session-dir "$tmp/alice/s/demo-1" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
printf 'tick a.look\nnote alice hands over\n' >&3
wait_for 'published | grep -q "alice hands over"' 20 || exit 1
before=$(git --git-dir="$srv/team.git" rev-parse "$ref")

# A take the remote does not accept as a fast-forward of the session's
# ref is refused, and nothing is published (the server refuses every
# push for a moment, as it would the second of two takes).
printf '#!/bin/sh\necho "busy: refused"; exit 1\n' >"$srv/team.git/hooks/pre-receive"
chmod +x "$srv/team.git/hooks/pre-receive"
printf 'quit\n' | (cd "$tmp/alice/work" && env HOME="$tmp/carol" \
	XDG_STATE_HOME="$tmp/carol/state" "$bin" drill --take "$url#demo-1" \
	--batch --operator carol --force) >"$tmp/carol.out" 2>&1 &&
	fail "carol's take was accepted though the remote refused it"
grep -q "not taken: $url did not take the hand-over as a fast-forward" "$tmp/carol.out" ||
	fail "carol's refused take: $(cat "$tmp/carol.out")"
rm "$srv/team.git/hooks/pre-receive"
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$before" ] ||
	fail "a refused take moved the session's ref"
published | grep -q "session.handover" && fail "a refused take was published"

# alice neither offered the session nor quit (her console runs it now):
# bob's take is refused, saying --force is for a commander who is gone;
# nothing is written or published.
printf 'quit\n' | bob drill --take "$url#demo-1" --batch --operator bob \
	>"$tmp/bob.out" 2>&1 && fail "bob took a session alice still commands"
grep -q "not taken: alice commands the session and neither offered it (rewind handover SESSION --to bob) nor quit: their console may be running it now. If alice is gone (a dead machine), --force takes it" \
	"$tmp/bob.out" || fail "bob's take without --force: $(cat "$tmp/bob.out")"
[ -e "$tmp/bob/state/rewind/sessions/demo-1" ] && fail "a refused take left a copy on bob's machine"
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$before" ] ||
	fail "a refused take moved the session's ref"

# A take into no terminal (a script that forgot --batch) is refused before
# anything is fetched or published; so is a console with no terminal.
(cd "$tmp/bob/work" && env HOME="$tmp/bob/home" XDG_STATE_HOME="$tmp/bob/state" \
	XDG_CACHE_HOME= timeout 20 "$bin" drill --take "$url#demo-1" --operator bob --force \
	</dev/null >"$tmp/bob.out" 2>&1)
[ $? = 2 ] || fail "a take with no terminal did not end at once with a usage error: $(cat "$tmp/bob.out")"
grep -q "not taken: the console needs a terminal" "$tmp/bob.out" ||
	fail "a take with no terminal: $(cat "$tmp/bob.out")"
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$before" ] ||
	fail "a take with no terminal moved the session's ref"
(cd "$tmp/bob/work" && env HOME="$tmp/bob/home" XDG_STATE_HOME="$tmp/bob/state" \
	timeout 20 "$bin" drill "$src/playbooks/example.json" --session-dir "$tmp/bob/notty" \
	</dev/null >"$tmp/notty.out" 2>&1)
[ $? = 2 ] || fail "a console with no terminal did not end at once: $(cat "$tmp/notty.out")"
grep -q "the console needs a terminal" "$tmp/notty.out" ||
	fail "a console with no terminal: $(cat "$tmp/notty.out")"

# bob takes it with --force (alice's laptop died, say) and finishes it on
# his machine; the journal and the report say it was forced.
printf 'next\nnext\nnext\ntick e.do\nnext\nnext\nnext\n' |
	bob drill --take "$url#demo-1" --batch --operator bob --force >"$tmp/bob.out" 2>"$tmp/bob.err" ||
	fail "bob's take did not finish the session: $(tail -n 3 "$tmp/bob.err")"
grep -q "bob took the session over from alice through $url (forced: it was neither offered nor quit)" "$tmp/bob.err" ||
	fail "bob was not told he took it: $(cat "$tmp/bob.err")"
B=$tmp/bob/state/rewind/sessions/demo-1
[ -f "$B/journal.jsonl" ] || fail "no session folder demo-1 on bob's machine"
"$bin" verify "$B" >/dev/null 2>&1 || fail "bob's journal does not verify"
python3 - "$B/journal.jsonl" "$(cd "$tmp/bob/work" && pwd -P)" <<'PY' || fail "bob's journal"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
h = [e for e in ev if e["type"] == "session.handover"]
assert len(h) == 1, h
assert h[0]["payload"]["from"] == "alice" and h[0]["payload"]["to"] == "bob", h
assert h[0]["payload"].get("forced") is True and "offered_to" not in h[0]["payload"], h
# bob's commands run where he took it, not in alice's folder (which
# exists here too, on one machine): the take stays, and says so.
assert h[0]["payload"].get("workdir") == sys.argv[2], h[0]["payload"]
r = [e for e in ev if e["type"] == "session.resumed"]
assert r and "resumed_from" not in r[-1]["payload"], r[-1]["payload"]
assert h[0]["actor"] == "bob", h
assert any(e["type"] == "note.added" and e["payload"]["text"] == "alice hands over" for e in ev)
assert ev[-1]["type"] in ("session.completed", "share.published"), ev[-1]
assert any(e["type"] == "session.completed" for e in ev)
PY
wait_for 'published | grep -q "session.completed"' 20
git --git-dir="$srv/team.git" merge-base --is-ancestor "$before" "$ref" ||
	fail "the take was no fast-forward of alice's publish"

# alice's run, still alive: read-only now, naming bob; nothing forced.
after=$(git --git-dir="$srv/team.git" rev-parse "$ref")
i=0
while [ $i -lt 100 ]; do
	echo "note alice is still here $i" >&3
	grep -q "handed over to bob, who runs it now: this console is read-only" "$tmp/out" && break
	sleep 0.2
	i=$((i + 1))
done
grep -q "handed over to bob, who runs it now: this console is read-only" "$tmp/out" ||
	fail "alice's run still acts after the hand-over: $(tail -n 2 "$tmp/out")"
sleep 2
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$after" ] ||
	fail "alice's run wrote the session's ref after the hand-over"
echo quit >&3
exec 3>&-
wait "$cpid"
cpid=

# A completed session is not taken again.
printf 'quit\n' | (cd "$tmp/alice/work" && env HOME="$tmp/carol" \
	XDG_STATE_HOME="$tmp/carol/state2" "$bin" drill --take "$url#demo-1" \
	--batch --operator carol) >"$tmp/carol.out" 2>&1 &&
	fail "carol took a completed session"
grep -q "the session is complete: nothing to take" "$tmp/carol.out" ||
	fail "carol's take: $(cat "$tmp/carol.out")"

# alice's copy journalled the take it noticed: resumed, it stays read-only
# even once the remote's ref is put back to her own last publish (as an
# intruder or a wrong "fix" would), so she never commands beside bob.
grep -q '"type":"share.taken".*"to":"bob"' "$tmp/alice/s/demo-1/journal.jsonl" ||
	fail "alice's copy did not journal the take it noticed"
git --git-dir="$srv/team.git" update-ref "$ref" "$before"
n0=$(wc -l <"$tmp/alice/s/demo-1/journal.jsonl")
printf 'note alice acts again\nquit\n' | (cd "$tmp/alice/work" && env HOME="$tmp/alice/home" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/alice/s/demo-1" --batch) \
	>"$tmp/again.out" 2>&1
grep -q "the session was handed over to bob, who runs it now (this copy journalled the take): opened read-only; follow it with rewind watch $url#demo-1" "$tmp/again.out" ||
	fail "alice's resumed copy after the ref was put back: $(cat "$tmp/again.out")"
grep -q "alice acts again" "$tmp/alice/s/demo-1/journal.jsonl" &&
	fail "alice's copy acted again after the hand-over"
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$before" ] ||
	fail "alice's resumed copy published over the ref"
exit $failed
