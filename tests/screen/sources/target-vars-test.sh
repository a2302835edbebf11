#!/bin/sh
# Targets named by variables, as a user meets them: a playbook whose
# registry target is "${PACKAGE}" at "$REGISTRY_URL" (and whose probe
# names "${PACKAGE}" too). `rewind check` refuses a target that names an
# undeclared variable and says where; a session cannot open while a
# target's variable has no value, and says which --var gives it (a
# registry URL's is left to the user's npm configuration instead). With
# --var PACKAGE=widget-b the Registry tab, the probe and the command all
# mean widget-b (the registry on loopback is asked for /widget-b, never
# for the default widget-a); `s` cannot change PACKAGE once the session is
# open; the replay's Registry tab shows widget-b's answer.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd python3 "for the fixture registry server"

ROUTES=$SCREEN_TMP/routes.json
cat >"$ROUTES" <<'EOF'
{"/widget-a": {"body": {"name": "widget-a", "dist-tags": {"latest": "1.0.0"},
   "versions": {"1.0.0": {"name": "widget-a", "version": "1.0.0"}}}},
 "/widget-b": {"body": {"name": "widget-b", "dist-tags": {"latest": "2.0.0"},
   "versions": {"1.9.0": {"name": "widget-b", "version": "1.9.0"},
                "2.0.0": {"name": "widget-b", "version": "2.0.0"}}}}}
EOF
mkfifo "$SCREEN_TMP/srv.in" || fail "mkfifo"
python3 "$REWIND_SRCDIR/tests/fixtures/fixsrv.py" "$ROUTES" \
	<"$SCREEN_TMP/srv.in" >"$SCREEN_TMP/srv.out" 2>"$SCREEN_TMP/srv.err" &
SRV_PID=$!
exec 9>"$SCREEN_TMP/srv.in"	# the server stops when this closes (exit)
wait_for 'PORT=$(sed -n "s/^PORT \([0-9]*\)$/\1/p" "$SCREEN_TMP/srv.out") && [ -n "$PORT" ]'
URL=http://127.0.0.1:$PORT/
PB=$REWIND_SRCDIR/tests/fixtures/playbooks/target-vars.json

# --- rewind check: an undeclared variable in a target --------------------------------
sed 's/"\${PACKAGE}"/"${PKG}"/g' "$PB" >"$SCREEN_TMP/undeclared.json"
run_rewind check "$SCREEN_TMP/undeclared.json" >"$SCREEN_TMP/check.out" 2>&1 &&
	fail "rewind check accepted a target naming an undeclared variable"
grep -qF 'targets.registry[0].name: $PKG is not a declared variable' "$SCREEN_TMP/check.out" ||
	fail "check did not say where the undeclared variable is: $(cat "$SCREEN_TMP/check.out")"
run_rewind check "$PB" >"$SCREEN_TMP/check.out" 2>&1 ||
	fail "rewind check refused the fixture: $(cat "$SCREEN_TMP/check.out")"

# --- a target's variable without a value ---------------------------------------------
sed 's/, "default": "widget-a"//' "$PB" >"$SCREEN_TMP/nodefault.json"
echo quit | run_rewind run "$SCREEN_TMP/nodefault.json" --batch \
	--session-dir "$SCREEN_TMP/novalue" --operator sam >"$SCREEN_TMP/novalue.out" 2>&1 &&
	fail "a session opened with PACKAGE unset"
grep -qF 'targets.registry[0].name names $PACKAGE, which has no value: give it with --var PACKAGE=VALUE' \
	"$SCREEN_TMP/novalue.out" ||
	fail "no clear error for the unset target variable: $(cat "$SCREEN_TMP/novalue.out")"

# A registry URL whose variable has no value is left to the user's npm
# configuration (here npm_config_registry), as without a url.
APP_ENV="npm_config_registry=$URL"
printf 'run a.latest\nquit\n' | run_rewind run "$PB" --batch \
	--session-dir "$SCREEN_TMP/userconf" --operator sam --var PACKAGE=widget-b \
	>"$SCREEN_TMP/userconf.out" 2>&1
APP_ENV=
grep '"type":"step.finished"' "$SCREEN_TMP/userconf/journal.jsonl" | grep -qF '"ok":true' ||
	fail "with REGISTRY_URL unset the probe did not ask the configured registry: $(cat "$SCREEN_TMP/userconf.out")"

# --- the console ------------------------------------------------------------------------
SESSION_DIR=$SCREEN_TMP/session
start_app -x 120 -y 40 run "$PB" --session-dir "$SESSION_DIR" --operator sam \
	--var PACKAGE=widget-b --var "REGISTRY_URL=$URL"
assert_text '^ LIVE .*Targets named by variables'
keys ']' ']' ']' ']'
wait_text '\[Registry\]' 5
wait_text "│ npm widget-b @ 127\.0\.0\.1:$PORT " 5
wait_text 'dist-tags: latest=2\.0\.0' 5
refute_text 'widget-a' "the Registry tab shows the default package"

# The probe asks about the package the session names.
keys Enter
wait_for '[ "$(journal_count step.finished a.latest)" = 1 ]' 10
grep '"type":"step.finished"' "$SESSION_DIR/journal.jsonl" | grep '"step":"a.latest"' |
	grep -qF '"ok":true' || fail "the probe did not pass for widget-b: $(grep a.latest "$SESSION_DIR/journal.jsonl")"
grep -qF '"expected":"widget-b latest is 2.0.0"' "$SESSION_DIR/journal.jsonl" ||
	fail "the probe did not name widget-b"

# s cannot change the package the panes watch.
keys s
wait_text 'Set a variable' 5
keys Enter			# PACKAGE is the first variable
wait_text 'npm package' 5
keys C-u
type_text widget-a
keys Enter
wait_text 'fixed when the session opened' 5
keys Escape
[ "$(grep '"type":"var.set"' "$SESSION_DIR/journal.jsonl" | grep -c '"value":"widget-a"')" = 1 ] ||
	fail "PACKAGE was set again (only its default may be journalled)"

keys_nowait q
wait_text 'Quit the live console' 5
keys_nowait Enter
wait_exit

# The registry was asked about widget-b, never about the default.
reqs=$(python3 "$REWIND_SRCDIR/tests/fixtures/httpreq.py" "${URL}_requests") ||
	fail "could not read the registry's requests"
echo "$reqs" | grep -qF '"/widget-b"' || fail "the registry was never asked for widget-b: $reqs"
echo "$reqs" | grep -qF '"/widget-a"' && fail "the registry was asked for the default widget-a: $reqs"

# --- the replay: the Registry tab shows what the session watched ------------------------
start_app -x 120 -y 40 replay "$SESSION_DIR"
keys G
keys Tab Tab Tab Tab		# the replay's side tabs: Tab, not ]
wait_text '\[Registry\]' 5
wait_text "│ npm widget-b @ 127\.0\.0\.1:$PORT " 5
wait_text 'dist-tags: latest=2\.0\.0' 5
exec 9>&-
pass "targets named by variables: checked, required, watched, fixed, replayed"
