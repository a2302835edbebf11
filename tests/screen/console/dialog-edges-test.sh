#!/bin/sh
# Every dialog (input, n/a, message preview, approval, typed confirmation)
# blanks its rows across the whole screen: with long lines of double-width
# characters (CJK, emoji) in the Output tab and long titles in the
# checklist underneath, no fragment of them shows beside the box, at even
# and odd widths from 80 to 200 columns.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

SESSION_DIR=$SCREEN_TMP/session

# box_x WIDTH WIDE: the column where the dialog's box starts on a screen
# WIDTH columns wide (WIDE=1: a dialog that takes the terminal's width).
box_x() {
	bw=$(($1 - 4))
	[ "$2" = 1 ] || [ "$bw" -lt 76 ] || bw=76
	echo $((($1 - bw) / 2))
}

# band_clean WIDTH WIDE TITLE ROWS: the ROWS rows from the one holding
# TITLE show nothing left of the box and nothing right of it.
band_clean() {
	x0=$(box_x "$1" "$2")
	bw=$(($1 - 2 * x0))
	top=$(screen_text | grep -nF -- "$3" | head -1 | cut -d: -f1)
	[ -n "$top" ] || fail "at $1 columns the dialog '$3' is not on screen"
	screen_text | sed -n "${top},$((top + $4 - 1))p" >"$SCREEN_TMP/band"
	n=0
	while IFS= read -r line; do
		n=$((n + 1))
		left=$(printf '%s' "$line" | cut -c1-"$x0")
		[ -z "$(printf '%s' "$left" | tr -d ' ')" ] ||
			soft_fail "at $1 columns, row $n of '$3' shows '$left' left of the box"
		wide=$(printf '%s' "$line" | wc -L)
		[ "$wide" -le $((x0 + bw)) ] ||
			soft_fail "at $1 columns, row $n of '$3' runs to column $wide, past the box's edge at $((x0 + bw)): '$line'"
	done <"$SCREEN_TMP/band"
}

# na_exact WIDTH: the n/a dialog's seven rows are exactly the box's text.
na_exact() {
	x0=$(box_x "$1" 0)
	pad=$(printf '%*s' "$x0" '')
	printf '%s\n' "$pad Not applicable" "$pad  Why does this step not apply?" \
		'' "$pad  _" '' '' '' >"$SCREEN_TMP/na.want"
	top=$(screen_text | grep -n 'Not applicable$' | head -1 | cut -d: -f1)
	[ -n "$top" ] || fail "at $1 columns the n/a dialog is not on screen"
	screen_text | sed -n "${top},$((top + 6))p" >"$SCREEN_TMP/na.got"
	diff -u "$SCREEN_TMP/na.want" "$SCREEN_TMP/na.got" >"$SCREEN_TMP/na.diff" ||
		{ cat "$SCREEN_TMP/na.diff"; soft_fail "at $1 columns the n/a dialog's rows are not the box's text alone"; }
}

start_app run "$REWIND_SRCDIR/tests/fixtures/playbooks/screen-wide.json" \
	--session-dir "$SESSION_DIR" --operator sam
keys Enter
wait_text 'a.wide done'
keys j Enter			# RESTORE_VERSION: the confirmation names it
keys Enter			# (once its dialog is drawn: type-ahead is dropped)
wait_text '\[✓\] 版を選ぶ'
keys ']'
wait_text '29 漢字かなカナ'

for width in 80 81 120 121 200 163; do
	resize "$width" 24
	keys g j Enter
	band_clean "$width" 0 'Version to restore' 7
	keys Escape
	keys j x		# an open step (a done one is refused at once)
	wait_text 'Not applicable$|Mark required step'
	screen_text | grep -q 'Mark required step' && keys y
	na_exact "$width"
	band_clean "$width" 0 'Not applicable' 7
	keys Escape
	keys j Enter
	band_clean "$width" 1 'Send: ' 7
	keys Escape
	keys j a
	band_clean "$width" 0 'Approve' 7
	keys Escape
	keys j Enter
	band_clean "$width" 1 'Confirm: ' 7
	keys Escape
done
[ -z "$_screen_mismatches" ] || fail "a dialog leaves fragments of the screen beside it:$_screen_mismatches"
pass "dialogs blank their rows across the screen at every width"
