#!/bin/sh
# A drill step that opts in to the throwaway clone
# (tests/fixtures/tripwire/clone.json, git target "repo"), in the console's
# step pane: before it runs the pane says it will run for real in a clone;
# with no repository the simulation stands in and the pane (and the
# journal) say why; with a real repository it runs there by default, and
# the pane shows the repository's own commit, and the clone is gone when
# the drill ends, by q or by its terminal going away (SIGHUP);
# --no-real-in-clone keeps it simulated and the pane says it was turned
# off. Real git, real libgit2.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

PB=$REWIND_SRCDIR/tests/fixtures/tripwire/clone.json
CLONES=$SCREEN_TMP/t		# the app's $TMPDIR, where clones go
mkdir -p "$CLONES" || exit 99
APP_ENV="TMPDIR=$CLONES"

n_clones() {
	ls "$CLONES" | grep -c '^rewind-drill-'
}

# wait_no_clone SECS: until the drill's clone has been removed.
wait_no_clone() {
	i=0
	while [ "$(n_clones)" -ne 0 ]; do
		[ "$i" -lt $(( $1 * 100 )) ] || fail "the clone was left behind: $(ls "$CLONES")"
		sleep 0.01
		i=$((i + 1))
	done
}

# console NAME [ARGS...]: a fresh drill of the fixture in a 120x30 console.
console() {
	name=$1
	shift
	fresh_server
	start_app -x 120 -y 30 drill "$PB" --session-dir "$SCREEN_TMP/$name" \
		--operator sam "$@"
	wait_text 'q quit' 5
}

# --- no repository: the simulation stands in and says why --------------------------------
console norepo
assert_fixed 'drill: simulated; read-only steps run in a clone: press ? for help'
assert_fixed 'Drill: runs for real in a throwaway clone of the git target'
keys Enter				# run assess.head
wait_text 'Drill: simulated, not run in the clone: no repository at repo'
assert_fixed '0000000 simulated'
grep '"type":"step.started"' "$SCREEN_TMP/norepo/journal.jsonl" |
	grep -q '"clone":"no repository at repo' ||
	fail "the journal does not say why the simulation stood in"

# --- a real repository: the step runs there by default ----------------------------------------
(cd "$APP_DIR" && git init -q repo && cd repo &&
	git -c user.name=Zoë -c user.email=z@example.org \
		commit -q --allow-empty -m "screen fixture commit") || fail "git"
head=$(git -C "$APP_DIR/repo" log -1 --format=%h)
console real
assert_fixed 'Drill: runs for real in a throwaway clone of the git target'
keys Enter
wait_text 'Drill: ran for real in a throwaway clone of the git target'
wait_text "$head screen fixture commit"
refute_fixed '0000000 simulated'
grep '"type":"step.started"' "$SCREEN_TMP/real/journal.jsonl" |
	grep -q '"real_in_clone":true' || fail "the journal has no real run"
keys j					# assess.push: never real, no clone line
refute_fixed 'throwaway clone'
keys Enter
wait_text 'simulated push'
[ "$(n_clones)" -eq 1 ] || fail "not one clone for the session: $(ls "$CLONES")"
keys_nowait q
wait_exit
wait_no_clone 5

# --- the terminal goes away: the drill ends cleanly, the clone with it ------------------------
console hup
keys Enter
wait_text "$head screen fixture commit"
[ "$(n_clones)" -eq 1 ] || fail "no clone while the drill runs"
fresh_server				# SIGHUP to the console
wait_no_clone 5

# --- --no-real-in-clone: simulated, and the pane says it was turned off -----------------------
console off --no-real-in-clone
assert_fixed 'drill: nothing real is run: press ? for help'
assert_fixed 'Drill: simulated (real runs in the clone are turned off)'
keys Enter
wait_text 'Drill: simulated, not run in the clone: real runs in the clone'
assert_fixed '0000000 simulated'
refute_fixed "$head"

run_rewind verify "$SCREEN_TMP/real" >/dev/null 2>&1 || fail "verify the real-run drill"
pass
