#!/bin/sh
# A third registry type through the same table as npm and PyPI: a playbook
# whose registry target is a crate on a Cargo registry's API (a fixture
# server on loopback standing in for one). The Registry tab lists its
# versions with their times and yanks (and the yank's message); a
# registry_tag probe judges "latest" as Cargo picks it (the highest
# version neither yanked nor a pre-release: 1.4.1, not the yanked 1.5.0
# nor 1.5.0-rc.1) and a withdrawn probe sees the yank. Without a URL the
# tab says what to set.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "for the fixture registry server"

ROUTES=$SCREEN_TMP/routes.json
printf '{"/cargo/api/v1/crates/rewind-fixture": {"headers": {"Content-Type": "application/json"}, "body_file": "%s"}}\n' \
	"$REWIND_SRCDIR/tests/fixtures/registry/crates.json" >"$ROUTES"
mkfifo "$SCREEN_TMP/srv.in" || fail "mkfifo"
python3 "$REWIND_SRCDIR/tests/fixtures/fixsrv.py" "$ROUTES" \
	<"$SCREEN_TMP/srv.in" >"$SCREEN_TMP/srv.out" 2>"$SCREEN_TMP/srv.err" &
exec 9>"$SCREEN_TMP/srv.in"	# the server stops when this closes (exit)
wait_for 'PORT=$(sed -n "s/^PORT \([0-9]*\)$/\1/p" "$SCREEN_TMP/srv.out") && [ -n "$PORT" ]'
API=http://127.0.0.1:$PORT/cargo
PB=$REWIND_SRCDIR/tests/fixtures/playbooks/crates.json

run_rewind check "$PB" >"$SCREEN_TMP/check.out" 2>&1 ||
	fail "rewind check refused a crates target: $(cat "$SCREEN_TMP/check.out")"

SESSION_DIR=$SCREEN_TMP/session
start_app -x 120 -y 40 run "$PB" --session-dir "$SESSION_DIR" --operator sam \
	--var "CRATES_API=$API"
keys ']' ']' ']' ']'
wait_text '\[Registry\]' 5
wait_text "│ crates rewind-fixture @ 127\.0\.0\.1:$PORT " 5
wait_text '│  1\.5\.0 .* YANKED panics on start-up' 5
wait_text '│  1\.5\.0-rc\.1 ' 5
wait_text '│  1\.3\.9 .* YANKED' 5

keys Enter			# latest is 1.4.1
wait_for '[ "$(journal_count step.finished a.latest)" = 1 ]' 10
grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" | grep '"step":"a.latest"' |
	grep -qF '"ok":true' || fail "latest was not judged 1.4.1: $(grep a.latest "$SESSION_DIR/journal.jsonl")"
keys j Enter			# 1.5.0 is yanked
wait_for '[ "$(journal_count step.finished a.yanked)" = 1 ]' 10
wait_text 'rewind-fixture 1\.5\.0 is yanked: panics on start-up' 5
keys_nowait q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit

# Without the API root the tab says what to set, and the probe cannot judge.
start_app -x 120 -y 40 run "$PB" --session-dir "$SCREEN_TMP/nourl" --operator sam
keys ']' ']' ']' ']'
wait_text 'no Cargo registry API for rewind-fixture: set the playbook' 5
exec 9>&-
pass "a Cargo registry: versions, yanks, latest as Cargo picks it, and a clear error without a URL"
