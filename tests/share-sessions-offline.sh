#!/bin/sh
# `rewind sessions REMOTE` and `rewind watch REMOTE#SESSION` when the
# remote cannot be reached (issue 18): a real git daemon on loopback is
# stopped after bob listed the sessions once; the list then shows the copy
# bob fetched, with a warning that says git's failure and when that copy
# was fetched, and exits 0; a remote never fetched still fails with git's
# words; approving still refuses (a sign-off needs the remote).
. "${REWIND_SRCDIR:-.}/tests/lib/sharelib.sh"
mkdir -p "$tmp/alice/work"
ref=refs/rewind/sessions/demo-1
two_checks offline-list "Listed offline" >"$tmp/pb.json"

mkfifo "$tmp/in"
(cd "$tmp/alice/work" && exec env HOME="$tmp/alice/home" \
	XDG_STATE_HOME="$tmp/alice/state" "$bin" drill "$tmp/pb.json" --batch \
	--operator alice --share "$url" --session-dir "$tmp/alice/s/demo-1" \
	<"$tmp/in" >"$tmp/out" 2>"$tmp/err") &
cpid=$!
exec 3>"$tmp/in"
printf 'note alice is at it\n' >&3
wait_for 'published | grep -q "alice is at it"' 20 || exit 1
printf 'note second note\n' >&3
wait_for 'published | grep -q "second note"' 20 || exit 1
"$bin" report "$tmp/alice/s/demo-1" -o "$tmp/report.md" >/dev/null 2>&1 ||
	fail "report failed"
grep -q "^| Shared | to $url: [2-9] publishes, .* to .*; the last held [0-9]* events (head [0-9a-f]\{16\}) |" "$tmp/report.md" ||
	fail "no Shared row in the summary: $(grep -i shar "$tmp/report.md")"
sed -n '/^## Timeline/,/^## /p' "$tmp/report.md" | grep -qi "publish" &&
	fail "publishes are timeline rows: $(grep -i publish "$tmp/report.md")"

as bob sessions "$url" >"$tmp/list1" 2>"$tmp/err1" ||
	fail "sessions REMOTE with the remote up: $(cat "$tmp/err1")"
grep -q "demo-1" "$tmp/list1" || fail "demo-1 not listed: $(cat "$tmp/list1")"
[ -s "$tmp/err1" ] && fail "a warning with the remote up: $(cat "$tmp/err1")"

daemon_stop
as bob sessions "$url" >"$tmp/list2" 2>"$tmp/err2" ||
	fail "sessions REMOTE offline failed though a copy was fetched: $(cat "$tmp/err2")"
grep -q "demo-1" "$tmp/list2" || fail "offline list lost demo-1: $(cat "$tmp/list2")"
grep -q "^rewind: warning: fetching from $url: .*: showing the copy of $url last fetched at [0-9][0-9]:[0-9][0-9]:[0-9][0-9]" "$tmp/err2" ||
	fail "no warning naming the failure and the copy's time: $(cat "$tmp/err2")"

# carol never fetched: nothing to show, git's words, exit non-zero.
as carol sessions "$url" >"$tmp/list3" 2>"$tmp/err3" &&
	fail "sessions REMOTE offline with no copy exited 0: $(cat "$tmp/list3")"
grep -q "fetching from $url" "$tmp/err3" || fail "carol's error: $(cat "$tmp/err3")"
grep -q "showing the copy" "$tmp/err3" && fail "carol was shown a copy she never fetched"

# A sign-off is never made against a stale copy.
as bob approve "$url#demo-1" e.do --role lead --as bob --yes </dev/null \
	>"$tmp/ap" 2>&1 && fail "approve worked with the remote down: $(cat "$tmp/ap")"
grep -q "showing the copy" "$tmp/ap" && fail "approve used the stale copy: $(cat "$tmp/ap")"
exit $failed
