#!/bin/sh
# The side area's tab row shows every tab: at 80 columns the shown tab is
# named in full and the others short (Registry no longer falls off the
# row); narrower still, the row is cut at the side away from the shown
# tab with a sign there (› or ‹), the shown tab always in view.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

tabs() { row 3 | sed 's/^[^│]*│//'; }

start_app -x 80 -y 24 drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SCREEN_TMP/s" --operator olga
wait_text 'q quit' 5
[ "$(tabs)" = '[Step]  Out   Jrnl   Tgt   Tags   Reg' ] ||
	fail "the 80-column tab row does not show every tab: '$(tabs)'"
keys ']' ']' ']' ']' ']'		# to the last tab: Registry
[ "$(tabs)" = ' Step   Out   Jrnl   Tgt   Tags  [Registry]' ] ||
	fail "the Registry tab is not shown whole at 80 columns: '$(tabs)'"
keys ']'				# round to Step again
assert_fixed '[Step]'

resize 64 24				# too narrow for every short name
case $(tabs) in '[Step]'*'›') ;; *) fail "no › where the tab row is cut: '$(tabs)'" ;; esac
keys '['				# back round to Registry
case $(tabs) in '‹'*'[Reg]') ;; *) fail "the shown Registry tab or the ‹ sign is missing: '$(tabs)'" ;; esac
keys_nowait q
wait_exit
pass "the tab row shows every tab, or says where it is cut"
