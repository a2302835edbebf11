#!/bin/sh
# Every shipped theme (themes/*.theme: dark, light, high-contrast,
# colorblind, mono) on a 256-colour terminal (TERM=xterm-256color) and on
# an 8-colour one (TERM=xterm): the console comes up with its full frame
# (header, phase rail, checklist, key bar), shows no theme warning, and
# draws the colours the terminal can show (no 256-colour SGR on the
# 8-colour terminal, no colour at all with mono). Then a malformed theme
# file given as a path: a "file:line" warning in the status bar, and the
# console still comes up, coloured exactly as with the default theme.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

themes_dir=$REWIND_SRCDIR/themes
esc=$(printf '\033')
pb=$REWIND_SRCDIR/playbooks/example.json

# The parameter lists of the SGR sequences on stdin that set a colour,
# one a line; with -256, only the 256-colour or RGB ones (38;..., 48;...).
colour_sgr() {
	grep -o "${esc}\[[0-9;:]*m" | sed "s/^${esc}\[//; s/m\$//" |
	awk -F'[;:]' -v only256="${1:-}" '{
		for (i = 1; i <= NF; i++) {
			if ($i == "") continue
			p = $i + 0
			if (p == 38 || p == 48 ||
			    (only256 == "" && ((p >= 30 && p <= 37) ||
			     (p >= 40 && p <= 47) || (p >= 90 && p <= 97) ||
			     (p >= 100 && p <= 107)))) {
				print; next
			}
		}
	}'
}

# open_console NAME TERM [THEME]: start the console on TERM with THEME
# (none: the default), wait for its first full frame, and save the
# coloured screen as NAME.ansi.
open_console() {
	name=$1
	APP_ENV="TERM=$2 REWIND_THEMES_DIR=$themes_dir"
	fresh_server
	if [ $# -ge 3 ]; then
		start_app drill "$pb" --theme "$3" -d "$SCREEN_TMP/s-$name"
	else
		start_app drill "$pb" -d "$SCREEN_TMP/s-$name"
	fi
	wait_text 'q quit' 5
	capture_color "$name" >/dev/null
}

# expect_frame NAME: the header, the phase rail, the checklist and the key
# bar are all on screen.
expect_frame() {
	row 1 | grep -q '^ DRILL .*RTO$' || fail "$1: no header on row 1: $(row 1)"
	row 2 | grep -q '▶ assess .*decide .*approve .*execute .*verify .*communicate' ||
		fail "$1: no phase rail on row 2: $(row 2)"
	row 3 | grep -q 'Checklist: assess' || fail "$1: no checklist title on row 3"
	row 4 | grep -q '^\[ \] See what is deployed' || fail "$1: no first step on row 4"
	row 24 | grep -q 'Enter act.*? help.*q quit' || fail "$1: no key bar on row 24: $(row 24)"
}

# no_theme_warning NAME: nothing about a theme in the status bar.
no_theme_warning() {
	screen_text | grep -qiE 'theme|\.theme:[0-9]|not found' &&
		fail "$1: a theme warning on screen: $(screen_text | grep -iE 'theme|not found')"
	return 0
}

# rows 2-21 of NAME.ansi: the screen below the header (whose clock ticks)
# and above the status bar and the key bar.
body() {
	sed -n 2,21p "$SCREEN_TMP/screens/$1.ansi"
}

for theme in dark light high-contrast colorblind mono; do
	[ -f "$themes_dir/$theme.theme" ] || fail "no $theme.theme in themes/"
done
for term in xterm-256color xterm; do
	open_console "default-$term" "$term"
	expect_frame "default on $term"
	for f in "$themes_dir"/*.theme; do
		theme=$(basename "$f" .theme)
		name=$theme-$term
		open_console "$name" "$term" "$theme"
		expect_frame "$theme on $term"
		no_theme_warning "$theme on $term"
		sgr=$(colour_sgr <"$SCREEN_TMP/screens/$name.ansi" | sort -u)
		case $theme in
		mono)
			[ -z "$sgr" ] ||
				fail "mono on $term draws colour: $(echo "$sgr" | tr '\n' ' ')" ;;
		*)
			[ -n "$sgr" ] || fail "$theme on $term draws no colour at all" ;;
		esac
		if [ "$term" = xterm ]; then
			wide=$(colour_sgr -256 <"$SCREEN_TMP/screens/$name.ansi" | sort -u)
			[ -z "$wide" ] || fail "$theme on the 8-colour terminal uses" \
				"256-colour SGR: $(echo "$wide" | tr '\n' ' ')"
		fi
		note "$theme on $term: full frame, no warning"
	done
	# The themes are really applied: light is not the default's colours.
	[ "$(body "light-$term")" != "$(body "default-$term")" ] ||
		fail "light on $term looks exactly like the default theme"
done
# On the 256-colour terminal at least one theme uses more than 8 colours,
# so the 8-colour check above is not vacuous.
cat "$SCREEN_TMP"/screens/*-xterm-256color.ansi | colour_sgr -256 | grep -q . ||
	fail "no theme uses 256-colour SGR on xterm-256color"

# --- a malformed theme file ------------------------------------------------------
bad=$SCREEN_TMP/bad.theme
cat >"$bad" <<'THEME'
# every line below is wrong, so nothing of the default changes
bogus_role      red      blue
title           nocolour default
header
THEME
open_console bad-xterm-256color xterm-256color "$bad"
expect_frame "malformed theme"
wait_text 'bad\.theme:2: unknown role "bogus_role" \(\+2 more\)' 5
[ "$(body bad-xterm-256color)" = "$(body default-xterm-256color)" ] || {
	diff "$SCREEN_TMP/screens/default-xterm-256color.ansi" \
		"$SCREEN_TMP/screens/bad-xterm-256color.ansi" | cat -v | head -20
	fail "with the malformed theme the console is not in the default colours"
}
keys_nowait q
wait_exit
[ "$APP_EXIT" = 0 ] || fail "q did not exit cleanly after the malformed theme"
pass "5 themes x 2 terminals drew their full frame;" \
	"malformed theme: file:line warning, default colours"
