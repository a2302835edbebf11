#!/bin/sh
# A value that does not match its variable's pattern is refused with where
# it goes wrong: the first character no value like the default can have
# there, by place and character, or that it ends too soon; without a
# default, the old words (the value and the pattern as written).
. "${REWIND_SRCDIR:-.}/tests/lib/batchlib.sh"

printf '%s\n' 'set RELEASE 1.2.x' 'set RELEASE 1.2' 'set RELEASE 1..3' 'set VERSION 1.2.x' |
	"$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch \
		--operator olga --session-dir "$tmp/s" >"$tmp/out" 2>"$tmp/err"
grep -qF "stdin:1: set RELEASE: variable RELEASE: value \"1.2.x\": character 5 'x' is not allowed here; expected like 1.2.3" "$tmp/err" ||
	fail "the bad character is not named: $(sed -n 1p "$tmp/err")"
grep -qF 'stdin:2: set RELEASE: variable RELEASE: value "1.2" ends too soon; expected like 1.2.3' "$tmp/err" ||
	fail "a value cut short is not said so: $(sed -n 2p "$tmp/err")"
grep -qF "value \"1..3\": character 3 '.' is not allowed here" "$tmp/err" ||
	fail "the second dot is not named: $(sed -n 3p "$tmp/err")"
grep -qF 'stdin:4: set VERSION: variable VERSION: value "1.2.x" does not match pattern "[0-9]+\.[0-9]+\.[0-9]+"' "$tmp/err" ||
	fail "without a default the pattern is not shown: $(sed -n 4p "$tmp/err")"
"$bin" run "$src/tests/fixtures/playbooks/trust.json" --batch --operator olga \
	--session-dir "$tmp/s2" --var RELEASE=1.2.x </dev/null >"$tmp/out2" 2>"$tmp/err2"
grep -qF "character 5 'x' is not allowed here; expected like 1.2.3" "$tmp/err2" ||
	fail "--var does not name the bad character: $(cat "$tmp/err2")"
exit $failed
