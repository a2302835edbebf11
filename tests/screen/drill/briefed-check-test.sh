#!/bin/sh
# A check whose evidence the scenario's briefing gives (briefing_shows)
# counts as shown: the step pane says the briefing showed it and shows
# the briefing, never that it cannot be verified here.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "briefed-check-test",
  "title": "A check the briefing answers",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.downloads", "kind": "check", "title": "Download counts looked up" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ],
  "scenarios": [
    { "id": "outage", "title": "Outage",
      "briefing": "The download stats show 1.2.3 on about 70% of installs.",
      "briefing_shows": ["a.downloads"] } ]
}
JSON
start_app -x 120 -y 30 drill "$SCREEN_TMP/pb.json" --scenario outage --operator sam \
	--session-dir "$SCREEN_TMP/s"
wait_text 'Download counts looked up' 5
i=0
until screen_text | grep -q "a.downloads  check"; do
	[ "$i" -lt 6 ] || fail "could not select a.downloads"
	keys j
	i=$((i + 1))
done
wait_text "the briefing showed this check's evidence" 5
assert_fixed "Drill: the briefing showed this check's evidence:"
assert_fixed 'The download stats show 1.2.3 on about 70% of installs.'
refute_text 'cannot be verified here'
pass "a check the briefing answers shows the briefing, not 'cannot be verified'"
