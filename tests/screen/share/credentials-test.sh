#!/bin/sh
# Publishing never asks for credentials over the console: git runs with
# no terminal prompt, ssh in batch mode (unless the user set their own
# ssh command), stdin from /dev/null and no controlling terminal; a
# remote that wants a login says so in the header ("share: needs
# credentials: ...", with what to do) and on the status line, and the
# screen stays intact.
#  1. an http remote on loopback that answers every request 401;
#  2. an ssh remote whose ssh (a stand-in on PATH) would ask for a
#     password on /dev/tty: it gets -o BatchMode=yes, no terminal, and
#     says "Permission denied";
#  3. the same with the user's own GIT_SSH_COMMAND: kept as it is, and
#     still no terminal.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
require_cmd git "for the remote the session is published to"
require_cmd python3 "for the http remote that answers 401"
srvpid=
trap '[ -z "$srvpid" ] || kill "$srvpid" 2>/dev/null; _screen_cleanup' EXIT

cat >"$SCREEN_TMP/pb.json" <<'JSON'
{
  "id": "share-creds",
  "title": "Shared",
  "phases": [
    { "id": "assess", "steps": [
      { "id": "a.look", "kind": "check", "title": "Look around" } ] },
    { "id": "decide", "steps": [] },
    { "id": "approve", "steps": [] },
    { "id": "execute", "steps": [] },
    { "id": "verify", "steps": [] },
    { "id": "communicate", "steps": [] }
  ]
}
JSON

# --- 1. http: 401 to everything ------------------------------------------
cat >"$SCREEN_TMP/auth401.py" <<'PY'
import http.server, os, sys
class Deny(http.server.BaseHTTPRequestHandler):
    def deny(self):
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="team"')
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_GET = deny
    do_POST = deny
    def log_message(self, *args):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), Deny)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
PY
python3 "$SCREEN_TMP/auth401.py" "$SCREEN_TMP/port" &
srvpid=$!
wait_for '[ -s "$SCREEN_TMP/port" ]' 10
port=$(cat "$SCREEN_TMP/port")

SESSION_DIR=$SCREEN_TMP/s/cr-1
start_app -x 200 -y 30 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator olga --share "http://127.0.0.1:$port/team.git"
wait_text 'share: needs credentials: store a login \(git credential helper\) or ssh-add a key; [0-9]+ events? not published, retrying in [0-9]+ s' 20
row 1 | grep -q '^ LIVE .*share: needs credentials' ||
	fail "the header does not say credentials are needed: $(row 1)"
wait_text "share: needs credentials: http://127\.0\.0\.1:$port/team\.git asked for a login \(could not read Username for 'http://127\.0\.0\.1:$port': terminal prompts disabled\); the console never asks for them: store" 10
assert_fixed 'Look around' "the checklist is gone"
refute_text 'Username for .*: *$' "git asked on the console's terminal"
[ "$(journal_count share.offline)" = 1 ] || fail "the failure was not journalled once"
grep -q '"needs_credentials":true' "$SESSION_DIR/journal.jsonl" ||
	fail "the journal does not say credentials are needed"
# The console keeps working.
keys Space
wait_for '[ "$(journal_count step.ticked a.look)" = 1 ]' 5
keys q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit
kill "$srvpid"
srvpid=

# --- 2. ssh that would ask on /dev/tty ------------------------------------
mkdir -p "$SCREEN_TMP/bin"
cat >"$SCREEN_TMP/bin/ssh" <<SSH
#!/bin/sh
{
	echo "args: \$*"
	if [ -t 0 ]; then echo "stdin: tty"; else echo "stdin: not a tty"; fi
	if (printf 'SCRIBBLE git@127.0.0.1 password: ' >/dev/tty) 2>/dev/null; then
		echo "tty: opened"
	else
		echo "tty: none"
	fi
} >>"$SCREEN_TMP/ssh.log"
echo "git@127.0.0.1: Permission denied (publickey,password)." >&2
exit 255
SSH
chmod +x "$SCREEN_TMP/bin/ssh"
cp "$SCREEN_TMP/bin/ssh" "$SCREEN_TMP/bin/myssh"
APP_ENV="PATH=$SCREEN_TMP/bin:/usr/local/bin:/usr/bin:/bin"
SESSION_DIR=$SCREEN_TMP/s/cr-2
start_app -x 200 -y 30 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator olga --share "ssh://git@127.0.0.1/team.git"
wait_text 'share: needs credentials: store a login' 20
wait_text 'Permission denied \(publickey,password\)' 10
refute_text 'SCRIBBLE' "ssh wrote on the console's terminal"
assert_fixed 'Look around' "the checklist is gone"
grep -q '^args: -o BatchMode=yes .*git@127\.0\.0\.1' "$SCREEN_TMP/ssh.log" ||
	fail "ssh did not run in batch mode: $(cat "$SCREEN_TMP/ssh.log")"
grep -q '^stdin: tty' "$SCREEN_TMP/ssh.log" && fail "ssh's stdin was a terminal"
grep -q '^tty: opened' "$SCREEN_TMP/ssh.log" && fail "ssh could open /dev/tty"
keys q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit

# --- 3. the user's own ssh command: kept, and still no terminal -----------
: >"$SCREEN_TMP/ssh.log"
APP_ENV="PATH=$SCREEN_TMP/bin:/usr/local/bin:/usr/bin:/bin GIT_SSH_COMMAND=myssh"
SESSION_DIR=$SCREEN_TMP/s/cr-3
start_app -x 200 -y 30 run "$SCREEN_TMP/pb.json" --session-dir "$SESSION_DIR" \
	--operator olga --share "ssh://git@127.0.0.1/team.git"
wait_text 'share: needs credentials' 20
wait_for '[ -s "$SCREEN_TMP/ssh.log" ]' 5
grep -q 'BatchMode' "$SCREEN_TMP/ssh.log" &&
	fail "the user's own GIT_SSH_COMMAND was changed: $(cat "$SCREEN_TMP/ssh.log")"
grep -q '^tty: opened' "$SCREEN_TMP/ssh.log" && fail "the user's ssh could open /dev/tty"
refute_text 'SCRIBBLE' "the user's ssh wrote on the console's terminal"
keys q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit
pass "a remote that wants credentials says so in the header and never asks over the console"
