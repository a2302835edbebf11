#!/bin/sh
# A message sent again never replaces its first copy, and the second copy
# keeps its extension: notice.md, then notice-2.md (never notice.md-2);
# the journal's delivery names the path written.
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
S=$tmp/s
printf '%s\n' 'set VERSION 1.2.3' 'run a.wide' 'confirm a.tag 1.2.3' 'run a.tag' \
	'choose a.route a route a only' 'tick a.look' next next \
	'approve p.sign "Release Manager" bob' next 'run e.move' \
	'send e.notice' 'send e.notice' |
	(cd "$tmp" && "$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$S" >"$tmp/walk.out" 2>"$tmp/walk.err")
[ -f "$S/messages/notice.md" ] ||
	{ cat "$tmp/walk.err"; fail "the first copy was not written"; exit 1; }
[ -f "$S/messages/notice-2.md" ] ||
	fail "the second copy is not notice-2.md: $(ls "$S/messages")"
[ ! -e "$S/messages/notice.md-2" ] || fail "the second copy lost its extension"
grep '"step":"e.notice"' "$S/journal.jsonl" | grep -q '"path":"messages/notice-2.md"' ||
	fail "the journal does not name the path written"
exit $failed
