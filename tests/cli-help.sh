#!/bin/sh
# rewind --help: every command's and option's words start in the same
# column (28), a usage too long for its column gets a line of its own, and
# no line is wider than 80 columns.
set -u
bin=${REWIND_BIN:-./rewind}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

"$bin" --help >"$tmp/help" 2>&1 || fail "rewind --help exited $?"
awk '
	function bad_line(why) { print "line " NR ": " why ": " $0; bad = 1 }
	length($0) > 80 { bad_line("wider than 80 columns") }
	/^Commands:$/ || /^Options:$/ { in_list = 1; next }
	/^$/ { if (alone) bad_line("a usage alone, with no words under it");
	       in_list = 0; alone = 0; next }
	!in_list { next }
	# a continuation (or the words under a usage alone): 27 blanks, words
	/^                           [^ ]/ { alone = 0; next }
	alone { bad_line("a usage alone, with no words under it") }
	# an entry: the words from column 28, after a blank
	substr($0, 27, 1) == " " && substr($0, 28, 1) ~ /[^ ]/ &&
	    substr($0, 1, 27) ~ /^  [ -]*[^ ]/ { alone = 0; next }
	# a usage too long for its column, alone on its line
	length($0) >= 27 { alone = 1; next }
	{ bad_line("not aligned") }
	END { exit bad }
' "$tmp/help" || { cat "$tmp/help"; fail "rewind --help is misaligned"; }
grep -q '^  check \[--strict\]' "$tmp/help" || fail "the check command is missing"
grep -q '^  import RUNBOOK.md' "$tmp/help" || fail "the import command is missing"
grep -q '^  report SESSION' "$tmp/help" || fail "the report command is missing"
echo "rewind --help: commands and options aligned"
