#!/bin/sh
# While the selected step's command runs, the key bar offers c (cancel),
# the one key that acts on it, and not Enter (refused: one command at a
# time); once it has ended, Enter is back and c is gone.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$SCREEN_TMP/running.json
cat >"$PB" <<'EOF2'
{
  "id": "keybar-running",
  "title": "Key bar while a command runs",
  "variables": { "REL": { "prompt": "file that ends the wait" } },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.wait", "kind": "run", "title": "Wait for the file",
        "run": "while [ ! -e \"$REL\" ]; do sleep 0.05; done; echo seen" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF2
bar() { screen_text | tail -n 1; }

SESSION_DIR=$SCREEN_TMP/s
start_app -x 100 -y 24 run "$PB" --session-dir "$SESSION_DIR" --operator olga \
	--var "REL=$SCREEN_TMP/release"
wait_text 'q quit' 5
keys g
assert_text 'a\.wait +run'
case $(bar) in *'Enter act'*) ;; *) fail "no Enter act on an open run step: $(bar)" ;; esac
case $(bar) in *'c cancel'*) fail "c cancel offered with nothing running: $(bar)" ;; esac
keys Enter
wait_for "test \"\$(journal_count step.started a.wait)\" = 1" 10
wait_text 'c cancel' 5
case $(bar) in *'Enter act'*) fail "Enter act offered while the command runs: $(bar)" ;; esac
touch "$SCREEN_TMP/release"
wait_text 'a\.wait done' 10
wait_gone 'c cancel' 5
case $(bar) in *'Enter act'*) ;; *) fail "no Enter act once the command ended: $(bar)" ;; esac
keys_nowait q
pass "the key bar offers c, not Enter, while the selected step's command runs"
