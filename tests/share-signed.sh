#!/bin/sh
# Signed sign-offs from other machines, end to end against a real git
# server on loopback: the playbook names an allowed signers file (git's
# format, targets.share_signers); an approver whose git signs with ssh
# (gpg.format=ssh, user.signingKey) signs the request with rewind approve
# REMOTE#SESSION. The commander's run takes a request only when it is
# signed by a key the file lists, as the name the file gives that key:
# unsigned, an unlisted key, and a listed key signing as someone else are
# refused with their reason; a good one is journalled with signed_by; one
# key counts as one person whichever of its names a request gives.
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
command -v ssh-keygen >/dev/null || { echo "SKIP: ssh-keygen (openssh-client) is not installed"; exit 77; }
mkdir -p "$tmp/alice/work"
ref=refs/rewind/sessions/sig-1
J=$tmp/alice/s/sig-1/journal.jsonl
# person NAME [signs]: a machine of NAME's own (HOME, work folder); with
# "signs", their git signs with a fresh ssh key of theirs.
person() {
	mkdir -p "$tmp/$1/home" "$tmp/$1/work"
	[ "${2:-}" = signs ] || return 0
	ssh-keygen -q -t ed25519 -N '' -C "$1" -f "$tmp/$1/home/key" </dev/null
	HOME="$tmp/$1/home" git config --global gpg.format ssh
	HOME="$tmp/$1/home" git config --global user.signingKey "~/key"
}
person bob signs
person carol signs
person mallory signs
person dave
person alicepc signs	# the commander's own laptop, her own key
# The team's allowed signers: bob (by his address), carol and alice, the
# commander; not mallory.
printf 'bob@team.example namespaces="rewind-approval" %s\ncarol %s\nalice@team.example %s\n' \
	"$(cut -d' ' -f1,2 "$tmp/bob/home/key.pub")" \
	"$(cut -d' ' -f1,2 "$tmp/carol/home/key.pub")" \
	"$(cut -d' ' -f1,2 "$tmp/alicepc/home/key.pub")" >"$tmp/alice/work/allowed_signers"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "signed-demo",
  "title": "Signed from elsewhere",
  "targets": { "share_signers": "allowed_signers" },
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign the rollback",
        "gates": [ "e.do" ],
        "roles": [ { "role": "Release Manager", "count": 2 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

mkfifo "$tmp/in"
(cd "$tmp/alice/work" && exec env HOME="$tmp/alice/work" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --share "$url" --session-dir "$tmp/alice/s/sig-1" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
printf 'tick a.look\nnext\nnext\nnote alice waits for the sign-off\n' >&3
wait_for 'published | grep -q "alice waits for the sign-off"' 20 || exit 1

# sign WHO AS: WHO's request to sign as AS; its output in $tmp/WHO.out
sign() {
	as "$1" approve "$url#sig-1" p.sign --role "Release Manager" --as "$2" \
		--yes --wait=30 >"$tmp/$1.out" 2>&1
}
refused() {	# WHO WHY
	grep -q "\"type\":\"action.refused\".*$2" "$J" ||
		fail "$1's request was not refused for: $2: $(grep action.refused "$J" | tail -n 1)"
}

sign dave bob && fail "an unsigned request was taken"
grep -q "unsigned: git signs with no ssh key here" "$tmp/dave.out" ||
	fail "dave was not told his request went unsigned: $(cat "$tmp/dave.out")"
refused dave "unsigned: this playbook takes sign-offs from other machines only when signed with an ssh key allowed_signers lists"
# Told as a request made as bob, never as "rewind's" (who refused it).
grep -q "REFUSED: a request to approve p.sign as 'bob' from $url was refused: unsigned" "$tmp/dave.out" ||
	fail "dave's refusal is not told as his request: $(grep REFUSED "$tmp/dave.out")"

sign mallory bob && fail "a request signed with an unlisted key was taken"
refused mallory "its signature: signed with a key that allowed_signers does not list"

sign carol bob && fail "carol's key signed as bob"
refused carol "signed with the key of carol, not of bob (allowed_signers lists that key as carol's)"

# The operator's own key under the full name it is listed with: still her.
sign alicepc alice@team.example && fail "the operator signed her own rollback with her key's full name"
refused alicepc "signed with the key of alice@team.example, the operator's own (alice cannot approve their own rollback, under any name)"

sign bob bob || fail "bob's signed request was not taken: $(cat "$tmp/bob.out")"
grep -q "signed with $tmp/bob/home/key" "$tmp/bob.out" ||
	fail "bob was not told he signed: $(cat "$tmp/bob.out")"
grep '"type":"approval.granted"' "$J" | grep -q '"signed_by":"bob@team.example"' ||
	fail "the sign-off does not say who signed: $(grep approval.granted "$J")"
# bob again under his key's whole principal: one key, one person.
sign bob bob@team.example && fail "bob's key counted twice for one role under its two names"
refused bob "bob already approved\|same person as bob"
[ "$(grep -c '"type":"approval.granted"' "$J")" = 1 ] || fail "not exactly one sign-off"
echo quit >&3
exec 3>&-
wait "$cpid"
cpid=
"$bin" report "$tmp/alice/s/sig-1" >"$tmp/report" 2>&1
grep -q "signed with bob@team.example's ssh key" "$tmp/report" ||
	fail "the report does not say the sign-off was signed: $(grep -i bob "$tmp/report" | head -n 5)"
exit $failed
