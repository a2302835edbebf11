#!/bin/sh
# `rewind check --strict` fails an unsafe draft with an error naming the
# steps, beyond the warning every draft carries: a destructive step that
# can run before any approval on some path (the approval's when leaves
# that path out, whatever sets it), and two alternative rollbacks of one
# target that both run on one path (in two phases, or one with a when and
# one without).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

draft() {	# NAME APPROVE-WHEN EXECUTE-STEPS VERIFY-STEPS
	cat >"$tmp/$1.json" <<JSON
{"id": "$1", "title": "Web rollback", "draft": true,
 "review": [{"line": 1, "text": "Imported: read every step."}],
 "variables": {"ENVIRONMENT": {"prompt": "Environment"},
               "METHOD": {"prompt": "Which way back?"}},
 "phases": [
  {"id": "assess", "title": "Assess", "steps": [
   {"id": "assess.env", "kind": "input", "title": "Environment",
    "variable": "ENVIRONMENT"}]},
  {"id": "decide", "title": "Decide", "steps": [
   {"id": "decide.method", "kind": "decide", "title": "Which way back?",
    "variable": "METHOD", "options": [
     {"id": "revert", "label": "Option A: Revert"},
     {"id": "reset", "label": "Option B: Reset"}]}]},
  {"id": "approve", "title": "Approve", "steps": [
   {"id": "approve.sign-off", "kind": "approve", "title": "Sign-off",
    "roles": [{"role": "Release manager"}]$2}]},
  {"id": "execute", "title": "Execute", "steps": [$3]},
  {"id": "verify", "title": "Verify", "steps": [$4]},
  {"id": "communicate", "title": "Communicate", "steps": []}]}
JSON
	"$bin" check --strict "$tmp/$1.json" >"$tmp/$1.out" 2>&1 &&
		fail "$1: check --strict passed"
	"$bin" check "$tmp/$1.json" >"$tmp/$1.plain" 2>&1
}
revert='{"id": "execute.revert", "kind": "run", "title": "Revert",
  "run": "git revert --no-edit HEAD && git push origin main",
  "destructive": true, "confirm": "git revert HEAD", "drill": {"output": "ok"}'
reset='{"id": "STEP.reset", "kind": "run", "title": "Reset",
  "run": "git reset --hard v1.2.2 && git push --force origin main",
  "destructive": true, "confirm": "v1.2.2", "drill": {"output": "ok"}'

# The approval holds only in production; the reset runs anywhere.
draft unapproved ', "when": {"ENVIRONMENT": "production"}' \
	"$(echo "$reset" | sed s/STEP/execute/), \"when\": {\"METHOD\": \"reset\"}}" ''
grep -q 'destructive step "execute.reset" can run before any approval on the path .*METHOD=reset.* (approve steps: "approve.sign-off")' \
	"$tmp/unapproved.plain" ||
	fail "unapproved: no warning naming the step: $(cat "$tmp/unapproved.plain")"

# Option B's reset has its when; option A's revert lost it.
draft onewhen '' "$revert}, $(echo "$reset" | sed s/STEP/execute/), \"when\": {\"METHOD\": \"reset\"}}" ''
grep -q 'steps "execute.revert" (revert) and "execute.reset" (reset) both roll back the git repository and both run on the path .*METHOD=reset' \
	"$tmp/onewhen.plain" ||
	fail "onewhen: no warning naming both steps: $(cat "$tmp/onewhen.plain")"

# The reset landed in verify, the revert in execute, neither with a when.
draft twophases '' "$revert}" "$(echo "$reset" | sed s/STEP/verify/)}"
grep -q 'steps "execute.revert" (revert) and "verify.reset" (reset) both roll back the git repository' \
	"$tmp/twophases.plain" ||
	fail "twophases: no warning naming both steps: $(cat "$tmp/twophases.plain")"

# Each on its own option: safe, only the draft's own warning.
draft safe '' "$revert, \"when\": {\"METHOD\": \"revert\"}}, $(echo "$reset" | sed s/STEP/execute/), \"when\": {\"METHOD\": \"reset\"}}" ''
grep 'warning:' "$tmp/safe.plain" | grep -v ': draft: warning:' | grep . &&
	fail "safe: a warning beyond the draft's"
[ $failed = 0 ] && echo "import strict: unsafe drafts fail, naming the steps"
exit $failed
