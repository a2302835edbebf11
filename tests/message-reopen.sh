#!/bin/sh
# A message already sent is reopened when a value its text uses changes
# (the restore version, after the team was told another one): the sent
# file keeps what was sent, and the step is to do again, with its reason.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(cd "$src" && pwd) ;; esac
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state" TZ=UTC
S=$tmp/s
sed '/^tick communicate.postmortem/,$d' "$src/playbooks/example.walk" >"$tmp/walk"
echo "set RESTORE_VERSION 1.3.1" >>"$tmp/walk"
(cd "$tmp" && "$bin" drill "$src/playbooks/example.json" --batch \
	--operator sam --session-dir "$S" <"$tmp/walk" >"$tmp/out" 2>&1)
J=$S/journal.jsonl
grep '"type":"step.reopened"' "$J" | grep -q '"step":"communicate.team".*it was sent with other values' ||
	fail "the sent message was not reopened: $(grep -c step.reopened "$J") reopened; $(tail -n 3 "$tmp/out")"
sent=$(ls "$S"/messages/* 2>/dev/null | head -n 1)
[ -n "$sent" ] && grep -q -- "-> 1.3.2" "$sent" ||
	fail "the sent message's file does not keep what was sent: $(cat "$sent" 2>/dev/null)"
exit $failed
