#!/bin/sh
# A destructive step whose confirmation names a variable that is empty
# (`"confirm": "${REVISION}"`, REVISION set to "") cannot be confirmed:
# the typed confirmation would name nothing (an empty revision makes helm
# roll back to whatever came before). `confirm` is refused saying why,
# the step does not run, and nothing is confirmed.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "confirm-empty",
  "title": "A confirmation naming a variable",
  "variables": { "REVISION": { "prompt": "revision to roll back to" } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [
      { "id": "e.rollback", "kind": "run", "title": "Roll back",
        "run": "echo rolled back to \"$REVISION\"", "destructive": true,
        "confirm": "${REVISION}" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
printf 'set REVISION ""\nnext\nnext\nnext\nconfirm e.rollback ""\nrun e.rollback\n' |
	"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$tmp/s" \
	>"$tmp/out" 2>"$tmp/err"
grep -q 'confirm e.rollback: its confirmation "${REVISION}" comes out empty' "$tmp/err" ||
	fail "an empty confirmation was not refused: $(cat "$tmp/err")"
grep -q '"type":"step.confirmed"' "$tmp/s/journal.jsonl" &&
	fail "an empty confirmation was journalled as confirmed"
grep -q '"type":"step.started"' "$tmp/s/journal.jsonl" &&
	fail "the step ran with an empty confirmation"
exit $failed
