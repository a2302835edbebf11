#!/bin/sh
# Credentials nobody declared never reach the journal, the casts or the
# report when their shape gives them away: a command that prints (and a
# step that runs) a JWT in a Bearer header, a "?token=" value, an AWS
# secret key holding "/", an sk_live_ key, a password in a URL
# ("postgres://user:PW@host") and an Authorization header value with no
# scheme word are recorded masked (the casts' header "command" too).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

cat >"$tmp/pb.json" <<'JSON'
{
  "id": "redact-shapes",
  "title": "Credentials by their shape",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.leak", "kind": "run", "title": "leak",
        "run": "echo 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib3QifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk'; echo 'https://hooks.test/deploy?token=8f14e45fceea167a5a36dedd4bea2543&env=prod'; echo AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY; echo 'key sk_live_51HxQ2eZvKYlo2C8n3RbT9qWm'; echo 'export DATABASE_URL=postgres://orders_rw:Sup3rS3cretPw@db.test:5432/orders'; echo 'Authorization: api-1a2b3c4d-5e6f-7a8b-9c0d-e1f2a3b4c5d6'",
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
# The session stays open after the step: only what was recorded counts.
printf 'run a.leak\n' | (cd "$tmp" && "$bin" run "$tmp/pb.json" --batch \
	--operator olga --session-dir "$tmp/s") >"$tmp/out" 2>&1
grep -q '"type":"step.finished".*"step":"a.leak"' "$tmp/s/journal.jsonl" ||
	fail "the step did not run: $(tail -3 "$tmp/out")"
grep -q 'Bearer \*\*\*\*\*\*\*\*' "$tmp/s/journal.jsonl" ||
	fail "the journal does not hold the masked output"
"$bin" report "$tmp/s" >"$tmp/report" 2>&1 || fail "rewind report failed"
# The session's copy of the playbook is the author's file as given (its
# hash is checked), and batch mode's listing shows the step as the author
# wrote it; everything recorded from the run is searched.
for secret in eyJhbGciOiJIUzI1NiJ9 dBjftJeZ4CVPmB92 8f14e45fceea167a wJalrXUtnFEMI \
	bPxRfiCYEXAMPLEKEY sk_live_51HxQ2e Sup3rS3cretPw 1a2b3c4d-5e6f; do
	where=$(grep -rlF --exclude=playbook.json "$secret" "$tmp/s" "$tmp/report" | head -1)
	[ -z "$where" ] || fail "$secret reached ${where#"$tmp"/}"
done
grep -q 'orders_rw:\*\*\*\*\*\*\*\*@' "$tmp/s/journal.jsonl" ||
	fail "the journal does not hold the masked DSN"
grep -rqF 'orders_rw:********@' "$tmp/s/output" ||
	fail "the step's output cast does not hold the masked DSN"
grep -rqF 'Bearer ********' "$tmp/s/output" ||
	fail "the step's output cast does not hold the masked line"
[ "$failed" = 0 ] && echo "PASS: redact-shapes"
exit "$failed"
