#!/bin/sh
# The commander offers the hand-over from the console (a real git daemon
# on loopback): H asks for the successor's name; the header says
# "handover offered to bob" and the offer is published; H again asks
# whether to withdraw it (n keeps it, y withdraws it, published too); an
# offer made again is taken by bob on his machine, and the header says
# the session was taken over by him. The help lists H only when the
# session is shared.
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
ref=refs/rewind/sessions/ho-1
published() {
	git --git-dir="$srv/team.git" show "$ref:journal.jsonl" 2>/dev/null
}

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "share-offer",
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
SESSION_DIR=$SCREEN_TMP/s/ho-1
start_app -x 160 -y 40 drill "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator olga --share "$url"
wait_text "share: published to git://127\.0\.0\.1:$DAEMON_PORT/team\.git" 10

keys '?'
wait_text '^   H +Offer the shared session to a successor \(who takes it with --take\), or withdraw the offer' 5
keys Escape
wait_gone 'rewind keys' 5

keys H
wait_text 'Offer the session to \(their name\)' 5
type_text "bob"
keys Enter
wait_text 'handover offered to bob; share: published to git://' 15
row 1 | grep -q 'handover offered to bob' || fail "the offer is not in the header: $(row 1)"
# The status line gives bob's whole command, as rewind handover prints it.
screen_text -J | grep -qF "they take it with: rewind drill --take $url#ho-1 --operator bob" ||
	fail "the status line does not give the successor's command: $(row 23)"
wait_for 'published | grep -q "\"type\":\"session.handover_offered\""' 10

keys H
wait_text 'The session is offered to bob\. Withdraw the offer\?' 5
keys n
wait_text 'the hand-over stays offered to bob' 5
row 1 | grep -q 'handover offered to bob' || fail "n withdrew the offer: $(row 1)"
keys H
wait_text 'Withdraw the offer\?' 5
keys y
wait_gone 'handover offered to bob' 10
wait_for 'published | grep -q "\"type\":\"session.handover_withdrawn\""' 10
[ "$(journal_count session.handover_withdrawn)" = 1 ] || fail "the withdrawal was not journalled once"

keys H
wait_text 'Offer the session to' 5
type_text "bob"
keys Enter
wait_text 'handover offered to bob; share: published' 15
printf 'note bob has it\n' | (cd "$SCREEN_TMP/bob/work" && env HOME="$SCREEN_TMP/bob" \
	XDG_STATE_HOME="$SCREEN_TMP/bob/state" "$REWIND_BIN" drill --take "$url#ho-1" \
	--batch --operator bob) >"$SCREEN_TMP/bob.out" 2>&1
grep -q "bob took the session over from olga through $url (as offered)" "$SCREEN_TMP/bob.out" ||
	fail "bob's take: $(cat "$SCREEN_TMP/bob.out")"
wait_text "share: TAKEN OVER by bob, who runs the session now; this console is read-only" 10
keys_nowait q
wait_exit
pass "H offers the hand-over, the header says so, H withdraws it, and the one offered takes it"
