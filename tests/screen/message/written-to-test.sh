#!/bin/sh
# A message delivered also into the repository's folder (incidents/)
# says where it was really written: the status line and the report name
# the file's real path.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "written-to",
  "title": "A notice into incidents/",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.notice", "kind": "message", "title": "Rollback notice",
        "channel": "file", "path": "rollback-notice.md", "folder": "incidents/",
        "template": "We rolled back." } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON
SESSION_DIR=$SCREEN_TMP/s
start_app -x 200 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" --operator sam
keys Enter
wait_text 'We rolled back'
keys Enter
real=$(cd "$APP_DIR/incidents" 2>/dev/null && pwd -P)/rollback-notice.md
wait_text "a\\.notice delivered; written to $real" 5
[ -s "$real" ] || fail "no $real"
keys_nowait q
keys_nowait Enter
wait_exit
run_rewind report "$SESSION_DIR" -o "$SCREEN_TMP/r.md" >/dev/null 2>&1 || fail "rewind report failed"
grep -qF "a.notice was also written to $real." "$SCREEN_TMP/r.md" ||
	fail "the report does not say where the notice was written: $(grep -i 'notice' "$SCREEN_TMP/r.md" | head -3)"
pass "a folder copy's real path is in the status line and the report"
