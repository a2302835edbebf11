#!/bin/sh
# A secret shorter than the safe minimum (a two-letter password "ab") is
# masked only where it stands as a whole word: the journal holds
# "pw=********" and never "pw=ab", and ordinary words holding its
# letters ("about", "lab") stay readable instead of "********out".
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "redact-short",
  "title": "A short secret",
  "variables": {
    "DB_PASSWORD": { "prompt": "Database password", "secret": true }
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.pw", "kind": "input", "title": "Password",
        "variable": "DB_PASSWORD" },
      { "id": "a.say", "kind": "run", "title": "say",
        "run": "echo \"about the lab: pw=$DB_PASSWORD; user:$DB_PASSWORD@db\"",
        "drill": { "output": "ok" } }
    ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
printf 'set DB_PASSWORD ab\nrun a.say\n' | (cd "$tmp" && "$bin" run \
	"$tmp/pb.json" --batch --operator olga --session-dir "$tmp/s") \
	>"$tmp/out" 2>&1
grep -q '"type":"step.finished".*"step":"a.say"' "$tmp/s/journal.jsonl" ||
	fail "the step did not run: $(tail -3 "$tmp/out")"
grep -qF 'about the lab: pw=********; user:********@db' \
	"$tmp/s/journal.jsonl" ||
	fail "the journal does not hold the line readable and masked: $(grep -o 'the lab[^"]*' "$tmp/s/journal.jsonl" | head -1)"
grep -rqF 'about the lab: pw=********; user:********@db' "$tmp/s/output" ||
	fail "the step's output cast does not hold the line readable and masked"
where=$(grep -rlE --exclude=playbook.json '(pw=|user:)ab' "$tmp/s" "$tmp/out" | head -1)
[ -z "$where" ] || fail "the secret reached ${where#"$tmp"/}"
[ "$failed" = 0 ] && echo "PASS: redact-short-secret"
exit "$failed"
