#!/bin/sh
# A completed live session opened again in the console is read, never
# written: its Tags tab reads the repository as it is now (a tag added
# since the session ended, from the session's own directory though the
# console is started elsewhere), and its journal takes nothing, not even
# the tags' new answer (once, each opening appended a tags.answer after
# session.completed, with "not a git repository" when opened elsewhere).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

repo=$SCREEN_TMP/repo
mkdir -p "$repo"
(cd "$repo" && git init -q . &&
	git -c user.email=t@example.test -c user.name=t commit -q --allow-empty -m one &&
	git tag v1.0.0) || fail "no repository"
cat >"$repo/pb.json" <<'JSON'
{"id":"done-live","title":"Done","targets":{"git":{"path":"."}},"phases":[
{"id":"assess","steps":[{"id":"a.look","kind":"check","title":"looked"}]},
{"id":"decide","steps":[]},{"id":"approve","steps":[]},{"id":"execute","steps":[]},
{"id":"verify","steps":[]},{"id":"communicate","steps":[]}]}
JSON
SESSION_DIR=$repo/s
APP_DIR=$repo			# it runs in the repository
printf 'tick a.look\nnext\nnext\nnext\nnext\nnext\nnext\n' |
	run_rewind run pb.json --batch --operator sam --session-dir "$SESSION_DIR" \
	>"$SCREEN_TMP/walk.out" 2>&1
APP_DIR=$SCREEN_TMP		# and is opened again from elsewhere
[ "$(journal_count session.completed)" = 1 ] || fail "the walk did not complete: $(tail -n 2 "$SCREEN_TMP/walk.out")"
(cd "$repo" && git tag v1.0.1)
cp "$SESSION_DIR/journal.jsonl" "$SCREEN_TMP/before.jsonl"

start_app -x 120 -y 30 run "$SESSION_DIR"
wait_text 'session complete: open to be read'
tab Tags
wait_text 'v1\.0\.1' 10
refute_text 'not a git repository'
keys_nowait q
wait_exit
cmp -s "$SESSION_DIR/journal.jsonl" "$SCREEN_TMP/before.jsonl" ||
	fail "opening a completed session journalled: $(diff "$SCREEN_TMP/before.jsonl" "$SESSION_DIR/journal.jsonl" | cut -c1-160 | tail -n 2)"
pass "a completed session opened again reads its repository from where it ran, and journals nothing"
