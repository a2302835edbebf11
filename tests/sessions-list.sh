#!/bin/sh
# rewind sessions as a reviewer uses it: the state folder's sessions, the
# most recently active first, each in its true state: completed, quit
# (resumable), running (a console holds it), interrupted (its console
# died), unreadable; outside text never reaches the terminal raw; JSON for
# scripts; an empty or missing folder says so.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

root="$XDG_STATE_HOME/rewind/sessions"
"$bin" sessions >"$tmp/empty" 2>&1 || fail "sessions on no folder exited $?"
grep -q "^no sessions in $root\$" "$tmp/empty" || fail "no folder: $(cat "$tmp/empty")"

walk() {	# NAME OPERATOR: the example drill walked to completion
	"$bin" drill "$src/playbooks/example.json" --batch --operator "$2" \
		--session-dir "$root/$1" <"$src/playbooks/example.walk" \
		>/dev/null 2>&1 || fail "walk $1 exited $?"
}
walk done-1 sam
# Quit half-way: the journal ends in session.quit.
printf 'quit\n' | "$bin" drill "$src/playbooks/example.json" --batch \
	--operator ana --session-dir "$root/quit-1" >/dev/null 2>&1
tail -n 1 "$root/quit-1/journal.jsonl" | grep -q '"session.quit"' ||
	fail "quit-1 does not end in session.quit"
# A console died: a completed walk whose journal lost its tail events.
walk died-1 lee
n=$(grep -n '"session.completed"' "$root/died-1/journal.jsonl" | cut -d: -f1)
head -n $((n - 1)) "$root/died-1/journal.jsonl" >"$tmp/j" &&
	cat "$tmp/j" >"$root/died-1/journal.jsonl"
# A console holds it: the lock is taken as a running console takes it.
printf 'quit\n' | "$bin" drill "$src/playbooks/example.json" --batch \
	--operator kim --session-dir "$root/live-1" >/dev/null 2>&1
# A completed drill whose console is still open (on its score card): it
# is completed, not running.
walk open-1 kim
flock -x "$root/live-1/session.lock" sleep 30 &
holder=$!
flock -x "$root/open-1/session.lock" sleep 30 &
holder2=$!
trap 'kill $holder $holder2 2>/dev/null; rm -rf "$tmp"' EXIT
for d in live-1 open-1; do
	i=0
	while flock -n -s "$root/$d/session.lock" true; do
		i=$((i + 1)); [ $i -lt 200 ] || { fail "the lock was never taken"; break; }
		sleep 0.05
	done
done
# Not a session: no journal. Unreadable: its first line is no event.
mkdir -p "$root/notes" "$root/torn-1"
printf 'garbage\n' >"$root/torn-1/journal.jsonl"
# Outside text: a journal whose operator name holds an escape sequence
# (rewind refuses such a name; a journal edited by hand may hold one).
walk esc-1 eve
sed -i '1s/"operator":"eve"/"operator":"eve\\u001b[31m"/' "$root/esc-1/journal.jsonl"

"$bin" sessions >"$tmp/out" 2>"$tmp/err" || fail "sessions exited $?"
kill $holder $holder2 2>/dev/null
state_of() { awk -v s="$1" '$1 == s' "$tmp/out"; }
state_of done-1 | grep -q ' completed ' || fail "done-1: $(state_of done-1)"
state_of quit-1 | grep -q ' quit ' || fail "quit-1: $(state_of quit-1)"
state_of died-1 | grep -q ' interrupted ' || fail "died-1: $(state_of died-1)"
state_of live-1 | grep -q ' running ' || fail "live-1: $(state_of live-1)"
state_of open-1 | grep -q ' completed ' || fail "open-1: $(state_of open-1)"
state_of torn-1 | grep -q ' unreadable ' || fail "torn-1: $(state_of torn-1)"
grep -q "^torn-1: unreadable: the journal's first line is not an event\$" "$tmp/out" ||
	fail "no reason for torn-1"
state_of done-1 | grep -q ' drill  *example-web-rollback  *sam ' ||
	fail "done-1 lacks mode, playbook or commander: $(state_of done-1)"
state_of done-1 | grep -q ' communicate ' || fail "done-1 phase: $(state_of done-1)"
grep -q '^notes ' "$tmp/out" && fail "a folder without a journal is listed"
grep -q "$(printf '\033')" "$tmp/out" && fail "an escape reached the terminal"
grep -q 'eve^\[\[31m' "$tmp/out" || fail "the escaped name is not shown visibly"
head -n 1 "$tmp/out" | grep -q '^SESSION  *MODE  *PLAYBOOK  *COMMANDER  *PHASE  *STATE  *LAST ACTIVITY$' ||
	fail "heading: $(head -n 1 "$tmp/out")"
grep -q '[0-9]:[0-9][0-9] UTC (just now)' "$tmp/out" || fail "times lack zone or age"
tail -n 1 "$tmp/out" | grep -q '^7 sessions in ' || fail "summary: $(tail -n 1 "$tmp/out")"
# Most recently active first: esc-1 was walked last.
[ "$(sed -n 2p "$tmp/out" | cut -d' ' -f1)" = esc-1 ] ||
	fail "not newest first: $(sed -n 2p "$tmp/out")"

