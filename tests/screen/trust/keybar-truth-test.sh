#!/bin/sh
# Every hint in the key bar is for an action that does something on the
# selected step now (the action table's "applies when", by the session's
# transition table): "Space tick" only on an open check step, "a approve"
# only on an approval step the session has reached. The key bar is read
# with a run step, a check step and an approval step selected, and after
# the check step is ticked (Space then asks to untick it, so it stays).
# "> next" shows only while next would move on (no required step of the
# phase open), and "a approve" leaves a fully signed approval. A y/N
# question's key bar offers y and n (one key), not Enter.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/keybar.json
cat >"$PB" <<'EOF2'
{
  "id": "keybar",
  "title": "Key bar",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.look", "kind": "run", "title": "Look at the channel",
        "run": "echo looked", "drill": { "output": "looked" } },
      { "id": "a.told", "kind": "check", "title": "The team is told" },
      { "id": "a.sign", "kind": "approve", "title": "Lead signs",
        "roles": [ { "role": "Lead", "count": 1 } ] } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF2
keybar() { screen_text | tail -n 1; }

start_app -x 100 -y 24 drill "$PB" --session-dir "$SCREEN_TMP/s" --operator olga
wait_text 'q quit' 5
keys g					# the run step
assert_text 'a\.look +run'
bar=$(keybar)
case $bar in *'Space tick'*) fail "Space tick offered on a run step: $bar" ;; esac
case $bar in *'a approve'*) fail "a approve offered on a run step: $bar" ;; esac
case $bar in *'Enter act'*'q quit'*) ;; *) fail "no Enter act / q quit on a run step: $bar" ;; esac
case $bar in *'> next'*) fail "> next offered with required steps open: $bar" ;; esac

keys j					# the check step
assert_text 'a\.told +check'
bar=$(keybar)
case $bar in *'Space tick'*) ;; *) fail "no Space tick on an open check step: $bar" ;; esac
case $bar in *'a approve'*) fail "a approve offered on a check step: $bar" ;; esac

keys j					# the approval step
assert_text 'a\.sign +approve'
bar=$(keybar)
case $bar in *'a approve'*) ;; *) fail "no a approve on an approval step: $bar" ;; esac
case $bar in *'Space tick'*) fail "Space tick offered on an approval step: $bar" ;; esac

keys k Space				# tick the check step: Space now unticks
wait_text '\[✓\] The team is told' 5
bar=$(keybar)
case $bar in *'Space tick'*) ;; *) fail "no Space on a ticked check step (it unticks): $bar" ;; esac

keys Space				# untick? a y/N question takes one key
wait_text 'Untick a\.told' 5
bar=$(screen_text | tail -n 1)
case $bar in *'y yes'*'n no'*'Esc cancel'*) ;; *) fail "the y/N question's key bar does not offer y and n: $bar" ;; esac
case $bar in *'Enter'*) fail "the y/N question's key bar offers Enter: $bar" ;; esac
keys n					# no: it stays ticked
wait_text '\[✓\] The team is told' 5

keys Tab				# the side pane: no step keys at all
bar=$(screen_text | tail -n 1)
case $bar in *'Space tick'*|*'a approve'*) fail "step keys offered in the side pane: $bar" ;; esac
keys_nowait q
wait_exit

# Every step done, the approval fully signed (by bob, in batch): no
# "a approve" on it, and "> next" now moves on.
printf '%s\n' 'run a.look' 'tick a.told' 'approve a.sign Lead bob' \
	>"$SCREEN_TMP/done.walk"
run_rewind run "$PB" --batch --operator olga --session-dir "$SCREEN_TMP/d" \
	<"$SCREEN_TMP/done.walk" >"$SCREEN_TMP/done.out" 2>&1
grep -q '"approval.granted"' "$SCREEN_TMP/d/journal.jsonl" ||
	{ cat "$SCREEN_TMP/done.out"; fail "the batch walk did not approve"; }
start_app -x 100 -y 24 run "$SCREEN_TMP/d" --operator olga
wait_text 'q quit' 5
keys G					# the signed approval
assert_text 'a\.sign +approve'
assert_text '\[✓\] Lead signs'
bar=$(keybar)
case $bar in *'a approve'*) fail "a approve offered on a fully signed approval: $bar" ;; esac
case $bar in *'> next'*) ;; *) fail "no > next with every required step done: $bar" ;; esac
keys q					# a live console asks first
keys_nowait Enter
wait_exit
pass "the key bar offers Space tick, a approve and > next only where they act"
