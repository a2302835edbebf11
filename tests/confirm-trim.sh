#!/bin/sh
# One rule for a typed confirmation in the console and in batch mode:
# outer blanks (a stray space or tab around it, quoted in batch mode) are
# trimmed before it is compared; inner text must match exactly.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "confirm-trim",
  "title": "A confirmation typed with blanks around it",
  "variables": { "V": { "prompt": "version", "default": "1.2.2" } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [
      { "id": "e.push", "kind": "run", "title": "push", "run": "echo \"pushed $V\"",
        "destructive": true, "confirm": "push ${V}" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
printf 'next\nnext\nnext\nconfirm e.push "  push 1.2.2 \t"\nrun e.push\n' |
	"$bin" run "$tmp/pb.json" --batch --operator sam --session-dir "$tmp/s" \
	>"$tmp/out" 2>"$tmp/err"
grep -q '"type":"step.confirmed"' "$tmp/s/journal.jsonl" ||
	fail "a confirmation with outer blanks was refused in batch mode (the console trims them): $(cat "$tmp/err")"
grep -q '"type":"step.started"' "$tmp/s/journal.jsonl" ||
	fail "the step did not run"
printf 'confirm e.push "push  1.2.2"\n' |
	"$bin" run "$tmp/s" --batch --operator sam >"$tmp/out2" 2>"$tmp/err2"
grep -q 'confirmation of e.push does not match' "$tmp/err2" ||
	fail "an inner blank too many was accepted: $(cat "$tmp/err2")"
exit $failed
