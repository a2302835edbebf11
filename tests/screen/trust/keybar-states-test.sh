#!/bin/sh
# The key bar offers exactly the keys that act on the selected step in the
# session's state (the action table's "applies"): x (n/a) on a failed
# required step, where it marks the step n/a, and on a step marked n/a,
# where it reopens it; on a complete session neither Enter nor m (nor s),
# which are refused there at once.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{"id":"keybar-states","title":"Key bar states","phases":[
{"id":"assess","steps":[
  {"id":"a.fail","kind":"run","title":"Fails","run":"exit 3"},
  {"id":"a.told","kind":"check","title":"Told the team"}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},
{"id":"execute","steps":[]},{"id":"verify","steps":[]},
{"id":"communicate","steps":[]}]}
JSON
SESSION_DIR=$SCREEN_TMP/s
printf 'run a.fail\n' | run_rewind run "$SCREEN_TMP/pb.json" --batch \
	--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"ok":false' "$SESSION_DIR/journal.jsonl" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not fail a.fail"; }
bar() { screen_text | tail -n 1; }

start_app -x 100 -y 24 run "$SESSION_DIR" --operator sam
wait_text 'q quit' 5
keys g
assert_text '\[✗\] Fails'
case $(bar) in *'x n/a'*) ;; *) fail "no x n/a on a failed required step: $(bar)" ;; esac
keys x					# it acts: a required step asks first
wait_text 'Mark required step a\.fail' 5
keys y
wait_text 'Why does this step not apply\?' 5
type_text 'not needed here'
keys Enter
wait_for '[ "$(journal_count step.na a.fail)" = 1 ]' 5
wait_text 'not needed here' 5
case $(bar) in *'x n/a'*) ;; *) fail "no x on a step marked n/a (x reopens it): $(bar)" ;; esac
keys q					# a live console asks first
keys_nowait Enter
wait_exit

# Complete it (batch), then open the complete session: only what acts.
printf 'tick a.told\nnext\nnext\nnext\nnext\nnext\nnext\n' |
	run_rewind run "$SESSION_DIR" --batch --operator sam \
	>"$SCREEN_TMP/done.out" 2>&1
[ "$(journal_count session.completed)" = 1 ] ||
	{ cat "$SCREEN_TMP/done.out"; fail "the batch walk did not complete"; }
start_app -x 100 -y 24 run "$SESSION_DIR" --operator sam
wait_text 'COMPLETE' 5
wait_text 'q quit' 5
for k in 'Enter act' 'm note' 's set' 'x n/a' 'Space tick'; do
	case $(bar) in *"$k"*) fail "$k offered on a complete session: $(bar)" ;; esac
done
keys m					# refused at once, as the bar says
wait_text 'the session is complete and no longer changes' 5
refute_text 'Note for the journal'
keys_nowait q
wait_exit
pass "the key bar offers x where it acts and nothing a complete session refuses"
