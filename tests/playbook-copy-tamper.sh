#!/bin/sh
# The session's playbook copy is checked against the playbook_sha256 that
# session.started journalled: after its run command is edited, `rewind
# verify` fails naming playbook.json and both hashes, and resuming the
# drill refuses to run the edited command; replay and report, which draw
# steps and commands from the copy, say it changed and never read as
# proof.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

fail() { echo "FAIL: $*"; exit 1; }

grep -v '^#' "$src/playbooks/example.walk" | head -n 3 |
	"$bin" drill "$src/playbooks/example.json" --batch --operator sam \
		--session-dir "$tmp/s" >"$tmp/out" 2>"$tmp/err"
"$bin" verify "$tmp/s" >/dev/null 2>&1 || fail "verify failed on an untouched session"
want=$(sha256sum <"$tmp/s/playbook.json" | cut -c1-64)
sed -i 's/git status --short/touch "$HOME\/pwned"; git status --short/' "$tmp/s/playbook.json"
got=$(sha256sum <"$tmp/s/playbook.json" | cut -c1-64)
[ "$want" != "$got" ] || fail "the edit did not change the copy"

"$bin" verify "$tmp/s" >"$tmp/verify" 2>&1 && fail "verify accepted an edited playbook copy"
grep -q 'playbook.json' "$tmp/verify" || fail "verify does not name playbook.json: $(cat "$tmp/verify")"
grep -q "$want" "$tmp/verify" && grep -q "$got" "$tmp/verify" ||
	fail "verify does not give both hashes: $(cat "$tmp/verify")"

echo "run assess.status" |
	"$bin" drill --batch --operator sam --session-dir "$tmp/s" >"$tmp/out2" 2>"$tmp/err2" &&
	fail "resume accepted an edited playbook copy"
grep -q "$want" "$tmp/err2" || fail "resume error does not name the hashes: $(cat "$tmp/err2")"
[ -e "$HOME/pwned" ] && fail "the edited command ran"
# An edit that keeps the copy valid JSON: a role renamed.
cp "$src/playbooks/example.json" "$tmp/s/playbook.json"
"$bin" verify "$tmp/s" >/dev/null 2>&1 || fail "the copy put back does not verify"
sed -i 's/Engineering Lead/Intern/' "$tmp/s/playbook.json"
"$bin" replay --print "$tmp/s" >"$tmp/print" 2>&1 && fail "replay --print exited 0"
grep -q '^# PLAYBOOK COPY CHANGED: .*playbook.json' "$tmp/print" ||
	fail "replay --print does not say the copy changed: $(head -3 "$tmp/print")"
"$bin" report "$tmp/s" --format json >"$tmp/rep.json" 2>"$tmp/rep.err"
[ $? = 1 ] || fail "report of a changed copy did not exit 1: $(cat "$tmp/rep.err")"
python3 -c 'import json,sys; i=json.load(open(sys.argv[1]))["integrity"]; assert i["intact"] is False and i["playbook_changed"] is True, i' \
	"$tmp/rep.json" || fail "the report reads the changed copy as intact"
"$bin" report "$tmp/s" | grep -q 'JOURNAL INTEGRITY BROKEN' ||
	fail "the report's banner does not warn"
echo "playbook copy: an edited copy is refused by verify and resume"
