#!/bin/sh
# A session resumed from another directory runs its commands, and reads
# its relative targets (the git repository "."), where it started: the
# journal's session.started records that directory, the resume goes there
# (session.resumed names it and where it was resumed from), and the tags
# answer is the repository's, not "not a git repository". When that
# directory is gone, the resume says so (workdir_missing) and goes on
# where it is.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
mkdir -p "$tmp/repo" "$tmp/elsewhere"
cd "$tmp/repo" || exit 99
git init -q . && git -c user.email=t@example.test -c user.name=t commit -q --allow-empty -m one &&
	git tag v1.0.0 || exit 99
cat >pb.json <<'JSON'
{"id":"wd","title":"Workdir","targets":{"git":{"path":"."}},"phases":[
{"id":"assess","steps":[{"id":"a.where","kind":"run","title":"where","run":"pwd"},
 {"id":"a.again","kind":"run","title":"again","run":"pwd; git describe --tags"}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
printf 'run a.where\nquit\n' | "$bin" run pb.json --batch --operator ic \
	--session-dir incidents/s >"$tmp/first.out" 2>&1
repo=$(pwd -P)
grep '"type":"session.started"' incidents/s/journal.jsonl | grep -qF "\"workdir\":\"$repo\"" ||
	fail "session.started does not record the directory it started in"

cd "$tmp/elsewhere" || exit 99
printf 'run a.again\nquit\n' | "$bin" run ../repo/incidents/s --batch >"$tmp/again.out" 2>&1
j=$tmp/repo/incidents/s/journal.jsonl
grep '"type":"session.resumed"' "$j" | tail -1 |
	grep -qF "\"workdir\":\"$repo\",\"resumed_from\":\"$(pwd -P)\"" ||
	fail "session.resumed does not say it went back to $repo: $(grep '"type":"session.resumed"' "$j" | tail -1)"
grep '"type":"step.finished"' "$j" | grep '"step":"a.again"' |
	grep -qF "\"tail\":\"$repo\\nv1.0.0\"" ||
	fail "a.again did not run in the session's directory: $(grep '"step":"a.again"' "$j" | tail -1)"
grep '"type":"tags.answer"' "$j" | tail -1 | grep -q '"n_tags":1' ||
	fail "the git target . was not read from the session's directory: $(grep '"type":"tags' "$j" | tail -1)"
[ -e "$tmp/elsewhere/output" ] && fail "output was written where the resume was typed"

# Its start directory gone: said, and the resume goes on here.
mv "$tmp/repo" "$tmp/moved"
printf 'quit\n' | "$bin" run ../moved/incidents/s --batch >"$tmp/gone.out" 2>&1
grep '"type":"session.resumed"' "$tmp/moved/incidents/s/journal.jsonl" | tail -1 |
	grep -qF "\"workdir_missing\":\"$repo\"" ||
	fail "a resume whose start directory is gone does not say so"
[ "$failed" = 0 ] && echo "PASS: resume-workdir"
exit "$failed"
