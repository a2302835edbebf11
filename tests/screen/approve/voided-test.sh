#!/bin/sh
# A sign-off voided in the console, as the operator meets it: changing a
# value the approval covers says so in the status line (who, which role,
# why, and that a new sign-off is needed) instead of a plain "set ...:
# done"; Enter on the destructive step then is refused at once, with the
# reason, and no confirmation dialog opens; when the approver signs again
# from another terminal the "again:" row goes and the selection stays on
# the step the operator had chosen (it does not slide onto another one);
# a sign-off given again right after a void replaces the stale "ask for a
# new sign-off" in the status line; meanwhile the phase rail shows
# approve reopened (↺), done again once signed.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "voided-test",
  "title": "Voided sign-off",
  "variables": { "V": { "prompt": "version to restore", "default": "1.2.2" } },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "Release manager signs", "gates": ["execute"],
        "roles": [ { "role": "Release Manager", "count": 1 } ] } ] },
    { "id": "execute", "steps": [
      { "id": "e.look", "kind": "check", "title": "Looked at the registry" },
      { "id": "e.push", "kind": "run", "title": "Move latest back", "run": "echo \"moved to $V\"",
        "destructive": true, "confirm": "move ${V}", "drill": { "output": "moved" } },
      { "id": "e.after", "kind": "check", "title": "Checked the channel" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/session
printf 'next\nnext\nquit\n' | run_rewind run "$SCREEN_TMP/pb.json" --batch \
	--session-dir "$SESSION_DIR" --operator sam >"$SCREEN_TMP/prefix.out" 2>&1
run_rewind approve --yes "$SESSION_DIR" p.sign --role 'Release Manager' --as bob \
	>"$SCREEN_TMP/approve.out" 2>&1 || fail "bob's approval failed: $(cat "$SCREEN_TMP/approve.out")"
printf 'next\nquit\n' | run_rewind run "$SESSION_DIR" --batch >"$SCREEN_TMP/next.out" 2>&1

start_app -x 100 -y 30 run "$SESSION_DIR"
wait_text 'Move latest back'

# --- s V: the sign-off is voided, and the status line says so -----------------------
keys s
wait_text 'Set a variable' 5
keys Enter
wait_text 'version to restore' 5
keys C-u
type_text 1.2.1
keys Enter
wait_text 'ask for a new sign-off: the approval by bob as Release Manager was voided' 5
assert_fixed 'again: Release manager signs'
# the phase rail shows approve reopened, not done
assert_fixed '↺ approve' "the phase rail does not show approve reopened after the void"
refute_text '✓ approve' "the phase rail keeps approve done after the void"

# --- Enter on the destructive step: refused at once, no dialog ----------------------
i=0
until screen_text | grep -q 'e\.push  run'; do
	[ "$i" -lt 6 ] || fail "could not select e.push"
	keys j
	i=$((i + 1))
done
keys Enter
wait_text 'it needs the sign-off of p\.sign first' 5
refute_text 'Type .*move 1\.2\.1' "the confirmation dialog opened for a step that cannot run"
[ "$(journal_count step.confirmed)" = 0 ] || fail "a confirmation was journalled"

# --- bob signs again: the row goes, the selection stays on e.push ----------------------
run_rewind approve --yes "$SESSION_DIR" p.sign --role 'Release Manager' --as bob \
	>"$SCREEN_TMP/approve2.out" 2>&1 || fail "bob's second approval failed: $(cat "$SCREEN_TMP/approve2.out")"
wait_gone 'again: Release manager signs' 5
wait_idle
assert_fixed '✓ approve' "the phase rail does not show approve done once signed again"
assert_text 'e\.push  run' "the selection slid off e.push when the row above it went"

# --- voided again and signed again at once: the stale "voided" status goes ----------
keys s
wait_text 'Set a variable' 5
keys Enter
wait_text 'version to restore' 5
keys C-u
type_text 1.2.0
keys Enter
wait_text 'ask for a new sign-off: the approval by bob as Release Manager was voided' 5
run_rewind approve --yes "$SESSION_DIR" p.sign --role 'Release Manager' --as bob \
	>"$SCREEN_TMP/approve3.out" 2>&1 || fail "bob's third approval failed: $(cat "$SCREEN_TMP/approve3.out")"
wait_gone 'ask for a new sign-off' 5
assert_text 'from another terminal' "the status line does not say the sign-off came from another terminal"
keys_nowait q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit
pass "a voided sign-off is told, refuses the run before its dialog, and the selection stays put"
