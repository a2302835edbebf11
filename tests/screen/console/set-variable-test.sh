#!/bin/sh
# s sets a variable by name: a list of every variable of the playbook with
# its value now and its default (scrolled to fit 80x24), then the value,
# checked against the variable's pattern as typed (the pattern shown as
# the author wrote it, one backslash), journalled as var.set.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app drill "$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" \
	--session-dir "$SESSION_DIR" --operator sam --var CHANNEL=beta
n0=$(journal_count var.set)
keys s
assert_fixed 'Set a variable'
assert_text '▸ ROLLBACK_VERSION +\(unset\)' "the list does not show the value now"
assert_text ' CHANNEL +beta' "the list does not show CHANNEL's value"
keys k					# wraps to the last variable
assert_text '▸ NPM_CONFIG_REGISTRY +\(unset\)' "the list does not scroll to its last line"
keys k k k k k k k
assert_text '▸ DEPRECATION_MESSAGE +\(unset\) +default This version has' \
	"the list does not show the default"
keys Escape
[ "$(journal_count var.set)" = "$n0" ] || fail "Esc journalled something"

keys s
keys j Enter				# RESTORE_VERSION
assert_fixed 'Must match: [0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?'
type_text v1.2.2
assert_fixed '"v1.2.2" does not match the pattern above: leave out the leading v'
keys Enter				# refused: the dialog stays
assert_fixed 'Must match:'
keys C-u
type_text 1.2.2
refute_fixed 'does not match'
keys Enter
refute_fixed 'Must match:' "the dialog stayed open"
refute_fixed 'missing argument'
assert_fixed 'RESTORE_VERSION set'
[ "$(grep '"type":"var.set"' "$SESSION_DIR/journal.jsonl" |
     grep -c '"name":"RESTORE_VERSION","value":"1.2.2"')" = 1 ] ||
	fail "no var.set of RESTORE_VERSION=1.2.2 in the journal"

keys s
keys j
assert_text '▸ RESTORE_VERSION +1\.2\.2' "the list does not show the new value"
keys Escape
keys_nowait q
wait_exit
pass "s sets a variable, listed with its value and default"
