#!/bin/sh
# rewind replay --print: the timeline as plain text, one event a line
# (elapsed, wall time, actor, event, step, key=value summary) under three
# heading lines; terminal escapes in journalled text come out visible,
# never raw; --print of a session that does not exist fails with status 2.
# Runs the real binary outside the console (tmux is used only for the
# hermetic environment helpers).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
ESC=$(printf '\033')
{
	grep -v '^#' "$REWIND_SRCDIR/playbooks/example.walk" | sed '/^next$/q'
	printf 'note %s]0;pwned%s\\ red %s[31malert%s[0m\n' "$ESC" "$ESC" "$ESC" "$ESC"
} | run_rewind drill --batch --session-dir "$SESSION_DIR" --operator sam \
	"$REWIND_SRCDIR/playbooks/example.json" >/dev/null 2>&1
J=$SESSION_DIR/journal.jsonl
n=$(wc -l <"$J")
[ "$n" -ge 10 ] || fail "the batch walk wrote only $n events"

run_rewind replay --print "$SESSION_DIR" >"$SCREEN_TMP/print.out" 2>&1 ||
	fail "replay --print failed: $(cat "$SCREEN_TMP/print.out")"
out=$SCREEN_TMP/print.out
[ "$(sed -n 1p "$out")" = "# rewind replay $SESSION_DIR: playbook example-web-rollback, $n events" ] ||
	fail "heading: $(sed -n 1p "$out")"
[ "$(sed -n 2p "$out")" = "# hash chain verified" ] || fail "no verified heading"
[ "$(grep -vc '^#' "$out")" = "$n" ] || fail "not one line per event"
# Every event line has the same columns, in journal order.
types=$(sed -n 's/.*"type":"\([^"]*\)".*/\1/p' "$J" | tr '\n' ' ')
got=$(grep -v '^#' "$out" | awk '{ print $4 }' | tr '\n' ' ')
[ "$types" = "$got" ] || fail "event column: $got (want $types)"
grep -v '^#' "$out" | grep -vq '^ +[0-9][0-9]:[0-9][0-9]:[0-9][0-9]  2026-11-21T19:[0-9][0-9]:[0-9][0-9]Z  ' &&
	fail "a line without the elapsed and wall columns"
grep -q ' var.set  *-  *name=SEVERITY value=P0$' "$out" || fail "no var.set summary"
grep -q ' step.ticked  *assess.ticket  *note=INC-1042 opened$' "$out" ||
	fail "no tick summary"
grep -q ' step.finished  *assess.status  *ok=true exit=0 ' "$out" ||
	fail "no step.finished summary"
# The note's escapes are visible text, never raw bytes.
grep -q "$ESC" "$out" && fail "a raw escape byte reached stdout"
grep 'note.added' "$out" | grep -q 'pwned' || fail "the note text is missing"

run_rewind replay --print "$SCREEN_TMP/nowhere" >/dev/null 2>"$SCREEN_TMP/err.out"
rc=$?
[ "$rc" = 2 ] || fail "--print of a missing session: status $rc"
grep -q 'nowhere/playbook.json' "$SCREEN_TMP/err.out" ||
	fail "the error does not name the file: $(cat "$SCREEN_TMP/err.out")"
pass
