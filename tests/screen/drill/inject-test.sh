#!/bin/sh
# The game master's live controls: while a trainee drills
# web-service-rollback's p0-outage scenario in the console, the game master
# fires its injection lead-asks (scripted for minute 5) from a second
# terminal with `rewind drill --inject SESSION ID`. The trainee's console
# shows it as a scripted injection: the alert in the status line and the
# Output tab (with its time), journalled once as drill.inject by the game master. Firing it
# again, or an id the scenario does not have, is refused with the reason.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

COLS=120
ROWS=30
STATUS_ROW=$((ROWS - 1))
ALERT='GM: the engineering lead asks when the rollback will be done'
SESSION_DIR=$SCREEN_TMP/drill

start_app -x "$COLS" -y "$ROWS" drill \
	"$REWIND_SRCDIR/playbooks/web-service-rollback.json" --scenario p0-outage \
	--session-dir "$SESSION_DIR" --operator sam --no-real-in-clone
wait_text 'q quit' 5
refute_fixed "$ALERT" "the injection showed before the game master fired it"

# The game master's terminal.
run_rewind drill --inject "$SESSION_DIR" lead-asks >"$SCREEN_TMP/gm.out" 2>&1 ||
	{ cat "$SCREEN_TMP/gm.out"; fail "rewind drill --inject failed"; }
grep -qxF "rewind: injection lead-asks fired in $SESSION_DIR" "$SCREEN_TMP/gm.out" ||
	{ cat "$SCREEN_TMP/gm.out"; fail "the game master is not told it fired"; }

# The trainee's console picks it up as it does a scripted one.
wait_text "$ALERT" 5
[ "$(row "$STATUS_ROW")" = " $ALERT" ] ||
	fail "status line is \"$(row "$STATUS_ROW")\", not the alert"
# The Output tab's alert line says when it came (it had no time).
assert_text "│ [0-9]{2}:[0-9]{2}:[0-9]{2} GM: the engineering lead asks" \
	"the Output tab's alert line has no time"
[ "$(journal_count drill.inject)" -eq 1 ] || fail "not journalled once"
grep '"type":"drill.inject"' "$SESSION_DIR/journal.jsonl" |
	grep -q '"actor":"game master".*"fired_by":"game master"' ||
	fail "the injection is not journalled as the game master's"

# Twice, or an id the scenario lacks: refused, saying why.
run_rewind drill --inject "$SESSION_DIR" lead-asks >"$SCREEN_TMP/again.out" 2>&1 &&
	fail "a second firing was accepted"
grep -q 'inject lead-asks: it has fired already' "$SCREEN_TMP/again.out" ||
	{ cat "$SCREEN_TMP/again.out"; fail "no reason for refusing the second firing"; }
run_rewind drill --inject "$SESSION_DIR" no-such >"$SCREEN_TMP/nope.out" 2>&1 &&
	fail "an unknown injection was accepted"
grep -q 'it has: errors-climb, lead-asks' "$SCREEN_TMP/nope.out" ||
	{ cat "$SCREEN_TMP/nope.out"; fail "the refusal does not list the scenario's injections"; }
grep -q '^rewind: ' "$SCREEN_TMP/nope.out" ||
	{ cat "$SCREEN_TMP/nope.out"; fail "the refusal lacks the rewind: prefix"; }
[ "$(journal_count drill.inject)" -eq 1 ] || fail "a refused firing was journalled"
# A session that does not exist is said to be one, not a missing file.
run_rewind drill --inject "$SCREEN_TMP/no-such-session" lead-asks \
	>"$SCREEN_TMP/gone.out" 2>&1 && fail "a missing session was accepted"
grep -qxF "rewind: drill --inject: no session $SCREEN_TMP/no-such-session (the session directory does not exist)" \
	"$SCREEN_TMP/gone.out" ||
	{ cat "$SCREEN_TMP/gone.out"; fail "the missing session is not said in words"; }
pass
