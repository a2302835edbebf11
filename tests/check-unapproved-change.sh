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
# a hand-written playbook is held to the rule like a draft: the backup
# written before the first approval is a change nobody approved, named
# with the approval it precedes
grep -qF 'phases[0].steps[0]: warning: step "backup" runs `kubectl -n web get deploy web -o yaml > web.yaml` before the approval "lead", the playbook'"'"'s first approve step' "$tmp/out" ||
	fail "the backup before the first approval is not flagged: $(cat "$tmp/out")"
grep -qF 'fix: move it after the approve step' "$tmp/out" ||
	fail "moving it behind the approval is not said: $(cat "$tmp/out")"
# the gated restart is approved
if grep -qF '"undo"' "$tmp/out"; then fail "the approved rollback is flagged"; fi
"$bin" check "$pb" >"$tmp/out2" 2>&1 || fail "without --strict it is not only a warning"

sed 's/"title": "Post the rollback",/&\n      "destructive": true, "confirm": "hook",/' "$pb" >"$tmp/marked.json"
"$bin" check --strict "$tmp/marked.json" >"$tmp/out3" 2>&1
grep -qF 'step "announce"' "$tmp/out3" &&
	fail "a step marked destructive is still flagged: $(cat "$tmp/out3")"
grep -qF 'step "reindex"' "$tmp/out3" ||
	fail "the other unapproved change is no longer flagged: $(cat "$tmp/out3")"

# a hand-written playbook with no approve step at all: every change in it
# is refused, before the execute phase and in it
"$bin" check --strict "$src/tests/fixtures/playbooks/lint/no-approval.json" >"$tmp/none" 2>&1 &&
	fail "check --strict accepts a playbook with changes and no approval"
grep -qF 'step "snapshot" runs `kubectl -n web get pods > pods-before.txt` and the playbook has no approve step at all' "$tmp/none" ||
	fail "the change in assess is not named: $(cat "$tmp/none")"
grep -qF 'step "restart" runs `./bin/restart-workers --all` and the playbook has no approve step at all' "$tmp/none" ||
	fail "the change in execute is not named: $(cat "$tmp/none")"
grep -qF 'step "pods"' "$tmp/none" && fail "a read-only step is flagged: $(cat "$tmp/none")"
grep -qF 'fix: add an approve step before it' "$tmp/none" ||
	fail "adding an approval is not said: $(cat "$tmp/none")"
exit $failed
