#!/bin/sh
# Restoring the version you roll back from (the header's "to" holding the
# "from" value, a leading v not counted) is one of the restore-target
# warnings: journalled with its var.set, shown by rewind approve's summary
# and the confirmation's check, in the report's timeline and Findings.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "same", "title": "Roll back to where it started",
  "header": { "from": "ROLLBACK_VERSION", "to": "RESTORE_VERSION" },
  "variables": {
    "ROLLBACK_VERSION": { "prompt": "Bad version" },
    "RESTORE_VERSION": { "prompt": "Version to restore" }
  },
  "phases": [
    { "id": "assess", "steps": [] }, { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign",
        "roles": [ { "role": "Release Manager", "count": 1 } ] } ] },
    { "id": "execute", "steps": [
      { "id": "e.tag", "kind": "run", "title": "move latest", "destructive": true,
        "confirm": "${RESTORE_VERSION}", "run": "echo dist-tag add pkg@${RESTORE_VERSION} latest" } ] },
    { "id": "verify", "steps": [] }, { "id": "communicate", "steps": [] }
  ]
}
JSON
S=$tmp/s
printf 'set ROLLBACK_VERSION 1.2.3\nset RESTORE_VERSION 1.2.2\nset RESTORE_VERSION v1.2.3\nset RESTORE_VERSION 1.2.3\nnext\nnext\n' |
	"$bin" drill "$tmp/pb.json" --batch --operator olga --session-dir "$S" >"$tmp/a.out" 2>&1
grep '"type":"var.set"' "$S/journal.jsonl" | grep -o '"name":"RESTORE_VERSION"[^}]*' >"$tmp/sets"
grep -q '"value":"1.2.2","warning"' "$tmp/sets" && fail "1.2.2 was warned about"
for v in v1.2.3 1.2.3; do
	grep -qF "\"value\":\"$v\",\"warning\":\"Warning: RESTORE_VERSION $v is the version you roll back from (ROLLBACK_VERSION): restoring it changes nothing" "$tmp/sets" ||
		fail "no journalled warning for $v: $(cat "$tmp/sets")"
done

"$bin" approve "$S" p.sign --role "Release Manager" --as dana --yes >"$tmp/approve.out" 2>&1 ||
	fail "rewind approve failed: $(cat "$tmp/approve.out")"
grep -qF "is the version you roll back from" "$tmp/approve.out" ||
	fail "rewind approve's summary does not warn: $(cat "$tmp/approve.out")"

printf 'next\nconfirm e.tag 1.2.3\nrun e.tag\nnext\nnext\nnext\n' |
	"$bin" drill "$tmp/pb.json" --batch --session-dir "$S" >"$tmp/b.out" 2>&1
"$bin" report "$S" -o "$tmp/report.md" >/dev/null 2>&1
grep -qF "Restored to 1.2.3 (RESTORE_VERSION), the version rolled back from (ROLLBACK_VERSION): the rollback changed nothing" "$tmp/report.md" ||
	fail "the report's Findings do not say it: $(grep -A5 Findings "$tmp/report.md")"
grep -qF "set RESTORE_VERSION = 1.2.3 (Warning: RESTORE_VERSION 1.2.3 is the version you roll back from" "$tmp/report.md" ||
	fail "the report's timeline does not carry the warning"
[ "$failed" = 0 ] && echo "PASS: restore-same-as-from"
exit "$failed"
