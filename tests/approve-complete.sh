#!/bin/sh
# A completed session's journal no longer changes (issue 13, a commander's
# try): rewind approve on it with a name that is no name (empty, a
# placeholder, a look-alike of the operator's) writes no refusal after
# session.completed, and says the session is complete.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
cat >"$tmp/pb.json" <<'JSON'
{
  "id": "approve-complete",
  "title": "Signed and done",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "sign", "gates": [ "e.do" ],
        "roles": [ { "role": "Lead", "count": 1 } ] } ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
S=$tmp/s
printf 'tick a.look\nnext\nnext\nquit\n' | "$bin" drill "$tmp/pb.json" --batch \
	--operator ic --session-dir "$S" >/dev/null 2>&1
"$bin" approve "$S" p.sign --role Lead --as dana --yes >/dev/null 2>&1 ||
	fail "dana could not sign"
printf 'next\ntick e.do\nnext\nnext\nnext\nquit\n' | "$bin" drill "$S" --batch >/dev/null 2>&1
grep -q '"type":"session.completed"' "$S/journal.jsonl" || { fail "the session did not complete"; exit 1; }
n=$(wc -l <"$S/journal.jsonl")
for who in '' '<name>' 'ιϲ' 'i c'; do
	"$bin" approve "$S" p.sign --role Lead --as "$who" --yes >"$tmp/out" 2>&1 &&
		fail "approve --as '$who' on a completed session succeeded"
done
grep -q "the session is complete" "$tmp/out" ||
	fail "approve on a completed session does not say it is complete: $(cat "$tmp/out")"
[ "$(wc -l <"$S/journal.jsonl")" = "$n" ] ||
	fail "a completed session's journal changed: $(tail -n 2 "$S/journal.jsonl")"
"$bin" verify "$S" >/dev/null 2>&1 || fail "the journal no longer verifies"
exit $failed
