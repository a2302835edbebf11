# The state tests' common walk of tests/fixtures/playbooks/redo.json: a
# live session (SESSION_DIR) whose dist-tag and its check ran, the verify
# check ticked, now in communicate. Source after libscreen.
# redo_to_communicate WIDTH: start it WIDTH columns wide and walk there.
redo_to_communicate() {
	SESSION_DIR=$SCREEN_TMP/session
	start_app -x "$1" -y 26 run "$REWIND_SRCDIR/tests/fixtures/playbooks/redo.json" \
		--session-dir "$SESSION_DIR" --operator sam
	keys '>' '>' '>'
	keys Enter
	wait_text 'dist-tag done'
	keys j Enter
	wait_text 'dist-tag-check done'
	keys '>'
	keys Space
	keys '>'
	wait_text '▶ communicate'
}
