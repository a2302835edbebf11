#!/bin/sh
# The communicate phase in the live console, against a loopback webhook
# receiver (tests/fixtures/fixsrv.py): the preview shows the rendered
# text, e edits it in $EDITOR (the screen suspends and comes back with the
# edit), Enter sends it and the receiver gets the edited text with its
# Rewind-Message-Id; a webhook that answers 500 first shows as pending in
# the status bar, the phase goes on meanwhile, and it is delivered on the
# retry; the clipboard channel's OSC 52 reaches the terminal (tmux's
# buffer) without breaking the frame; a due update reminder is raised and
# U dismisses it. The webhook URLs' secret path is on no screen and not in
# the journal.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "for the fixture server"

SESSION_DIR=$SCREEN_TMP/session
SECRET=T000SECRET

# --- the receiver: stays up while fd 3 is open (until the test exits) -----------
cat >"$SCREEN_TMP/routes.json" <<'EOF'
{
  "/hooks/T000SECRET/B999": { "status": 200, "body": "ok" },
  "/hooks/T000SECRET/FLAKY": { "status": 500, "headers": { "Retry-After": "1" },
    "body": "busy" }
}
EOF
# The flaky hook answers 500 until the test has seen the message pending
# and moved on; then heal_flaky makes it answer 200, so what the test
# looks at never depends on how fast this machine is.
heal_flaky() {
	cat >"$SCREEN_TMP/routes.healed" <<'EOF'
{
  "/hooks/T000SECRET/B999": { "status": 200, "body": "ok" },
  "/hooks/T000SECRET/FLAKY": { "status": 200, "body": "ok" }
}
EOF
	python3 "$REWIND_SRCDIR/tests/fixtures/httpreq.py" -X PUT \
		--data-file "$SCREEN_TMP/routes.healed" "$BASE/_routes" \
		>/dev/null || fail "could not heal the flaky hook"
}
mkfifo "$SCREEN_TMP/srv.in" || exit 99
python3 "$REWIND_SRCDIR/tests/fixtures/fixsrv.py" "$SCREEN_TMP/routes.json" \
	<"$SCREEN_TMP/srv.in" >"$SCREEN_TMP/srv.out" 2>"$SCREEN_TMP/srv.err" &
exec 3>"$SCREEN_TMP/srv.in"
i=0
until PORT=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$SCREEN_TMP/srv.out") &&
      [ -n "$PORT" ]; do
	[ "$i" -lt $((500 * REWIND_TEST_SLACK)) ] || fail "the fixture server did not start: $(cat "$SCREEN_TMP/srv.err")"
	sleep 0.01
	i=$((i + 1))
done
BASE=http://127.0.0.1:$PORT

# requests PATH-PART: the recorded requests whose path contains PATH-PART,
# as JSON (one object per line).
requests() {
	python3 - "$BASE/_requests" "$1" <<'EOF'
import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
    for q in json.load(r):
        if sys.argv[2] in q["path"]:
            print(json.dumps(q))
EOF
}

# wait_requests PATH-PART N: until the receiver has N such requests.
wait_requests() {
	i=0
	while [ "$(requests "$1" | wc -l)" -lt "$2" ]; do
		[ "$i" -lt $((100 * REWIND_TEST_SLACK)) ] || fail "the receiver got fewer than $2 request(s) to $1"
		sleep 0.05
		i=$((i + 1))
	done
}

# --- the playbook, the editor --------------------------------------------------
cat >"$SCREEN_TMP/msg.json" <<'EOF'
{
  "id": "message-screen",
  "title": "Messages on screen",
  "variables": {
    "VERSION": { "prompt": "version to restore", "default": "1.2.2" }
  },
  "communicate": { "cadence": "6s", "step": "c.update" },
  "phases": [
    { "id": "assess", "steps": [] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [
      { "id": "c.team", "kind": "message", "title": "team channel",
        "required": false, "channel": "webhook",
        "url_env": "REWIND_TEST_HOOK_URL", "timeout": "2s",
        "template": "ROLLBACK to ${VERSION} done by ${OPERATOR}" },
      { "id": "c.status", "kind": "message", "title": "status page",
        "required": false, "channel": "webhook", "style": "generic",
        "url_env": "REWIND_TEST_FLAKY_URL", "timeout": "2s",
        "template": "Service restored at ${VERSION}" },
      { "id": "c.clip", "kind": "message", "title": "paste by hand",
        "required": false, "channel": "clipboard",
        "template": "CLIPMARK restored ${VERSION}" },
      { "id": "c.update", "kind": "message", "title": "status update",
        "required": false, "channel": "file", "path": "update.md",
        "template": "Still watching ${VERSION}" }
    ] }
  ]
}
EOF
cat >"$SCREEN_TMP/editor.sh" <<'EOF'
#!/bin/sh
# The operator's "editor": one substitution, and a mark that it ran.
sed -i 's/ROLLBACK/RESTORED/' "$1" && echo ran >>"${0%/*}/editor.ran"
EOF
chmod +x "$SCREEN_TMP/editor.sh"

APP_ENV="EDITOR=$SCREEN_TMP/editor.sh
REWIND_TEST_HOOK_URL=$BASE/hooks/$SECRET/B999
REWIND_TEST_FLAKY_URL=$BASE/hooks/$SECRET/FLAKY"

# Every screen is checked for the secret as it is captured.
shot() {
	f=$(capture "$1")
	grep -qF "$SECRET" "$f" && fail "screen $1 shows the webhook's secret path"
	return 0
}

