#!/bin/sh
# A typed confirmation holds only for the run it was typed for: it is
# refused (nothing journalled) while the run could not start (an approval
# missing, a read-only session); once the command's values change it no
# longer holds and the run asks for it again; a refused run uses it up;
# and it never outlives the console it was typed in (a resume asks
# again). step.confirmed records the digest of the command with its values.
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LANG=C.UTF-8
failures=0

fail() { echo "FAIL: confirm-binding: $*"; failures=$((failures + 1)); }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "confirm-binding",
  "title": "A confirmation for these values",
  "variables": { "V": { "prompt": "version", "default": "1.2.2" } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign", "gates": ["execute"],
        "roles": [ { "role": "Release Manager", "count": 1 } ] } ] },
    { "id": "execute", "steps": [
      { "id": "e.push", "kind": "run", "title": "push", "run": "echo \"pushed $V\"",
        "destructive": true, "confirm": "push ${V}" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
S=$tmp/s
J=$S/journal.jsonl
count() { grep -c "\"type\":\"$1\"" "$J"; }
batch() {	# batch NAME [ARGS]: one rewind run with stdin's actions
	name=$1; shift
	"$bin" run "$tmp/pb.json" --batch --operator alice --session-dir "$S" "$@" \
		>"$tmp/$name.out" 2>&1
}

# --- into execute with bob's sign-off -------------------------------------------------
printf 'next\nnext\nquit\n' | batch prefix
"$bin" approve --yes "$S" p.sign --role 'Release Manager' --as bob >"$tmp/approve.out" 2>&1 ||
	fail "bob's approval failed: $(cat "$tmp/approve.out")"

# --- the sign-off voided: the confirmation is refused, nothing journalled ----------
printf 'next\nset V 1.2.1\nconfirm e.push push 1.2.1\nquit\n' | batch voided
grep -q '"type":"approval.voided"' "$J" || fail "setting V did not void the approval"
grep -qF 'confirm e.push: it needs the sign-off of p.sign first' "$tmp/voided.out" ||
	fail "confirm was not refused while the approval is missing: $(cat "$tmp/voided.out")"
[ "$(count step.confirmed)" = 0 ] || fail "a confirmation was journalled for a run that could not start"

# --- read-only: refused too -------------------------------------------------------
"$bin" approve --yes "$S" p.sign --role 'Release Manager' --as bob >"$tmp/approve2.out" 2>&1 ||
	fail "bob's second approval failed: $(cat "$tmp/approve2.out")"
printf 'confirm e.push push 1.2.1\nquit\n' | batch readonly --read-only
grep -qF 'read-only' "$tmp/readonly.out" || fail "a read-only session took a confirmation: $(cat "$tmp/readonly.out")"
[ "$(count step.confirmed)" = 0 ] || fail "a read-only session journalled a confirmation"

# --- confirmed for 1.2.1; V changes and is signed again: the run asks again ---------
printf 'confirm e.push push 1.2.1\nset V 1.2.2\napprove p.sign "Release Manager" bob\nrun e.push\nquit\n' | batch changed
[ "$(count step.confirmed)" = 1 ] || fail "the first confirmation was not journalled: $(cat "$tmp/changed.out")"
grep '"type":"step.confirmed"' "$J" | grep -q '"command_sha256":"[0-9a-f]\{64\}"' ||
	fail "step.confirmed holds no command digest: $(grep step.confirmed "$J")"
grep -qF 'type the confirmation again, its values changed since it was typed' "$tmp/changed.out" ||
	fail "the run did not ask again after V changed: $(cat "$tmp/changed.out")"
[ "$(count step.started)" = 0 ] || fail "the step ran on a confirmation typed for other values"

# --- confirmed, then the console ends: the next one asks again ---------------------
printf 'confirm e.push push 1.2.2\nquit\n' | batch confirmed
[ "$(count step.confirmed)" = 2 ] || fail "the second confirmation was not journalled: $(cat "$tmp/confirmed.out")"
printf 'run e.push\nquit\n' | batch resumed
grep -qF 'step e.push is destructive: type the confirmation first' "$tmp/resumed.out" ||
	fail "a confirmation from the previous console was used: $(cat "$tmp/resumed.out")"
[ "$(count step.started)" = 0 ] || fail "the step ran on the previous console's confirmation"

# --- typed and run in one console: it runs, once ----------------------------------
printf 'confirm e.push push 1.2.2\nrun e.push\nquit\n' | batch ran
[ "$(count step.started)" = 1 ] || fail "the confirmed run did not start: $(cat "$tmp/ran.out")"
grep -qF 'pushed 1.2.2' "$S"/output/e.push-1.cast || fail "the run did not push 1.2.2"

[ "$failures" = 0 ] || exit 1
echo "PASS: confirm-binding"
