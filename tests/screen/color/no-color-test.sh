#!/bin/sh
# NO_COLOR=1: the console draws no colour at all (no SGR 30-37, 40-47,
# 90-97, 100-107, 38;... or 48;... in `capture-pane -pe`; 39/49, the
# defaults, are fine), yet the cursor line still stands out with reverse
# video or bold, in the checklist and in a dialog's choice list. Without
# NO_COLOR the same screen has colour (so the check can fail).
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

esc=$(printf '\033')

# The parameter lists of every SGR sequence on stdin, one a line.
sgr_params() {
	grep -o "${esc}\[[0-9;:]*m" | sed "s/^${esc}\[//; s/m\$//"
}

# The SGR parameter lists on stdin that set a colour.
colour_sgr() {
	sgr_params | awk -F'[;:]' '{
		for (i = 1; i <= NF; i++) {
			if ($i == "") continue
			p = $i + 0
			if (p == 38 || p == 48 || p == 58 ||
			    (p >= 30 && p <= 37) || (p >= 40 && p <= 47) ||
			    (p >= 90 && p <= 97) || (p >= 100 && p <= 107)) {
				print; next
			}
		}
	}'
}

# Whether the SGR parameter lists on stdin turn on reverse (7) or bold (1).
has_reverse_or_bold() {
	sgr_params | awk -F'[;:]' '{
		for (i = 1; i <= NF; i++) if ($i == "7" || $i == "1") found = 1
	} END { exit !found }'
}

walk_to_screens() {
	start_app drill "$REWIND_SRCDIR/playbooks/example.json" \
		--session-dir "$SCREEN_TMP/$1" --operator sam
	keys Enter j			# run assess.status, cursor on row 5
	capture_color "$1-checklist" >/dev/null
	keys_nowait q
	wait_exit
}

# Colour on: the check is not vacuous.
walk_to_screens colour
[ -n "$(colour_sgr <"$SCREEN_TMP/screens/colour-checklist.ansi")" ] ||
	fail "no colour SGR even without NO_COLOR: the check below proves nothing"

# NO_COLOR=1.
APP_ENV="NO_COLOR=1"
start_app drill "$REWIND_SRCDIR/playbooks/example.json" \
	--session-dir "$SCREEN_TMP/mono" --operator sam
keys Enter j				# run assess.status, cursor on row 5
found=$(screen_text -e | colour_sgr | sort -u)
[ -z "$found" ] || fail "colour SGR with NO_COLOR=1: $(echo "$found" | tr "\n" " ")"
# The cursor row (5) is drawn reverse or bold.
screen_text -e | sed -n 5p | has_reverse_or_bold ||
	fail "the checklist cursor (row 5) is neither reverse nor bold"
row 5 | grep -q '^\[ \] List the most recent release t…' ||
	fail "row 5 is not the second step"

# A dialog with choices: the selected choice stands out too.
keys '>'				# refused (assess not done): no colour either
found=$(screen_text -e | colour_sgr | sort -u)
[ -z "$found" ] || fail "colour SGR in an error status with NO_COLOR=1: $(echo "$found" | tr "\n" " ")"
keys s					# set a variable: a choice list
assert_fixed '▸ SEVERITY'
sel_row=$(screen_text | grep -n '▸ SEVERITY' | cut -d: -f1)
screen_text -e | sed -n "${sel_row}p" | has_reverse_or_bold ||
	fail "the selected choice in the dialog is neither reverse nor bold"
found=$(screen_text -e | colour_sgr | sort -u)
[ -z "$found" ] || fail "colour SGR in a dialog with NO_COLOR=1: $(echo "$found" | tr "\n" " ")"
keys Escape

keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly"
pass "NO_COLOR=1: no colour, cursor still visible"
