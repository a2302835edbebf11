#!/bin/sh
# The hand-off to approvers: the approve step's pane names who signed, as
# which role and when, and shows the session directory and the exact
# `rewind approve DIR STEP --role ROLE` line for the first role
# still missing (DIR shell-quoted); y (from the action table, so in the key
# bar and the help) copies it with OSC 52; an approval from a second
# process is told in words; the approval dialog refuses the operator under
# other spacing, case or width, and invisible characters.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "handoff",
  "title": "Hand-off to approvers",
  "phases": [
    { "id": "assess", "steps": [ { "id": "a.look", "kind": "check", "title": "looked" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [
      { "id": "p.sign", "kind": "approve", "title": "Sign the rollback",
        "roles": [ { "role": "Release Manager", "count": 1 },
                   { "role": "Security", "count": 1 } ],
        "gates": ["execute"] }
    ] },
    { "id": "execute", "steps": [ { "id": "e.do", "kind": "check", "title": "done" } ] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

# A directory with a blank and a quote: the line must quote it.
SESSION_DIR="$SCREEN_TMP/bob's session"
printf 'tick a.look\nnext\nnext\n' | run_rewind drill "$SCREEN_TMP/pb.json" --batch \
	--operator sam --session-dir "$SESSION_DIR" >"$SCREEN_TMP/prefix.out" 2>&1
grep -q '"phase":"approve"' "$SCREEN_TMP/prefix.out" ||
	{ cat "$SCREEN_TMP/prefix.out"; fail "the batch prefix did not reach the approve phase"; }
QDIR="'$SCREEN_TMP/bob'\\''s session'"

start_app -x 200 -y 30 drill "$SESSION_DIR" --operator sam
tm pipe-pane -t "$SCREEN_TARGET" -o "cat >>$(_shquote "$SCREEN_TMP/pane.raw")" ||
	fail "pipe-pane failed"
tm set-option -s set-clipboard on || fail "set-clipboard failed"
wait_text 'Sign the rollback'

# --- the hand-off line, the session directory, the key ------------------------------
LINE1="rewind approve $QDIR p.sign --role 'Release Manager'"
assert_fixed "Approver's command (y copies it, Y shows it on one line):"
assert_fixed "  $LINE1"
assert_fixed "Session directory: $SCREEN_TMP/bob's session"
assert_fixed "Release Manager: 0 of 1 signed"
assert_fixed "Security: 0 of 1 signed"
assert_fixed "The operator, sam, cannot approve."
assert_text ' a approve y copy \? help' "the key bar does not offer y copy"

# --- y: OSC 52 carries exactly the line ------------------------------------------
keys y
wait_text "copied the approve command for p.sign \\(sent to the terminal's clipboard with OSC 52\\)"
B64=$(printf '%s' "$LINE1" | base64 -w0)
i=0
until grep -qF "$(printf '\033]52;c;%s\007' "$B64")" "$SCREEN_TMP/pane.raw" 2>/dev/null; do
	[ "$i" -lt 300 ] || fail "no OSC 52 with the line in the pane's output"
	sleep 0.01
	i=$((i + 1))
done
i=0
until [ "$(tm show-buffer 2>/dev/null)" = "$LINE1" ]; do
	[ "$i" -lt 300 ] || fail "tmux's buffer is not the line: $(tm show-buffer 2>&1)"
	sleep 0.01
	i=$((i + 1))
done
refute_text '52;c' "the OSC 52 sequence shows on the screen"
assert_text ' Enter act ' "the key bar is gone after the copy"

# --- the copied line works as given, from a second process: the real login --------
# name signs (never $USER: USER=bob does not make it bob), after it shows
# what the sign-off covers; a placeholder typed as a name (an old hand-off
# line's NAME) is refused.
LOGIN=$(id -un)
approve_as_bob() {
	( cd "$SCREEN_TMP" && env -i PATH="$(dirname "$REWIND_BIN"):/usr/bin:/bin" \
		HOME="$SCREEN_TMP/home" TZ=UTC LANG=C.UTF-8 USER=bob \
		sh -c "$(printf '%s' "$1" | sed "s|^rewind |$(_shquote "$REWIND_BIN") |")" )
}
approve_as_bob "$(tm show-buffer) --as NAME" >"$SCREEN_TMP/placeholder.out" 2>&1 &&
	fail "the placeholder NAME was accepted as an approver"
grep -qF 'is a placeholder, not a name' "$SCREEN_TMP/placeholder.out" ||
	fail "no clear refusal of the placeholder: $(cat "$SCREEN_TMP/placeholder.out")"
# (the approver answers the question: a scripted "y", as at a terminal)
printf 'y\n' | approve_as_bob "$(tm show-buffer)" >"$SCREEN_TMP/approve.out" 2>&1 ||
	{ cat "$SCREEN_TMP/approve.out"; fail "the copied command failed"; }
grep -qF "$LOGIN signs p.sign as Release Manager. It covers:" "$SCREEN_TMP/approve.out" ||
	fail "the approver was not shown what the sign-off covers: $(cat "$SCREEN_TMP/approve.out")"
wait_text "$LOGIN approved as Release Manager \\(from another terminal\\)" 3
wait_idle
assert_text "✓ $LOGIN at [0-9]{2}:[0-9]{2}:[0-9]{2}" "the pane does not name $LOGIN with a time"
assert_fixed "signed with rewind approve" \
	"the pane does not say where the sign-off was entered"
assert_fixed "Release Manager: 1 of 1 signed"
LINE2="rewind approve $QDIR p.sign --role Security"
assert_fixed "  $LINE2" "the hand-off does not move on to the missing role"

# --- the dialog: the operator under other spacing, case or width; invisibles -----
keys a
wait_text 'Which role is approving'
keys Down Enter
wait_text "approver"
type_text "  ＳＡＭ "
keys Enter
wait_text "'ＳＡＭ' is the same person as the operator, sam"
# Small capitals read as the plain letters.
keys C-u
type_text "ꜱᴀᴍ"
keys Enter
wait_text "'ꜱᴀᴍ' is the same person as the operator, sam"
keys C-u
type_text "$(printf 'car\342\200\213ol')"
keys Enter
wait_text 'U\+200B ZERO WIDTH SPACE'
[ "$(journal_count approval.granted)" = 1 ] || fail "the dialog journalled a refused approval"
keys Escape

# --- the last role signs: no hand-off left, no y on the bar -----------------------
run_rewind approve --yes "$SESSION_DIR" p.sign --role Security --as ' Carol ' \
	>"$SCREEN_TMP/approve2.out" 2>&1 || { cat "$SCREEN_TMP/approve2.out"; fail "Carol's approval failed"; }
wait_text 'Carol approved as Security \(from another terminal\)' 3
wait_idle
assert_text '✓ Carol at [0-9]{2}:[0-9]{2}:[0-9]{2}'
refute_fixed "Approver's command"
refute_text ' y copy ' "y copy is offered with nothing to copy"
keys y
wait_text 'nothing to copy: select an approve step that still needs a sign-off'

# At 80x24, the whole pane before anything is signed (a fresh session).
keys_nowait q
wait_exit
pass "hand-off line shown, copied with OSC 52, approvals named with role and time"
