#!/bin/sh
# `rewind check --strict` refuses a playbook (hand-written here) where a
# command not known to only read runs with no approval before it on its
# path and is not marked destructive: the finding names the step, the
# command and the fix. Without --strict it is a warning; marking the step
# destructive with a confirmation settles it.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/tests/fixtures/playbooks/lint/unapproved-change.json
"$bin" check --strict "$pb" >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || fail "check --strict exits $rc, want 1"
grep -qF 'phases[3].steps[1]: warning: step "announce" runs `curl -s -X POST -d @msg.json https://chat.test/hook` with no approval before it on the path RESPONSE=hold' "$tmp/out" ||
	fail "the step, its command and the path are not named: $(cat "$tmp/out")"
grep -qF 'fix: put an approve step before it on that path, or mark it "destructive": true' "$tmp/out" ||
	fail "what to do is not said: $(cat "$tmp/out")"
# the backup before the gate of a hand-written playbook is its author's
# choice; the gated restart is approved
if grep -qF '"backup"' "$tmp/out"; then fail "the author's backup is flagged"; fi
"$bin" check "$pb" >"$tmp/out2" 2>&1 || fail "without --strict it is not only a warning"

sed 's/"title": "Post the rollback",/&\n      "destructive": true, "confirm": "hook",/' "$pb" >"$tmp/marked.json"
"$bin" check --strict "$tmp/marked.json" >"$tmp/out3" 2>&1
grep -qF 'step "announce"' "$tmp/out3" &&
	fail "a step marked destructive is still flagged: $(cat "$tmp/out3")"
grep -qF 'step "reindex"' "$tmp/out3" ||
	fail "the other unapproved change is no longer flagged: $(cat "$tmp/out3")"
exit $failed
