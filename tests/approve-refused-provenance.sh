#!/bin/sh
# A refused sign-off (wrong role, the operator's own name, a bad name)
# journals the same provenance as approval.granted: how it was entered,
# the real login, host and terminal; the report's timeline and the
# replay show who tried.
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC LANG=C.UTF-8
failures=0
login=$(id -un)
host=$(hostname)

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "approve-refused",
  "title": "Who tried to sign",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign",
        "roles": [ { "role": "Release Manager", "count": 1 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

S=$tmp/s
# The operator ic tries a wrong role, then their own name, in a batch run.
printf 'tick a.look\nnext\nnext\napprove p.sign "Janitor" dana\napprove p.sign "Release Manager" ic\n' |
	"$bin" drill "$tmp/pb.json" --batch --operator ic --session-dir "$S" \
	>"$tmp/batch.out" 2>&1
# From another terminal: a bad name, and the operator's own name.
"$bin" approve "$S" p.sign --role "Release Manager" --as "$(printf 'bo\001b')" --yes \
	>"$tmp/bad.out" 2>&1 && fail "a name with a control character was accepted"
"$bin" approve "$S" p.sign --role "Release Manager" --as ic --yes \
	>"$tmp/ic.out" 2>&1 && fail "the operator's own name was accepted"

# refusal N FIELD: provenance FIELD of the Nth refused sign-off.
refusal() {
	python3 - "$1" "$2" "$S/journal.jsonl" <<'PY'
import json, sys
n, field, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
seen = [json.loads(l) for l in open(path)]
seen = [e for e in seen if e.get("type") == "action.refused"
        and (e.get("payload") or {}).get("action") == "approve"]
if n > len(seen):
    print("(no refusal %d of %d)" % (n, len(seen)))
else:
    p = seen[n - 1]["payload"]
    v = p.get(field) if field in ("role", "name") else (p.get("provenance") or {}).get(field)
    print("(none)" if v is None else v)
PY
}

[ "$(refusal 1 via)" = batch ] || fail "wrong role refusal: via is $(refusal 1 via)"
[ "$(refusal 1 login)" = "$login" ] || fail "wrong role refusal: login is $(refusal 1 login)"
[ "$(refusal 1 host)" = "$host" ] || fail "wrong role refusal: host is $(refusal 1 host)"
[ "$(refusal 1 operator)" = ic ] || fail "wrong role refusal: operator is $(refusal 1 operator)"
[ "$(refusal 1 name)" = dana ] || fail "wrong role refusal: name is $(refusal 1 name)"
[ "$(refusal 1 role)" = Janitor ] || fail "wrong role refusal: role is $(refusal 1 role)"
[ "$(refusal 2 via)" = batch ] || fail "operator's own name in batch: via is $(refusal 2 via)"
[ "$(refusal 3 via)" = "rewind approve" ] ||
	fail "bad name from rewind approve: via is $(refusal 3 via)"
[ "$(refusal 3 login)" = "$login" ] || fail "bad name: login is $(refusal 3 login)"
[ "$(refusal 4 via)" = "rewind approve" ] ||
	fail "operator's name from rewind approve: via is $(refusal 4 via)"
[ "$(refusal 4 name)" = ic ] || fail "operator's name: name is $(refusal 4 name)"

"$bin" verify "$S" >"$tmp/verify.out" 2>&1 || fail "the journal does not verify: $(cat "$tmp/verify.out")"

# The report's timeline and the replay say who tried.
"$bin" report "$S" -o "$tmp/report.md" >/dev/null 2>&1
grep -F "refused approve p.sign (ic)" "$tmp/report.md" |
	grep -qF "signed with rewind approve (login $login on $host" ||
	fail "report: the refused rewind approve lacks its provenance: $(grep -F 'refused approve' "$tmp/report.md")"
grep -F "refused approve p.sign (dana)" "$tmp/report.md" |
	grep -qF "entered in ic's batch run (login $login on $host" ||
	fail "report: the refused batch sign-off lacks its provenance"
"$bin" replay --print "$S" >"$tmp/replay.out" 2>&1
grep -F "action.refused" "$tmp/replay.out" | grep -F "name=dana" |
	grep -qF "provenance=entered in ic's batch run (login $login on $host" ||
	fail "replay does not show who tried: $(grep -F action.refused "$tmp/replay.out")"

[ "$failures" = 0 ] || exit 1
echo "approve refused provenance: every refused sign-off records who tried"
