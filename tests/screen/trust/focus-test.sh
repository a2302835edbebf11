#!/bin/sh
# Which pane has the focus shows in every shipped theme and without
# colour (NO_COLOR): the focused pane's title row (the checklist's, or the
# side area's tab row) has a look no other title has. With the checklist
# focused, neither the tab row nor the step pane's title line looks like
# it; after Tab, the tab row has that look and the checklist's title not.
# Looks are read cell by cell from the coloured capture (cells.py).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"
require_cmd python3

cells() { python3 "$REWIND_SRCDIR/tests/screen/trust/cells.py" "$@"; }
pb=$REWIND_SRCDIR/tests/fixtures/playbooks/trust.json

# check NAME ENV [THEME]
check() {
	name=$1
	APP_ENV="$2 REWIND_THEMES_DIR=$REWIND_SRCDIR/themes"
	fresh_server
	if [ $# -ge 3 ]; then
		start_app run "$pb" --theme "$3" -d "$SCREEN_TMP/s-$name" --operator olga
	else
		start_app run "$pb" -d "$SCREEN_TMP/s-$name" --operator olga
	fi
	wait_text 'q quit' 5
	keys g
	a=$(capture_color "$name-steps")
	focus=$(cells "$a" 3 'Checklist')
	tabs=$(cells "$a" 3 '[Step]')
	title=$(cells "$a" 4 'Version to restore' 30)
	[ -n "$focus" ] && [ -n "$tabs" ] && [ -n "$title" ] ||
		fail "$name: the checklist's title, the tab row or the step's title is not on screen"
	[ "$focus" != "$tabs" ] ||
		fail "$name: with the checklist focused the tab row looks the same ($tabs)"
	[ "$focus" != "$title" ] ||
		fail "$name: the step pane's title line looks like a focused title ($title)"
	keys Tab
	b=$(capture_color "$name-side")
	side=$(cells "$b" 3 '[Step]')
	list=$(cells "$b" 3 'Checklist')
	title=$(cells "$b" 4 'Version to restore' 30)
	[ "$side" != "$list" ] ||
		fail "$name: with the side area focused its tab row looks like the checklist's title ($side)"
	[ "$side" != "$title" ] ||
		fail "$name: with the side area focused the step's title looks like its tab row ($side)"
	[ "$list" != "$focus" ] ||
		fail "$name: the checklist's title looks focused after Tab ($list)"
	keys q
	keys_nowait Enter
	wait_exit
}

check no-color 'NO_COLOR=1'
for theme in dark light high-contrast colorblind mono; do
	check "$theme" 'TERM=xterm-256color' "$theme"
done
pass "the focused pane shows in every theme and without colour"