start_app -x 140 run "$SCREEN_TMP/msg.json" --session-dir "$SESSION_DIR" --operator sam
# The raw output to the terminal, for the OSC 52 check.
tm pipe-pane -t "$SCREEN_TARGET" -o "cat >>$(_shquote "$SCREEN_TMP/pane.raw")" ||
	fail "pipe-pane failed"
# tmux takes OSC 52 from the app into its paste buffers.
tm set-option -s set-clipboard on || fail "set-clipboard failed"
shot start
for i in 1 2 3 4 5; do keys '>'; done
wait_text '▶ communicate'
shot communicate

# --- (1) preview, edit in $EDITOR, send ------------------------------------------
keys Enter
assert_fixed 'ROLLBACK to 1.2.2 done by sam'
assert_fixed 'Enter sends this message; e edits it first; Esc keeps it unsent.'
shot preview
keys e
[ -s "$SCREEN_TMP/editor.ran" ] || fail "e did not run \$EDITOR"
wait_text 'RESTORED to 1.2.2 done by sam'
assert_fixed 'Edited. Enter sends this text'
refute_fixed '    ROLLBACK to 1.2.2' "the dialog still shows the unedited text"
assert_text '▶ communicate' "the frame did not come back after the editor"
shot edited
keys Enter
wait_requests /B999 1
req=$(requests /B999)
[ "$(printf '%s\n' "$req" | wc -l)" = 1 ] || fail "more than one POST: $req"
printf '%s\n' "$req" | grep -qF '"body": "{\"text\":\"RESTORED to 1.2.2 done by sam' ||
	printf '%s\n' "$req" | grep -qF 'RESTORED to 1.2.2 done by sam' ||
	fail "the receiver did not get the edited text: $req"
printf '%s\n' "$req" | grep -qF 'ROLLBACK' && fail "the receiver got the unedited text: $req"
printf '%s\n' "$req" | grep -qE '"rewind-message-id": "[^"]+"' ||
	fail "no Rewind-Message-Id header: $req"
wait_text '\[✓\] team channel'
shot sent

# --- (2) a webhook that fails first: pending, the phase goes on, then delivered --
keys j Enter
assert_fixed 'Service restored at 1.2.2'
keys Enter
wait_requests /FLAKY 1
wait_text ' 1 pending$'			# kept at the right of the status line
shot pending
keys ']'				# the Output tab: the log names what is pending
wait_text "c.status webhook http://127\\.0\\.0\\.1:$PORT/"
shot pending-log
keys '['
keys j Enter				# the clipboard step meanwhile: not blocked
assert_fixed 'CLIPMARK restored 1.2.2'
keys Enter
wait_text '\[✓\] paste by hand'
heal_flaky
wait_text '1 pending message delivered; 0 still pending' 5
wait_gone ' 1 pending$'
posts=$(requests /FLAKY | wc -l)
[ "$posts" -ge 2 ] || fail "the flaky hook was posted $posts time(s)"
[ "$(journal_count message.failed c.status)" = $((posts - 1)) ] ||
	fail "not every refused post (500) is journalled as message.failed ($posts posts)"
[ "$(journal_count message.delivered c.status)" = 1 ] ||
	fail "c.status is not journalled as delivered exactly once"
shot delivered

# --- (4) the clipboard: OSC 52 reached the terminal, the frame is intact ----------
i=0
until grep -q 'Q0xJUE1BUksgcmVzdG9yZWQgMS4yLjI=' "$SCREEN_TMP/pane.raw" 2>/dev/null; do
	[ "$i" -lt $((200 * REWIND_TEST_SLACK)) ] || fail "no OSC 52 with the text in the pane's output"
	sleep 0.01
	i=$((i + 1))
done
grep -qF "$(printf '\033]52;c;Q0xJUE1BUksgcmVzdG9yZWQgMS4yLjI=')" "$SCREEN_TMP/pane.raw" ||
	fail "the clipboard text is not in an OSC 52 sequence"
i=0
until [ "$(tm show-buffer 2>/dev/null)" = "CLIPMARK restored 1.2.2" ]; do
	[ "$i" -lt $((200 * REWIND_TEST_SLACK)) ] || fail "tmux's buffer is not the message: $(tm show-buffer 2>&1)"
	sleep 0.01
	i=$((i + 1))
done
refute_text '52;c|Q0xJUE1' "the OSC 52 sequence shows on the screen"
assert_text '▶ communicate'
assert_text ' Enter .* q quit' "the key bar is gone after the clipboard send"

# --- (5) the update reminder: an alert, U dismisses it ------------------------------
# The reminder is announced once in the status line, and a later status
# (a delivery report) can replace it before a busy machine lets the test
# look: wait for it in the journal, where it stays.
i=0
until [ "$(journal_count reminder.due)" -ge 1 ]; do
	[ "$i" -lt $((1000 * REWIND_TEST_SLACK)) ] || fail "no reminder.due in the journal"
	sleep 0.01
	i=$((i + 1))
done
shot reminder
keys U
wait_text 'update reminder dismissed'
[ "$(journal_count reminder.due)" -ge 1 ] || fail "no reminder.due in the journal"
[ "$(journal_count reminder.dismissed)" = 1 ] || fail "no reminder.dismissed in the journal"

# --- (3) the secret path: no screen, not the journal --------------------------------
grep -qF "$SECRET" "$SCREEN_TMP/pane.raw" && fail "the terminal was sent the webhook's secret path"
grep -qF "$SECRET" "$SESSION_DIR/journal.jsonl" && fail "the journal holds the webhook's secret path"
grep -rlF "$SECRET" "$SESSION_DIR" && fail "a session file holds the webhook's secret path"
[ "$(journal_count message.delivered)" -ge 2 ] ||
	fail "fewer than two message.delivered events"
pass "preview, edit, webhook send and retry, clipboard and reminder on screen"
