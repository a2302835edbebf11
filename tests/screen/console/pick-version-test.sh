#!/bin/sh
# Picking a version into the selected input step works from both tabs:
# Enter in the Tags tab drops a leading v the variable's pattern has no
# room for (and says so), Enter in the Registry tab picks the selected
# version; nothing is ever added (a version without its v is refused for
# a pattern that wants one, with the pattern shown as written). The help
# lists the pick key under both tabs.
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
assert_text '│ +v1\.2\.1$'
assert_text ' Enter pick '
keys j Enter				# v1.2.2 into RESTORE_VERSION
assert_fixed 'RESTORE_VERSION set to 1.2.2 from tag v1.2.2 (v dropped: the pattern has none)'
[ "$(var_sets RESTORE_VERSION 1.2.2)" = 1 ] || fail "no var.set RESTORE_VERSION=1.2.2"
assert_fixed '[✓] Version to restore'

keys ']'				# the Registry tab, focused
assert_fixed '[Registry]'
assert_text ' Enter pick '
keys j j Enter				# the third version, newest first: 1.2.1
assert_fixed 'Replace it with 1.2.1 from'	# it was set: asks
keys y
assert_fixed 'RESTORE_VERSION set to 1.2.1 from the Registry tab'
[ "$(var_sets RESTORE_VERSION 1.2.1)" = 1 ] || fail "no var.set RESTORE_VERSION=1.2.1"
assert_text '│ +1\.2\.1 .*RESTORE$'

# BAD_TAG wants the v: a registry version is refused, not completed.
keys Tab j Tab				# select the BAD_TAG step, back to Registry
assert_fixed '[Registry]'
keys Enter
assert_fixed 'variable BAD_TAG: value "1.2.1" does not match pattern "v[0-9]+\.[0-9]+\.[0-9]+"'
[ "$(grep -c '"name":"BAD_TAG"' "$journal")" = 0 ] || fail "BAD_TAG was set from a registry version"
keys '[' j Enter			# the Tags tab: v1.2.1 goes in as it is
assert_fixed 'BAD_TAG set to v1.2.1 from the Tags tab'
[ "$(var_sets BAD_TAG v1.2.1)" = 1 ] || fail "no var.set BAD_TAG=v1.2.1"

keys '?' C-d C-d C-d C-d		# the end of the help
assert_text '^ Tags$' "the help has no Tags heading"
assert_text '^ Registry$' "the help has no Registry heading"
assert_text "^   Enter +Set the selected input step's variable to this version" \
	"the help does not list the Registry tab's pick"
keys '?'
keys_nowait q
wait_exit
pass "a version is picked from the Tags and the Registry tab"
