#!/bin/sh
# rewind run PLAYBOOK while a live session of the same playbook started in
# the same directory is still open (not complete) does not start a second
# one silently: batch mode refuses, naming the open session and how to
# resume it, and writes nothing; --new starts a new one anyway; a session
# of the playbook started elsewhere, or completed, does not count.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

pb=$src/tests/fixtures/playbooks/trust.json
root=$XDG_STATE_HOME/rewind/sessions
mkdir -p "$tmp/repo" "$tmp/other"
count() { ls "$root" 2>/dev/null | grep -c '^trust-'; }

(cd "$tmp/repo" && printf 'quit\n' | "$bin" run "$pb" --batch --operator olga \
	>"$tmp/first.out" 2>&1)
[ "$(count)" = 1 ] || { cat "$tmp/first.out"; fail "no first session"; exit 1; }
name=$(ls "$root" | grep '^trust-')

(cd "$tmp/repo" && printf 'quit\n' | "$bin" run "$pb" --batch --operator olga \
	>"$tmp/second.out" 2>"$tmp/second.err")
rc=$?
[ "$rc" = 2 ] || fail "a second run beside the open one: exit $rc, not 2"
[ "$(count)" = 1 ] || fail "a second session was started silently beside $name"
grep -qF "a live session of this playbook started here is still open: $name (phase assess, quit); resume it with: rewind run $root/$name" "$tmp/second.err" ||
	fail "the refusal does not name the open session and how to resume it: $(cat "$tmp/second.err")"
grep -qF -- '--new' "$tmp/second.err" || fail "the refusal does not name --new"

(cd "$tmp/other" && printf 'quit\n' | "$bin" run "$pb" --batch --operator olga \
	>"$tmp/other.out" 2>&1)
[ "$(count)" = 2 ] || fail "a session of the playbook started elsewhere blocked a new one here: $(cat "$tmp/other.out")"

(cd "$tmp/repo" && printf 'quit\n' | "$bin" run "$pb" --batch --operator olga --new \
	>"$tmp/new.out" 2>&1)
[ "$(count)" = 3 ] || fail "--new did not start a new session: $(cat "$tmp/new.out")"
exit $failed
