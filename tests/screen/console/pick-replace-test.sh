#!/bin/sh
# A pick from the Tags (or Registry) tab that would replace the value an
# input step already set asks first, y/N with one key: n keeps the value
# (nothing journalled), y sets it. The first pick, into an input step not
# yet done, asks nothing.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session
journal=$SESSION_DIR/journal.jsonl
var_sets() {	# NAME VALUE: how many var.set of NAME=VALUE were journalled
	grep '"type":"var.set"' "$journal" |
		grep -cF "\"payload\":{\"name\":\"$1\",\"value\":\"$2\"}"
}
start_app -x 100 -y 30 drill "$REWIND_SRCDIR/tests/fixtures/playbooks/screen-pick.json" \
	--scenario three --session-dir "$SESSION_DIR" --operator sam
keys ']' ']' ']' ']' Tab		# the Tags tab, focused
assert_fixed '[Tags]'
keys j Enter				# v1.2.2: the step is not done, no question
assert_fixed 'RESTORE_VERSION set to 1.2.2 from tag v1.2.2'
assert_fixed '[✓] Version to restore'
keys j Enter				# v1.2.1 would replace 1.2.2: asks
assert_fixed 'RESTORE_VERSION (restore) is set to 1.2.2. Replace it with 1.2.1 from'
assert_fixed 'the Tags tab? y/N'
keys n
assert_fixed 'RESTORE_VERSION kept its value'
[ "$(var_sets RESTORE_VERSION 1.2.1)" = 0 ] || fail "n replaced the value"
[ "$(grep -c '"type":"var.set"' "$journal" | tr -d ' ')" -ge 1 ] || fail "no var.set at all"
keys Enter
assert_fixed 'Replace it with 1.2.1 from'
keys y
assert_fixed 'RESTORE_VERSION set to 1.2.1 from tag v1.2.1'
[ "$(var_sets RESTORE_VERSION 1.2.1)" = 1 ] || fail "y did not set 1.2.1"
keys Enter				# the same value again: nothing to ask
refute_fixed 'Replace it with' "picking the value it has asked"
keys_nowait q
wait_exit
pass "a pick that replaces a set input asks first"
