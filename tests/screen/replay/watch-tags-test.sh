#!/bin/sh
# rewind watch shows the Tags tab as the watched session journals it: a
# LIVE session (a batch run kept open) watches a real git repository and
# journals tags.answer; the watcher, which has no sources of its own,
# lists those tags in semver order, and a tag made meanwhile (journalled
# by the live session's watcher) shows within a second of landing. Picking
# a tag is refused, and the key bar of the Tags tab offers nothing that
# would act.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd git "to make the test repository"

# --- the repository -----------------------------------------------------------
REPO=$SCREEN_TMP/repo
commit() {
	git -C "$REPO" -c user.name=Rel -c user.email=rel@example.invalid \
		commit -q --allow-empty -m "$1" || fail "git commit $1"
}
git init -q "$REPO" || fail "git init"
commit "Release 1.2.2"
git -C "$REPO" tag v1.2.2 || fail "git tag v1.2.2"
commit "Release 1.2.10"
git -C "$REPO" tag v1.2.10 || fail "git tag v1.2.10"

# --- the playbook ---------------------------------------------------------------
PB=$SCREEN_TMP/watch-tags.json
cat >"$PB" <<EOF
{
  "id": "watch-tags",
  "title": "Watch tags screen test",
  "variables": {
    "RESTORE_VERSION": { "prompt": "Tag to restore", "from": "tags" }
  },
  "targets": { "git": { "path": "$REPO" } },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "pick", "kind": "input", "title": "Pick the tag to restore",
        "variable": "RESTORE_VERSION" },
      { "id": "look", "kind": "check", "title": "Looked at the tags" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
EOF
run_rewind check "$PB" >"$SCREEN_TMP/check.out" 2>&1 ||
	{ cat "$SCREEN_TMP/check.out"; fail "rewind check refused the playbook"; }

# --- the live session: a batch run that lasts until its input closes ------------
SESSION_DIR=$SCREEN_TMP/session
mkfifo "$SCREEN_TMP/live.in" || fail "mkfifo"
run_rewind run --batch --session-dir "$SESSION_DIR" --operator sam "$PB" \
	<"$SCREEN_TMP/live.in" >"$SCREEN_TMP/live.out" 2>&1 &
LIVE_PID=$!
exec 8>"$SCREEN_TMP/live.in"	# the session's input

# wait_answers N: until the journal holds N tags.answer events (5 s).
wait_answers() {
	i=0
	until [ "$(journal_count tags.answer 2>/dev/null)" = "$1" ]; do
		[ "$i" -lt $((500 * REWIND_TEST_SLACK)) ] || fail "the live session journalled no tags.answer #$1: $(cat "$SCREEN_TMP/live.out")"
		kill -0 "$LIVE_PID" 2>/dev/null || fail "the live session ended: $(cat "$SCREEN_TMP/live.out")"
		sleep 0.01
		i=$((i + 1))
	done
}
wait_answers 1

# --- the watcher ------------------------------------------------------------------
start_app watch "$SESSION_DIR"
assert_fixed "WATCH: following $SESSION_DIR read-only; a approves"
keys ']' ']' ']' ']'
assert_fixed '[Tags]'
wait_text ' v1\.2\.10 ' 2

# The tag rows, top to bottom.
tag_order() {
	screen_text | sed -n 's/^.*│ *\(HEAD\)\{0,1\}[A-Z,]* *\(v1\.[0-9.]*\) .*$/\2/p' |
		tr '\n' ' '
}
order=$(tag_order)
[ "$order" = "v1.2.10 v1.2.2 " ] || fail "tags not in semver order: '$order'"
screen_text | grep -qE '│ HEAD +v1\.2\.10 ' || fail "HEAD does not mark v1.2.10"

# A tag made now: the live session journals it, the watcher shows it
# within a second of the line landing.
git -C "$REPO" tag v1.3.0 || fail "git tag v1.3.0"
wait_answers 2
wait_text ' v1\.3\.0 ' 1
order=$(tag_order)
[ "$order" = "v1.3.0 v1.2.10 v1.2.2 " ] || fail "v1.3.0 not in its place: '$order'"

# The Tags tab focused: its key bar offers no pick, and Enter is refused.
keys Tab
row 24 | grep -q 'Enter' && fail "the watch key bar offers Enter in the Tags tab: $(row 24)"
n0=$(wc -l <"$SESSION_DIR/journal.jsonl")
keys Enter
assert_fixed 'watching: read-only here; a approves the selected step'
[ "$(journal_count var.set)" = 0 ] || fail "the watcher set a variable"
[ "$(wc -l <"$SESSION_DIR/journal.jsonl")" = "$n0" ] ||
	fail "a refused key wrote to the journal"

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "watch exit status $APP_EXIT"
# The tmux server holds the fifo too (it was started after the exec), so
# the session ends by a quit, not by the end of its input.
echo quit >&8
exec 8>&-
wait "$LIVE_PID"
run_rewind verify "$SESSION_DIR" >/dev/null || fail "the journal does not verify"
pass "journalled tags shown and followed"
