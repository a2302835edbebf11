#!/bin/sh
# The header's "FROM -> TO" shows the variables the playbook declares
# under "header" (the shipped npm playbook: ROLLBACK_VERSION, the bad
# version, to RESTORE_VERSION), never a guess from variable names: a
# playbook without the declaration shows no versions at all.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
start_app drill "$REWIND_SRCDIR/playbooks/npm-dist-tag-rollback.json" \
	--session-dir "$SESSION_DIR" --operator sam --var ROLLBACK_VERSION=1.2.3
assert_text '^ DRILL .* 1\.2\.3 → \?  [0-9]*m[0-9][0-9]s$' \
	"the header does not show the bad version as FROM"
keys s
keys j Enter				# RESTORE_VERSION
type_text 1.2.2
keys Enter
assert_text '^ DRILL .* 1\.2\.3 → 1\.2\.2  [0-9]*m[0-9][0-9]s$' \
	"the header does not show 1.2.3 → 1.2.2"
keys_nowait q
wait_exit

# The example playbook without its "header": CURRENT_VERSION has a
# default and RESTORE_VERSION is set, yet nothing is guessed.
sed '/^  "header": /d' "$REWIND_SRCDIR/playbooks/example.json" \
	>"$SCREEN_TMP/no-header.json"
grep -q '"header"' "$SCREEN_TMP/no-header.json" && fail "the header was not removed"
fresh_server
SESSION_DIR=$SCREEN_TMP/session2
start_app drill "$SCREEN_TMP/no-header.json" --session-dir "$SESSION_DIR" \
	--operator sam --var RESTORE_VERSION=1.3.2
refute_text '→|1\.4\.0|1\.3\.2' "a playbook without a header declaration shows versions"
assert_text '^ DRILL  TEST MODE  Example' "no header drawn"
keys_nowait q
wait_exit

# ...and with it, the example shows what it declares.
fresh_server
SESSION_DIR=$SCREEN_TMP/session3
start_app drill "$REWIND_SRCDIR/playbooks/example.json" --session-dir "$SESSION_DIR" \
	--operator sam --var RESTORE_VERSION=1.3.2
assert_text '^ DRILL .* 1\.4\.0 → 1\.3\.2  [0-9]*m[0-9][0-9]s' \
	"the example's header does not show CURRENT_VERSION → RESTORE_VERSION"
keys_nowait q
wait_exit
pass "the header's versions come from the playbook's declaration"
