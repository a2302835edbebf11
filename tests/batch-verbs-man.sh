#!/bin/sh
# Every verb of the batch grammar (the list rewind gives for an unknown
# action) has its entry in rewind(1)'s BATCH MODE section, and the section
# lists no verb the grammar lacks (predict was missing).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

printf 'no-such-verb\nquit\n' | "$bin" run "$src/playbooks/example.json" --batch \
	--operator sam --session-dir "$tmp/s" >/dev/null 2>"$tmp/err"
grammar=$(sed -n 's/.*unknown action "no-such-verb" (expected one of \(.*\))$/\1/p' \
	"$tmp/err" | tr -d ' ' | tr ',' '\n' | sort)
[ -n "$grammar" ] || { cat "$tmp/err"; echo "FAIL: batch-verbs-man: no verb list"; exit 1; }
# The section's entries: a .B or .BI line right after .TP, its first word.
man=$(awk '/^\.SH BATCH MODE/ { on = 1; next } /^\.SH/ { on = 0 }
	on && tp && /^\.BI? / { w = $2; gsub(/"/, "", w); gsub(/\\/, "", w);
		print w }
	{ tp = on && /^\.TP/ }' "$src/doc/rewind.1" | sort)
for v in $grammar; do
	echo "$man" | grep -qxF "$v" ||
		fail "the grammar's $v has no entry in rewind(1)'s BATCH MODE"
done
for v in $man; do
	echo "$grammar" | grep -qxF "$v" ||
		fail "rewind(1)'s BATCH MODE lists $v, which the grammar lacks"
done
[ "$failed" = 0 ] && echo "PASS: batch-verbs-man: $(echo $grammar | wc -w) verbs"
exit $failed