# Closed terminal: a quit on SIGHUP is no q.
sed -i '$s/"how":"quit"/"how":"SIGHUP"/' "$root/quit-1/journal.jsonl"
# A session kept elsewhere (--session-dir) is listed by its path.
walk_to() { "$bin" drill "$src/playbooks/example.json" --batch --operator "$2" \
	--session-dir "$1" <"$src/playbooks/example.walk" >/dev/null 2>&1; }
walk_to "$tmp/incidents/2026-12-06" ivy || fail "walk elsewhere exited $?"
"$bin" sessions >"$tmp/out2" || fail "sessions exited $?"
awk -v s="$tmp/incidents/2026-12-06" '$1 == s' "$tmp/out2" | grep -q ' ivy ' ||
	fail "the session kept elsewhere is not listed: $(cat "$tmp/out2")"
# The summary names the folders actually listed: the state folder holds
# 7 of them, the eighth is kept elsewhere.
tail -n 1 "$tmp/out2" | grep -q "^8 sessions: 7 in $root, 1 kept elsewhere (made with --session-dir" ||
	fail "the summary does not say one is kept elsewhere: $(tail -n 1 "$tmp/out2")"
"$bin" sessions "$tmp/incidents/2026-12-06" >"$tmp/out3" || fail "sessions DIR exited $?"
tail -n 1 "$tmp/out3" | grep -q "^The session in $tmp/incidents/2026-12-06\." ||
	fail "a session's directory listed is not named as such: $(tail -n 1 "$tmp/out3")"
awk '$1 == "quit-1"' "$tmp/out2" | grep -q ' interrupted (SIGHUP) ' ||
	fail "a closed terminal reads: $(awk '$1 == "quit-1"' "$tmp/out2")"
# Names serve for directories: a unique start, the whole name; two that
# begin alike are refused, naming them.
(cd "$tmp" && "$bin" verify done) >"$tmp/v" 2>&1 || fail "verify done: $(cat "$tmp/v")"
grep -q "$root/done-1/journal.jsonl: intact" "$tmp/v" || fail "verify done: $(cat "$tmp/v")"
(cd "$tmp" && "$bin" replay --print quit-1) >/dev/null 2>&1 || fail "replay by name"
(cd "$tmp" && "$bin" report live-1) >/dev/null 2>&1 || fail "report by name"
(cd "$tmp" && "$bin" verify 2026-12-06) >"$tmp/v" 2>&1 ||
	fail "a session kept elsewhere is not found by its folder's name: $(cat "$tmp/v")"
grep -q "$tmp/incidents/2026-12-06/journal.jsonl: intact" "$tmp/v" || fail "elsewhere by name: $(cat "$tmp/v")"
# Only to read: resuming takes the whole name (a mistyped playbook must
# never resume a session that happens to begin so).
n1=$(wc -l <"$root/done-1/journal.jsonl")
(cd "$tmp" && "$bin" drill done --batch --operator sam </dev/null) >/dev/null 2>&1 &&
	fail "the start of a name resumed a session"
[ "$(wc -l <"$root/done-1/journal.jsonl")" = "$n1" ] || fail "done-1 was resumed by the start of its name"
walk done-2 sam
(cd "$tmp" && "$bin" verify done) >"$tmp/v" 2>&1 && fail "an ambiguous name was taken"
grep -q "done: 2 sessions in .* begin so (done-.*, done-.*): give more of the name" "$tmp/v" ||
	fail "ambiguous: $(cat "$tmp/v")"
"$bin" sessions "$tmp/nowhere" >"$tmp/v" 2>&1 && fail "a missing folder exited 0"
grep -q "nowhere: No such file or directory" "$tmp/v" || fail "missing: $(cat "$tmp/v")"
"$bin" sessions "$root/done-1" | grep -q '^done-1 ' || fail "a session folder given is not listed"

"$bin" sessions --format json "$root" >"$tmp/json" || fail "json exited $?"
grep -q '"last_us": *[0-9]*[.e]' "$tmp/json" && fail "a time is no integer"
python3 - "$tmp/json" <<'EOF' || fail "json does not say the same"
import json, sys
rows = {r["session"]: r for r in json.load(open(sys.argv[1]))}
assert rows["done-1"]["state"] == "completed", rows["done-1"]
assert rows["done-1"]["operator"] == "sam" and rows["done-1"]["mode"] == "drill"
assert rows["quit-1"]["state"] == "interrupted" and rows["quit-1"]["how"] == "SIGHUP"
assert rows["torn-1"]["state"] == "unreadable" and rows["torn-1"]["why"]
assert rows["done-1"]["events"] > 10
EOF
"$bin" sessions --format yaml >/dev/null 2>&1 && fail "a bad format was taken"
"$bin" sessions a b >/dev/null 2>&1 && fail "two folders were taken"
exit $failed
