#!/bin/sh
# A message sent through the command channel gets the environment a run
# step gets (one builder, core/cmdenv.c): the playbook's variables,
# REWIND_SESSION_DIR and REWIND_MODE alike, its own REWIND_STEP, and
# REWIND_MESSAGE_ID and REWIND_MESSAGE_FILE besides (message commands had
# no REWIND_MODE once). e.wait holds the batch until the command has run.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
S=$tmp/s
printf '%s\n' 'set VERSION 1.2.3' next next next 'run e.env' 'send e.mail' \
	'run e.wait' next next |
	(cd "$tmp" && "$bin" run "$src/tests/fixtures/message/command-env.json" \
		--batch --operator olga --session-dir "$S" >"$tmp/walk.out" \
		2>"$tmp/walk.err")
[ -s "$S/step.env" ] && [ -s "$S/message.env" ] ||
	{ cat "$tmp/walk.err"; fail "the step or the message command did not run"; exit 1; }
grep -qx 'REWIND_MODE=live' "$S/message.env" ||
	fail "the message command has no REWIND_MODE=live"
grep -qx 'REWIND_STEP=e.mail' "$S/message.env" ||
	fail "the message command's REWIND_STEP is not its step"
grep -qx 'VERSION=1.2.3' "$S/message.env" ||
	fail "the message command has not the variable's value"
grep -q '^REWIND_MESSAGE_ID=rw-' "$S/message.env" ||
	fail "the message command has no REWIND_MESSAGE_ID"
grep -v '^REWIND_STEP=' "$S/step.env" | sort >"$tmp/step.sorted"
grep -v '^REWIND_STEP=\|^REWIND_MESSAGE_ID=\|^REWIND_MESSAGE_FILE=' \
	"$S/message.env" | sort >"$tmp/message.sorted"
diff "$tmp/step.sorted" "$tmp/message.sorted" >"$tmp/env.diff" ||
	fail "a step and a message command see different variables: $(cat "$tmp/env.diff")"
exit $failed
