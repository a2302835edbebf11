#!/bin/sh
# A second machine follows a shared session (a real git daemon on
# loopback, the commander and the watcher with their own HOME and working
# folder): rewind sessions REMOTE lists it (playbook, commander, phase,
# open); rewind watch REMOTE#SESSION shows it in the watch console, read-
# only (named by the start of its id too), and shows what the commander
# does within seconds of its publish;
# approving from the published copy is refused.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
. "$REWIND_SRCDIR/tests/screen/lib/remotecmdr.sh"

# This machine lists what the remote holds.
run_rewind sessions "$url" >"$SCREEN_TMP/list" 2>&1 || fail "sessions REMOTE: $(cat "$SCREEN_TMP/list")"
grep -Eq '^demo-1 +drill +example-web-rollback +alice +assess +open ' "$SCREEN_TMP/list" ||
	fail "sessions REMOTE: $(cat "$SCREEN_TMP/list")"
grep -q "rewind watch $url#SESSION" "$SCREEN_TMP/list" || fail "no hint to watch: $(cat "$SCREEN_TMP/list")"

# A name nobody published is said so, and the watch does not start.
run_rewind watch "$url#nobody-1" >"$SCREEN_TMP/nobody" 2>&1 && fail "watch of an unpublished session started"
grep -q "nobody-1: no session of that name is published to $url" "$SCREEN_TMP/nobody" ||
	fail "watch of an unpublished session: $(cat "$SCREEN_TMP/nobody")"

# And follows it, named by the start of its id as a local watch may be.
start_app -x 160 watch "$url#demo"
wait_text 'WATCH DRILL' 10
wait_text "remote git://127\.0\.0\.1:$DAEMON_PORT/team\.git: fetched" 10
echo "note second update from alice" >&3
wait_for 'published | grep -q "second update from alice"' 20
t0=$(date +%s)
wait_text 'alice added a note' 10
t1=$(date +%s)
[ $((t1 - t0)) -le 5 ] || fail "the publish took $((t1 - t0)) s to show"
note "shown $((t1 - t0)) s after its publish"

# Read-only: approving from a published copy is refused, nothing written.
# An offer of the hand-over shows in the watcher's header.
echo "handover bob" >&3
wait_text 'handover offered to bob; remote git://' 15

copy=$(ls -d "$SCREEN_TMP"/home/.cache/rewind/remotes/*.sessions/demo-1)
[ -f "$copy/journal.jsonl" ] || fail "no copy of the published session in the cache"
before=$(wc -l <"$copy/journal.jsonl")
keys a
wait_text 'read-only; approve where the session runs' 5
after=$(wc -l <"$copy/journal.jsonl")
[ "$before" = "$after" ] || fail "the watcher wrote into the published copy"
echo quit >&3
exec 3>&-
wait "$cmdr"
cmdr=

# Once the commander's quit is published, the watch stops looking live:
# NO CONSOLE, and the clock stands still at the quit.
wait_text 'WATCH: NO CONSOLE' 20
assert_text 'no console is driving this session since'
clk=$(row 1 | grep -oE '[0-9]+m[0-9]{2}s of [0-9]+m RTO')
[ -n "$clk" ] || fail "no clock in the header: $(row 1)"
t0=$(date +%s)
wait_for '[ $(($(date +%s) - t0)) -ge 3 ]' 10
row 1 | grep -qF "$clk" || fail "the clock of a quit session went on: was $clk, now $(row 1)"
pass "sessions REMOTE lists the shared session; watch REMOTE#SESSION follows it within seconds of a publish, read-only, and stops its clock once the commander quit"
