#!/bin/sh
# The game master's watch of a drill lists, in the Targets tab, the
# scenario (its id: the game master keeps it), the decision it expects and
# the injections still to fire with when each fires on its own; one that
# fires leaves the list; it shows the scenario's state now (the health
# endpoint's answers, the backend log). The trainee's own console shows
# none of it while the drill is open: the state is what the probes find.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/drill
PB=$REWIND_SRCDIR/playbooks/web-service-rollback.json
printf 'quit\n' | run_rewind drill "$PB" --batch --scenario p0-outage \
	--session-dir "$SESSION_DIR" --operator sam --no-real-in-clone \
	>"$SCREEN_TMP/start.out" 2>&1

start_app -x 160 -y 40 watch "$SESSION_DIR"
wait_text 'q quit' 5
tab Targets
wait_text 'Game master: scenario p0-outage' 5
assert_fixed 'Expected decision: decide.response = rollback'
assert_fixed 'Injections still to fire:'
assert_fixed 'errors-climb: after assess.current; alert: GM: support reports'
assert_fixed 'lead-asks: at +5m00s of the drill; alert: GM: the engineering lead'
assert_fixed 'Scenario state now:'
assert_fixed 'tags (3): v1.1.0, v1.0.0, v0.9.0'

# The trainee runs assess.current: errors-climb fires and leaves the list.
mkfifo "$SCREEN_TMP/in"
run_rewind drill "$SESSION_DIR" --batch --operator sam <"$SCREEN_TMP/in" \
	>"$SCREEN_TMP/run.out" 2>&1 &
trainee=$!
exec 3>"$SCREEN_TMP/in"
printf 'run assess.current\n' >&3
wait_gone 'errors-climb: after' 5
assert_fixed 'lead-asks: at +5m00s'
printf 'quit\n' >&3
exec 3>&-
wait "$trainee"

# The trainee's console: no game master's section.
fresh_server
start_app -x 160 -y 40 drill "$SESSION_DIR" --operator sam --no-real-in-clone
wait_text 'q quit' 5
tab Targets
wait_text "The scenario's state is the game master's until the drill ends" 5
refute_fixed 'Scenario state now:' "the trainee's console shows the scenario's state"
refute_fixed 'tags (3):' "the trainee's console shows the scenario's state"
refute_fixed 'Game master' "the trainee's console shows the game master's section"
refute_fixed 'Expected decision' "the trainee's console shows the expected decision"
pass "the game master's watch lists the expected decision and the injections still to fire"
