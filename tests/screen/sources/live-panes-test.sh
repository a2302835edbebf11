#!/bin/sh
# The Tags and Registry tabs of a LIVE run, as a user sees them: a real
# git repository with annotated, lightweight and non-semver tags, and an
# npm registry on loopback (tests/fixtures/fixsrv.py). The Tags tab lists
# the tags in semver order (newest first, the non-semver one last) with
# HEAD marked; Enter on a tag with the input step selected journals
# var.set RESTORE_VERSION and marks the row RESTORE; a tag made meanwhile
# shows up by itself within 2 s. The Registry tab shows the package, its
# dist-tags and the deprecated version (the picked RESTORE mark on it,
# first, warning that it is deprecated); after the registry's answer
# changes, R brings the new dist-tag in, and a run step that moves a
# dist-tag shows its effect as soon as it finishes.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

require_cmd git "to make the test repository"
require_cmd python3 "for the fixture registry server"

# --- the repository -----------------------------------------------------------
REPO=$SCREEN_TMP/repo
commit() {
	git -C "$REPO" -c user.name=Rel -c user.email=rel@example.invalid \
		commit -q --allow-empty -m "$1" || fail "git commit $1"
}
atag() {
	git -C "$REPO" -c user.name=Rel -c user.email=rel@example.invalid \
		tag -a "$1" -m "$2" || fail "git tag -a $1"
}
git init -q "$REPO" || fail "git init"
commit "Release 1.2.1"
atag v1.2.1 "Release 1.2.1"
commit "Release 1.2.2"
git -C "$REPO" tag v1.2.2 || fail "git tag v1.2.2"	# lightweight
commit "Release 1.3.0-rc.1"
atag v1.3.0-rc.1 "First candidate of 1.3.0"
commit "Release 1.2.3"
atag v1.2.3 "Release 1.2.3"
git -C "$REPO" tag nightly-build || fail "git tag nightly-build"

# --- the registry ---------------------------------------------------------------
PKG=panes-pkg
ROUTES=$SCREEN_TMP/routes.json
packument() {	# LATEST [EXTRA_TAG=VERSION]: an npm document
	extra=
	[ -z "${2:-}" ] || extra=", \"${2%%=*}\": \"${2#*=}\""
	cat <<EOF
{"body": {"_id": "$PKG", "name": "$PKG",
  "dist-tags": {"latest": "$1"$extra},
  "time": {"1.2.1": "2026-10-01T10:00:00.000Z",
           "1.2.2": "2026-10-08T10:00:00.000Z",
           "1.2.3": "2026-10-15T10:00:00.000Z",
           "1.3.0-rc.1": "2026-11-01T10:00:00.000Z"},
  "versions": {
    "1.2.1": {"name": "$PKG", "version": "1.2.1"},
    "1.2.2": {"name": "$PKG", "version": "1.2.2",
              "deprecated": "breaks the login page"},
    "1.2.3": {"name": "$PKG", "version": "1.2.3"},
    "1.3.0-rc.1": {"name": "$PKG", "version": "1.3.0-rc.1"}}}}
EOF
}
{ printf '{"/%s": ' "$PKG"; packument 1.2.3; echo '}'; } >"$ROUTES"
mkfifo "$SCREEN_TMP/srv.in" || fail "mkfifo"
python3 "$REWIND_SRCDIR/tests/fixtures/fixsrv.py" "$ROUTES" \
	<"$SCREEN_TMP/srv.in" >"$SCREEN_TMP/srv.out" 2>"$SCREEN_TMP/srv.err" &
SRV_PID=$!
exec 9>"$SCREEN_TMP/srv.in"	# the server stops when this closes (exit)
i=0
until PORT=$(sed -n 's/^PORT \([0-9]*\)$/\1/p' "$SCREEN_TMP/srv.out") &&
      [ -n "$PORT" ]; do
	[ "$i" -lt $((500 * REWIND_TEST_SLACK)) ] || fail "fixsrv did not start: $(cat "$SCREEN_TMP/srv.err")"
	kill -0 "$SRV_PID" 2>/dev/null || fail "fixsrv died: $(cat "$SCREEN_TMP/srv.err")"
	sleep 0.01
	i=$((i + 1))
