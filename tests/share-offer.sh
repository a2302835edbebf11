#!/bin/sh
# A hand-over offered by the commander, end to end against a real git
# daemon on loopback: alice commands a shared drill and offers it to bob
# (the batch action handover NAME); the offer is journalled and
# published; carol's take is refused while it stands (only bob takes an
# offered session), and leaves nothing behind; alice withdraws the offer
# and offers it again from a second terminal (rewind handover SESSION
# --withdraw / --to NAME), where anyone but the commander is refused; bob
# takes it as offered; bob offers it to erin, and carol's take with
# --force goes through, recorded as forced. The journal, the report and
# the replay say each offer, its withdrawal and its acceptance.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/alice/work" "$tmp/bob/work" "$tmp/carol/work"
ref=refs/rewind/sessions/offer-1
A=$tmp/alice/s/offer-1

two_checks offer-demo "Offered" >"$tmp/pb.json"

mkfifo "$tmp/in"
(cd "$tmp/alice/work" && exec env HOME="$tmp/alice/home" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --share "$url" --session-dir "$A" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
printf 'tick a.look\nhandover alice\nhandover bob\n' >&3
wait_for 'published | grep -q "session.handover_offered"' 20 || exit 1
grep -q 'handover alice: alice commands the session already' "$tmp/out" ||
	fail "an offer to the commander was not refused: $(cat "$tmp/out")"
published | python3 -c '
import json, sys
ev = [json.loads(l) for l in sys.stdin]
o = [e for e in ev if e["type"] == "session.handover_offered"]
assert len(o) == 1 and o[0]["actor"] == "alice", o
assert o[0]["payload"]["to"] == "bob" and o[0]["payload"]["from"] == "alice", o
assert o[0]["payload"]["remote"].startswith("git://127.0.0.1:"), o
' || fail "the published offer"
before=$(git --git-dir="$srv/team.git" rev-parse "$ref")

# carol is not the one it is offered to: refused, nothing left behind.
printf 'quit\n' | as carol drill --take "$url#offer-1" --batch \
	--operator carol >"$tmp/carol.out" 2>&1 &&
	fail "carol took a session offered to bob"
grep -q "not taken: alice offered the session to bob, not to carol: only bob takes it" \
	"$tmp/carol.out" || fail "carol's refusal: $(cat "$tmp/carol.out")"
[ -e "$tmp/carol/state/rewind/sessions/offer-1" ] &&
	fail "a refused take left a session folder behind"
[ "$(git --git-dir="$srv/team.git" rev-parse "$ref")" = "$before" ] ||
	fail "a refused take moved the session's ref"

# A published session's REMOTE#SESSION is no place to offer from: said.
"$bin" handover "$url#$(basename "$A")" --to bob --operator alice >"$tmp/h.out" 2>&1 &&
	fail "an offer on the published copy was taken"
grep -q "names a published session: its commander offers the hand-over where it runs" "$tmp/h.out" ||
	fail "handover REMOTE#SESSION: $(cat "$tmp/h.out")"

# From a second terminal: only the commander offers or withdraws.
"$bin" handover "$A" --to carol --operator carol >"$tmp/h.out" 2>&1 &&
	fail "carol offered alice's session to herself"
grep -q "only the session's commander (alice) offers or withdraws" "$tmp/h.out" ||
	fail "a non-commander's offer: $(cat "$tmp/h.out")"
"$bin" handover "$A" --withdraw --operator alice >"$tmp/h.out" 2>&1 ||
	fail "alice could not withdraw: $(cat "$tmp/h.out")"
wait_for 'published | grep -q "session.handover_withdrawn"' 20
"$bin" handover "$A" --withdraw --operator alice >"$tmp/h.out" 2>&1 &&
	fail "a second withdrawal was accepted"
grep -q "no hand-over is offered" "$tmp/h.out" || fail "second withdrawal: $(cat "$tmp/h.out")"
"$bin" handover "$A" --to bob --operator alice >"$tmp/h.out" 2>&1 ||
	fail "alice could not offer again: $(cat "$tmp/h.out")"
grep -q "handover offered to bob; bob takes it with: rewind drill --take $url#offer-1 --operator bob" \
	"$tmp/h.out" || fail "the offer's words: $(cat "$tmp/h.out")"
wait_for '[ "$(published | grep -c "session.handover_offered")" = 2 ]' 20

# bob takes it as offered, and offers it on to erin.
printf 'note bob has it\nhandover erin\n' | as bob drill --take "$url#offer-1" --batch \
	--operator bob >"$tmp/bob.out" 2>"$tmp/bob.err" ||
	[ $? = 1 ] || fail "bob's take: $(cat "$tmp/bob.err")"
grep -q "bob took the session over from alice through $url (as offered)" "$tmp/bob.err" ||
	fail "bob was not told he took it as offered: $(cat "$tmp/bob.err")"
wait_for 'published | grep -q "\"to\":\"erin\""' 20

# carol forces her take over the offer to erin: taken, and recorded so.
printf 'quit\n' | as carol drill --take "$url#offer-1" --batch --force \
	--operator carol >"$tmp/carol.out" 2>&1 || [ $? = 1 ] ||
	fail "carol's forced take: $(cat "$tmp/carol.out")"
grep -q "carol took the session over from bob through $url (forced: it was offered to someone else)" \
	"$tmp/carol.out" || fail "carol's forced take: $(cat "$tmp/carol.out")"
C=$tmp/carol/state/rewind/sessions/offer-1
python3 - "$C/journal.jsonl" <<'PY' || fail "carol's journal"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [(e["type"], e["actor"], e["payload"].get("to")) for e in ev
         if e["type"].startswith("session.handover")]
assert kinds == [
    ("session.handover_offered", "alice", "bob"),
    ("session.handover_withdrawn", "alice", "bob"),
    ("session.handover_offered", "alice", "bob"),
    ("session.handover", "bob", "bob"),
    ("session.handover_offered", "bob", "erin"),
    ("session.handover", "carol", "carol"),
], kinds
h = [e for e in ev if e["type"] == "session.handover"]
assert h[0]["payload"]["offered_to"] == "bob" and h[0]["payload"]["forced"] is False, h[0]
assert h[1]["payload"]["offered_to"] == "erin" and h[1]["payload"]["forced"] is True, h[1]
PY
"$bin" verify "$C" >/dev/null 2>&1 || fail "carol's journal does not verify"
"$bin" report "$C" >"$tmp/report.md" 2>&1
for words in "alice offered the session to bob" \
	"alice withdrew the hand-over offered to bob" \
	"bob took the session over from alice (through $url), as offered" \
	"carol took the session over from bob (through $url), forced: it was offered to erin"; do
	grep -qF "$words" "$tmp/report.md" || fail "the report does not say: $words"
done
"$bin" replay --print "$C" >"$tmp/replay.txt" 2>&1
for words in "alice +session.handover_offered .* from=alice to=bob" \
	"alice +session.handover_withdrawn .* to=bob" \
	"bob +session.handover .* offered_to=bob forced=false" \
	"carol +session.handover .* offered_to=erin forced=true"; do
	grep -Eq "$words" "$tmp/replay.txt" || fail "the replay does not show: $words"
done

echo quit >&3
exec 3>&-
wait "$cpid"
cpid=
exit $failed
