#!/bin/sh
# Every approval.granted journals where and by whom it was entered: how
# (the operator's batch run, rewind approve), the real login of the
# process (getpwuid(getuid()), never $USER), the host and the terminal;
# rewind approve signs as the real login by default and keeps it beside
# --as; the report's Approvals table and the replay show the provenance.
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
  "id": "approve-provenance",
  "title": "Who entered the sign-off",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "three sign",
        "roles": [ { "role": "Release Manager", "count": 3 } ] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

S=$tmp/s
# The operator ic types dana's name in a batch run.
printf 'tick a.look\nnext\nnext\napprove p.sign "Release Manager" dana\n' |
	USER=ic "$bin" drill "$tmp/pb.json" --batch --operator ic --session-dir "$S" \
	>"$tmp/batch.out" 2>&1
grep -q '"type":"approval.granted"' "$S/journal.jsonl" ||
	{ cat "$tmp/batch.out"; fail "the batch run did not sign"; }

# provenance NAME FIELD: the provenance FIELD of NAME's approval.
provenance() {
	python3 - "$1" "$2" "$S/journal.jsonl" <<'PY'
import json, sys
name, field, path = sys.argv[1:]
for line in open(path):
    e = json.loads(line)
    p = e.get("payload") or {}
    if e.get("type") == "approval.granted" and p.get("name") == name:
        v = (p.get("provenance") or {}).get(field)
        print("(none)" if v is None else v)
PY
}

[ "$(provenance dana via)" = batch ] ||
	fail "dana's batch sign-off: via is $(provenance dana via)"
[ "$(provenance dana login)" = "$login" ] ||
	fail "dana's batch sign-off: login is $(provenance dana login), not $login"
[ "$(provenance dana operator)" = ic ] ||
	fail "dana's batch sign-off: operator is $(provenance dana operator)"
[ "$(provenance dana host)" = "$host" ] ||
	fail "dana's batch sign-off: host is $(provenance dana host)"

# rewind approve with USER set to someone else: the real login signs.
USER=mallory "$bin" approve "$S" p.sign --role "Release Manager" --yes \
	>"$tmp/cli.out" 2>"$tmp/cli.err" || fail "rewind approve: $(cat "$tmp/cli.err")"
grep -q '"name":"mallory"' "$S/journal.jsonl" &&
	fail "USER=mallory signed as mallory"
[ "$(provenance "$login" via)" = "rewind approve" ] ||
	fail "rewind approve without --as did not sign as the login $login"
[ "$(provenance "$login" login)" = "$login" ] ||
	fail "rewind approve: login is $(provenance "$login" login)"

# --as another name: the journal keeps both, and the approver is told.
USER=erin "$bin" approve "$S" p.sign --role "Release Manager" --as erin --yes \
	>"$tmp/as.out" 2>"$tmp/as.err" || fail "rewind approve --as erin: $(cat "$tmp/as.err")"
[ "$(provenance erin login)" = "$login" ] ||
	fail "--as erin: the real login is not kept beside it ($(provenance erin login))"
[ "$(provenance erin via)" = "rewind approve" ] || fail "--as erin: via $(provenance erin via)"
grep -qF "the journal records your login, $login, beside the name erin" "$tmp/as.out" ||
	fail "--as erin: not told the login is recorded: $(cat "$tmp/as.out")"

# The report and the replay say where each sign-off was entered.
"$bin" report "$S" -o "$tmp/report.md" >/dev/null 2>&1
grep -F '| p.sign | Release Manager | dana |' "$tmp/report.md" |
	grep -qF "entered in ic's batch run (login $login on $host)" ||
	fail "report: dana's row lacks the provenance: $(grep -F '| dana |' "$tmp/report.md")"
grep -F "| erin |" "$tmp/report.md" | grep -qF "signed with rewind approve (login $login" ||
	fail "report: erin's row lacks the provenance"
"$bin" replay --print "$S" >"$tmp/replay.out" 2>&1
grep -F "name=dana" "$tmp/replay.out" |
	grep -qF "provenance=entered in ic's batch run (login $login on $host)" \
	|| fail "replay does not show dana's provenance"

# report.json keeps the whole provenance of each sign-off, own_login
# too (it dropped it): in a session whose operator is this login, a
# sign-off from rewind approve is the operator's own login; the batch
# run's is not.
O=$tmp/own
printf 'tick a.look\nnext\nnext\napprove p.sign "Release Manager" dana\n' |
	"$bin" drill "$tmp/pb.json" --batch --operator "$login" --session-dir "$O" \
	>"$tmp/own.out" 2>&1
"$bin" approve "$O" p.sign --role "Release Manager" --as erin --yes \
	>"$tmp/own-as.out" 2>"$tmp/own-as.err" || fail "own login --as erin: $(cat "$tmp/own-as.err")"
"$bin" report "$O" --format json -o "$tmp/report.json" >/dev/null 2>"$tmp/rj.err" ||
	fail "report --format json: $(cat "$tmp/rj.err")"
python3 - "$tmp/report.json" "$login" <<'PY' || fail "report.json's approvals lack own_login: $(cat "$tmp/report.json")"
import json, sys
rep = json.load(open(sys.argv[1]))
by = {a["name"]: a.get("provenance", {}) for a in rep["approvals"]}
assert by["erin"].get("own_login") is True, by["erin"]
assert by["erin"].get("login") == sys.argv[2], by["erin"]
assert by["erin"].get("via") == "rewind approve", by["erin"]
assert by["dana"].get("own_login") is False, by["dana"]
PY

[ "$failures" = 0 ] || exit 1
echo "approve provenance: every sign-off records how, the real login, host and tty"
