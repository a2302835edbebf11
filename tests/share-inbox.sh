#!/bin/sh
# Approving from anywhere, end to end against a real git server on
# loopback (git daemon --enable=receive-pack): the commander (alice, her
# own HOME and state) runs a shared drill; an approver on "another
# machine" (bob, his own HOME and state) signs with rewind approve
# REMOTE#SESSION STEP, which writes a request to the session's inbox ref
# and never the session's ref. The commander's run fetches the inbox and
# journals each request with the rules of a local sign-off: too early
# (phase not reached), a self-approval and a replay of a taken request
# are refused with their reason in the journal; a good one is journalled
# as approval.granted "from REMOTE by login L on host H", once; the
# approver's --wait tells him which, and his next approve repeats what
# was refused; a session that has completed refuses what comes after.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/alice/home" "$tmp/alice/work" "$tmp/bob/home" "$tmp/bob/work"
ref=refs/rewind/sessions/demo-1
J=$tmp/alice/s/demo-1/journal.jsonl
bob() { as bob "$@"; }	# rewind as bob, on his machine
# events TYPE: how many events of TYPE alice's journal holds
events() { grep -c "\"type\":\"$1\"" "$J"; }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "inbox-demo",
  "title": "Signed from elsewhere",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign the rollback",
        "gates": [ "e.do" ],
        "roles": [ { "role": "Release Manager", "count": 1 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

mkfifo "$tmp/in"
(cd "$tmp/alice/work" && exec env HOME="$tmp/alice/home" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --share "$url" --session-dir "$tmp/alice/s/demo-1" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
echo "note alice is on it" >&3
wait_for 'published | grep -q "alice is on it"' 20 || exit 1
session_ref=$(git --git-dir="$srv/team.git" rev-parse "$ref")

# Too early: the session is in assess. Refused by alice's run, and bob's
# --wait says so.
bob approve "$url#demo-1" p.sign --role "release manager" --as bob --yes \
	--wait=30 >"$tmp/early" 2>&1 && fail "an early sign-off was taken: $(cat "$tmp/early")"
grep -q "request [0-9a-f]* REFUSED: bob's approve p.sign from $url was refused: step p.sign belongs to phase approve" "$tmp/early" ||
	fail "the early sign-off's outcome: $(cat "$tmp/early")"
[ "$(events approval.granted)" = 0 ] || fail "an early sign-off was journalled as granted"
git --git-dir="$srv/team.git" for-each-ref refs/rewind/inbox/demo-1/ >"$tmp/inbox"
[ "$(wc -l <"$tmp/inbox")" = 1 ] || fail "the inbox holds: $(cat "$tmp/inbox")"
git --git-dir="$srv/team.git" merge-base --is-ancestor "$session_ref" "$ref" ||
	fail "the session's ref was rewritten"

printf 'tick a.look\nnext\nnext\n' >&3
wait_for 'published | grep -q "\"to\":\"approve\""' 20 ||
	wait_for 'published | grep -q "\"phase\":\"approve\""' 5 || exit 1

# A self-approval from elsewhere: the same-person rule, after
# normalisation.
bob approve "$url#demo-1" p.sign --role "Release Manager" --as " ALICE" --yes \
	--wait=30 >"$tmp/self" 2>&1 && fail "alice's own sign-off was taken"
grep -qi "REFUSED: .*'ALICE' is the same person as the operator, alice" "$tmp/self" ||
	fail "the self-approval's outcome: $(cat "$tmp/self")"

# A request that approved other commands or values than the session has
# now (written by hand: its gate hash is not the session's): refused.
cat >"$tmp/stale.json" <<JSON
{"request":"11111111-1111-4111-8111-111111111111","session":"demo-1",
 "step":"p.sign","role":"Release Manager","name":"dave","login":"dave",
 "host":"elsewhere","gate_hash":"$(printf '0%.0s' $(seq 64))","head":"",
 "events":3}
JSON
blob=$(git --git-dir="$srv/team.git" hash-object -w "$tmp/stale.json")
tree=$(printf '100644 blob %s\trequest.json\n' "$blob" | git --git-dir="$srv/team.git" mktree)
stale=$(git --git-dir="$srv/team.git" -c user.name=d -c user.email=d@localhost \
	commit-tree "$tree" -m stale)
git --git-dir="$srv/team.git" update-ref \
	refs/rewind/inbox/demo-1/11111111-1111-4111-8111-111111111111 "$stale"
wait_for 'grep -q "approve p.sign: the commands or variables it approved have changed since the approver read the session" "$J"' 20
[ "$(events approval.granted)" = 0 ] || fail "a stale sign-off was granted"

# Bob's sign-off is taken; the journal says from where.
t0=$(date +%s)
bob approve "$url#demo-1" p.sign --role "Release Manager" --as bob \
	--comment "looks right" --yes --wait=30 >"$tmp/good" 2>&1 ||
	fail "bob's sign-off was not taken: $(cat "$tmp/good")"
t1=$(date +%s)
echo "# request written to taken and read back: $((t1 - t0)) s"
grep -q "request [0-9a-f]* taken: bob approved as Release Manager, from $url by login $(id -un) on host $(hostname)" "$tmp/good" ||
	fail "bob's outcome: $(cat "$tmp/good")"
# Here every "machine" is one login on one host, the commander's own seat:
# the sign-off is taken but flagged as from the operator's own login.
grep -q "signed as bob by login $(id -un), the operator's own login on the operator's host" "$tmp/good" ||
	fail "a request from the operator's own login and host is not flagged: $(cat "$tmp/good")"
grep '"type":"approval.granted"' "$J" | tail -n 1 | grep -q '"own_login":true' ||
	fail "own_login not journalled for a request from the operator's seat"
# bob was told before of the two refused requests
grep -c "REFUSED" "$tmp/good" | grep -qx 2 ||
	fail "bob's next approve did not repeat his two refused requests: $(cat "$tmp/good")"
python3 - "$J" "$url" "$(id -un)" "$(hostname)" <<'PY' || fail "the granted event's payload"
import json, sys
path, url, login, host = sys.argv[1:]
g = [json.loads(l) for l in open(path) if '"approval.granted"' in l]
assert len(g) == 1, g
e = g[0]
p = e["payload"]
pv = p["provenance"]
assert e["actor"] == "bob" and e["step"] == "p.sign", e
assert p["name"] == "bob" and p["role"] == "Release Manager", p
assert p["comment"] == "looks right", p
assert pv["via"] == "remote approve" and pv["remote"] == url, pv
assert pv["login"] == login and pv["host"] == host, pv
assert pv["request"] == pv["inbox_ref"] and len(pv["request"]) == 36, pv
assert pv["operator"] == "alice", pv
PY
wait_for 'published | grep -q "\"approval.granted\""' 20

# A replay: bob's request pushed again under a ref of its own. Refused,
# and granted once still.
req=$(python3 - "$J" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "approval.granted":
        print(e["payload"]["provenance"]["request"])
PY
)
commit=$(git --git-dir="$srv/team.git" rev-parse "refs/rewind/inbox/demo-1/$req")
git --git-dir="$srv/team.git" update-ref \
	refs/rewind/inbox/demo-1/00000000-0000-4000-8000-000000000000 "$commit"
wait_for 'grep -q "a replay: request $req was already taken or refused" "$J"' 20
[ "$(events approval.granted)" = 1 ] || fail "the replay was granted again"
[ "$(events action.refused)" = 4 ] || fail "refusals: $(events action.refused) (want 4)"

# No such step: refused on bob's side, nothing written.
bob approve "$url#demo-1" p.nope --role "Release Manager" --as bob --yes \
	>"$tmp/nope" 2>&1 && fail "a sign-off of no step was sent"
grep -q "p.nope: no such step" "$tmp/nope" || fail "no such step: $(cat "$tmp/nope")"

# Completed (and the batch ended), what comes after is refused on the
# approver's side: nothing is written that no console would read.
printf 'next\ntick e.do\nnext\nnext\nnext\n' >&3
wait_for 'grep -q "\"type\":\"session.completed\"" "$J"' 20 || exit 1
wait_for 'published | grep -q "session.completed"' 20
exec 3>&-
wait "$cpid"
cpid=
n_inbox=$(git --git-dir="$srv/team.git" for-each-ref refs/rewind/inbox/ | wc -l)
bob approve "$url#demo-1" p.sign --role "Release Manager" --as carol --yes \
	--wait=30 >"$tmp/late" 2>&1 && fail "a sign-off after the end was taken"
grep -q "demo-1: the session is complete: there is nothing left to sign" "$tmp/late" ||
	fail "the late sign-off's outcome: $(cat "$tmp/late")"
[ "$(git --git-dir="$srv/team.git" for-each-ref refs/rewind/inbox/ | wc -l)" = "$n_inbox" ] ||
	fail "a request was written for a complete session"

git --git-dir="$srv/team.git" merge-base --is-ancestor "$session_ref" "$ref" ||
	fail "the session's ref is no fast-forward of its first publish"
(cd "$tmp/alice/work" && env HOME="$tmp/alice/home" "$bin" verify \
	"$tmp/alice/s/demo-1" --against "$url") >"$tmp/v" 2>&1 ||
	fail "verify --against: $(cat "$tmp/v")"
exit $failed
