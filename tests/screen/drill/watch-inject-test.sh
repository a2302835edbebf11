#!/bin/sh
# The game master's watch console names where an injection came from: one
# the scenario fired on its own after a step says so ("fired by the
# scenario after assess.current"), never "(from another terminal)", which
# it said as if someone had fired it by hand.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/drill
ALERT='GM: support reports every API call failing since v1.1.0 went out'
printf 'quit\n' | run_rewind drill "$REWIND_SRCDIR/playbooks/web-service-rollback.json" \
	--batch --scenario p0-outage --session-dir "$SESSION_DIR" --operator sam \
	--no-real-in-clone >"$SCREEN_TMP/start.out" 2>&1

start_app -x 140 -y 30 watch "$SESSION_DIR"
wait_text 'q quit' 5
# The trainee runs assess.current; errors-climb fires after it. The
# trainee's input stays open until the watcher has shown it.
mkfifo "$SCREEN_TMP/in"
run_rewind drill "$SESSION_DIR" --batch --operator sam <"$SCREEN_TMP/in" \
	>"$SCREEN_TMP/run.out" 2>&1 &
trainee=$!
exec 3>"$SCREEN_TMP/in"
printf 'run assess.current\n' >&3
wait_text 'fired by the scenario after assess.current' 5
refute_text 'from another terminal\)$' "the automatic injection is said to come from another terminal"
[ "$(journal_count drill.inject)" -eq 1 ] || fail "errors-climb did not fire once"
printf 'quit\n' >&3
exec 3>&-
wait "$trainee"
pass "the watch console says the scenario fired the injection after its step"