done

# --- the playbook -------------------------------------------------------------------
PB=$SCREEN_TMP/live-panes.json
cat >"$PB" <<EOF
{
  "id": "live-panes",
  "title": "Live panes screen test",
  "variables": {
    "RESTORE_VERSION": { "prompt": "Tag to restore", "from": "tags" }
  },
  "targets": {
    "git": { "path": "$REPO" },
    "registry": [ { "type": "npm", "name": "$PKG",
                    "url": "http://127.0.0.1:$PORT/" } ]
  },
  "phases": [
    { "id": "assess", "steps": [
      { "id": "pick", "kind": "input", "title": "Pick the tag to restore",
        "variable": "RESTORE_VERSION" },
      { "id": "look", "kind": "check", "title": "Looked at the tags" },
      { "id": "move", "kind": "run", "title": "Move latest to 1.2.1",
        "run": "python3 '$REWIND_SRCDIR/tests/fixtures/httpreq.py' -X PUT --data-file '$ROUTES.moved' http://127.0.0.1:$PORT/_routes",
        "drill": { "output": "routes changed" } } ] },
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

# --- the console: the Tags tab ------------------------------------------------------
SESSION_DIR=$SCREEN_TMP/session
# No registry poll during the test: what changes the pane is R or a run.
APP_ENV="REWIND_REGISTRY_REFRESH=10m"
start_app run "$PB" --session-dir "$SESSION_DIR" --operator sam
assert_text '^ LIVE .*Live panes screen test'
assert_fixed '[ ] Pick the tag to restore'

# 80 columns: Step, Output, Journal, Targets, Tags, Registry.
keys ']' ']' ']' ']'
wait_text '\[Tags\]' 2
keys Tab				# focus the tab
wait_text ' v1\.2\.1 ' 5

# The tag rows, top to bottom: names in the order they are drawn.
tag_order() {
	screen_text | sed -n 's/^.*│ *\(HEAD\)\{0,1\}[A-Z,]* *\(v1\.[0-9.]*[-a-z.0-9]*\|nightly-build\) .*$/\2/p' |
		tr '\n' ' '
}
order=$(tag_order)
[ "$order" = "v1.3.0-rc.1 v1.2.3 v1.2.2 v1.2.1 nightly-build " ] ||
	fail "tags not in semver order, newest first: '$order'"
screen_text | grep -qE '│ HEAD +v1\.2\.3 ' || fail "HEAD does not mark v1.2.3"
screen_text | grep -qE '│ HEAD +v1\.2\.2 ' && fail "HEAD marks v1.2.2"

# Select v1.2.2 (the third row) and pick it with the input step selected
# in the checklist (the first step is selected from the start).
keys j j
keys Enter
journal=$SESSION_DIR/journal.jsonl
i=0
until grep '"type":"var.set"' "$journal" 2>/dev/null |
      grep -qF '"payload":{"name":"RESTORE_VERSION","value":"v1.2.2"}'; do
	[ "$i" -lt $((200 * REWIND_TEST_SLACK)) ] || { grep var.set "$journal"; fail "no var.set RESTORE_VERSION=v1.2.2 in the journal"; }
	sleep 0.01
	i=$((i + 1))
done
wait_text '│ RESTORE +v1\.2\.2 ' 2
assert_fixed '[✓] Pick the tag to restore' "the input step is not done"
[ "$(journal_count var.set)" = 1 ] || fail "more than one var.set journalled"
screen_text | grep -qE 'RESTORE +v1\.2\.[13] ' && fail "RESTORE marks another tag"

# A tag made now appears by itself within 2 s, in its place.
git -C "$REPO" tag v1.2.4 HEAD~1 || fail "git tag v1.2.4"
wait_text ' v1\.2\.4 ' 2
order=$(tag_order)
[ "$order" = "v1.3.0-rc.1 v1.2.4 v1.2.3 v1.2.2 v1.2.1 nightly-build " ] ||
	fail "v1.2.4 not in its place: '$order'"
# A release sorts above its own pre-release.
atag v1.3.0 "Release 1.3.0"
wait_text ' v1\.3\.0 ' 2
order=$(tag_order)
[ "$order" = "v1.3.0 v1.3.0-rc.1 v1.2.4 v1.2.3 v1.2.2 v1.2.1 nightly-build " ] ||
	fail "v1.3.0 not above v1.3.0-rc.1: '$order'"
screen_text | grep -qE '│ RESTORE +v1\.2\.2 ' || fail "the RESTORE mark moved"

# --- the Registry tab -----------------------------------------------------------------
# At 80 columns the Registry label does not fit in the tab bar (see the
# report of this test); the tab's content shows it is the one drawn.
keys ']'
wait_text "│ npm $PKG @ 127\.0\.0\.1:$PORT " 5
wait_text 'dist-tags: latest=1\.2\.3' 5
wait_text '1\.2\.3 .*<latest>' 2
# The picked RESTORE version is the deprecated one: its mark stays and
# comes first; the warning has a line of its own, whole at 80 columns;
# the deprecation shows as far as it fits (below, at 120 columns).
wait_text '1\.2\.2 .*RESTORE' 2
wait_text '│ +! RESTORE is a deprecated version *$' 2
refute_text '│.* v1\.2\.1 ' "the Tags tab is still drawn"

# 120x40: the side tabs are Output, Journal, Targets, Tags, Registry; the
# Registry tab stays shown, with room for the deprecation message.
resize 120 40
wait_text '\[Registry\]' 2
wait_text '1\.2\.2 .*RESTORE DEPRECATED: breaks' 2
assert_text '│ +! RESTORE is a deprecated version'
refute_text 'next=' "a dist-tag before the registry has it"

# The registry moves latest back and adds a "next" tag; R asks again.
{ printf '{"/%s": ' "$PKG"; packument 1.2.2 next=1.3.0-rc.1; echo '}'; } >"$ROUTES.new"
python3 "$REWIND_SRCDIR/tests/fixtures/httpreq.py" -X PUT \
	--data-file "$ROUTES.new" "http://127.0.0.1:$PORT/_routes" >/dev/null || fail "could not change the registry's answer"
keys R
wait_text 'dist-tags: latest=1\.2\.2 next=1\.3\.0-rc\.1' 5
wait_text '1\.3\.0-rc\.1 .*<next>' 2
n=$(python3 "$REWIND_SRCDIR/tests/fixtures/httpreq.py" \
	"http://127.0.0.1:$PORT/_requests" | grep -o "\"/$PKG\"" | wc -l)
[ "$n" -ge 2 ] || fail "R did not ask the registry again ($n requests)"

# A run step moves latest (as npm dist-tag add would): the Registry tab
# shows it as soon as the step finishes, without R and before any poll.
{ printf '{"/%s": ' "$PKG"; packument 1.2.1 next=1.3.0-rc.1; echo '}'; } >"$ROUTES.moved"
for i in 1 2 3; do	# focus the checklist (Enter acts on the step there)
	screen_text | tail -1 | grep -q 'Enter act' && break
	keys Tab
done
screen_text | tail -1 | grep -q 'Enter act' || fail "the checklist never got the focus"
keys g j j Enter
wait_text 'dist-tags: latest=1\.2\.1 next=1\.3\.0-rc\.1' 3
[ "$(journal_count step.finished move)" = 1 ] || fail "the move step did not finish"

keys_nowait q
exec 9>&-
pass "tags listed, picked, watched; registry shown and refreshed"
