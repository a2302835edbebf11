#!/bin/sh
# A command's own colours survive, re-rendered by the console: in a LIVE
# run, a step prints SGR red, bold, underline, reverse, 256-colour,
# truecolor and backgrounds mixed with hostile sequences (cursor moves, a
# clear, an OSC title, DCS, absurd and truncated SGR) and wide and
# combining characters (tests/fixtures/bin/print-colours). The Output tab
# and the Step tab's output tail show the colours as attributes (read back
# with `capture-pane -e`), no SGR byte as text, the hostile sequences as
# visible text, and an intact screen; the search finds a word split by SGR
# and highlights its line in one style; the replay shows the same; with
# NO_COLOR=1 the same text has bold, underline and reverse but no colour.
. "${REWIND_SRCDIR:-.}/tests/screen/lib/libscreen.sh"

esc=$(printf '\033')
PLAYBOOK=$REWIND_SRCDIR/tests/fixtures/playbooks/screen-sgr.json

# style_at ROW WORD: the SGR state tmux reports for the first character of
# WORD after the pane border on ROW: "fg=F bg=B attrs=A", F and B as tmux
# writes them (31, 38;5;208, 39 = default...), A the attribute codes on.
style_at() {
	screen_text -e | sed -n "${1}p" | awk -v word="$2" -v esc="$esc" '
	function reset() { fg = "39"; bg = "49"; split("", on) }
	function is_fg(v) {
		return (v >= 30 && v <= 37) || (v >= 90 && v <= 97)
	}
	function is_bg(v) {
		return (v >= 40 && v <= 47) || (v >= 100 && v <= 107)
	}
	# 38;5;N, 48;2;R;G;B...: the colour at P[I], I moved past it
	function ext(p,   c, n) {
		c = p[i] ";" p[i + 1]
		n = p[i + 1] == 5 ? 1 : 3
		for (; n > 0; n--) c = c ";" p[++i + 1]
		i++
		return c
	}
	function apply(seq,   p, n, v) {	# I is shared with ext
		n = split(seq, p, ";")
		if (n == 0) reset()
		for (i = 1; i <= n; i++) {
			v = p[i] + 0
			if (v == 0) reset()
			else if (v >= 1 && v <= 9) on[v] = 1
			else if (v == 22) { delete on[1]; delete on[2] }
			else if (v >= 23 && v <= 29) delete on[v - 20]
			else if (is_fg(v) || v == 39) fg = v
			else if (is_bg(v) || v == 49) bg = v
			else if (v == 38) fg = ext(p)
			else if (v == 48) bg = ext(p)
		}
	}
	function state(   a, k) {
		a = ""
		for (k = 1; k <= 9; k++)
			if (k in on) a = a (a == "" ? "" : " ") k
		return "fg=" fg " bg=" bg " attrs=" a
	}
	{
		reset(); line = $0; vis = ""
		while (line != "") {
			if (match(line, "^" esc "\\[[0-9;]*m")) {
				apply(substr(line, 3, RLENGTH - 3))
				line = substr(line, RLENGTH + 1)
			} else {
				vis = vis substr(line, 1, 1)
				st[length(vis)] = state()
				line = substr(line, 2)
			}
		}
		b = index(vis, "│")
		at = index(substr(vis, b + 1), word)
		if (b == 0 || at == 0) { print "no " word; exit }
		print st[b + at]
	}'
}

# colour_sgr: the SGR parameter lists on stdin that set a colour.
colour_sgr() {
	grep -o "${esc}\[[0-9;:]*m" | sed "s/^${esc}\[//; s/m\$//" |
	awk -F'[;:]' '{
		for (i = 1; i <= NF; i++) {
			p = $i + 0
			if ($i != "" && (p == 38 || p == 48 || p == 58 ||
			    (p >= 30 && p <= 37) || (p >= 40 && p <= 47) ||
			    (p >= 90 && p <= 97) || (p >= 100 && p <= 107))) {
				print; next
			}
		}
	}'
}

# row_of TEXT: the first screen row holding TEXT.
row_of() {
	screen_text | grep -nF -- "$1" | sed -n '1s/:.*//p'
}

# expect_style ROW WORD STATE: style_at ROW WORD must be STATE.
expect_style() {
	got=$(style_at "$1" "$2")
	[ "$got" = "$3" ] ||
		soft_fail "\"$2\" (row $1) is drawn \"$got\", not \"$3\""
}

# The output as the Output tab shows it, whatever the colours ("e" and
# U+0301 in the "wide" row).
e_acute=$(printf 'e\314\201')
OUTPUT_ROWS='                                    │ plain red after
                                    │ bold under rev end
                                    │ o256 true bg hi
                                    │ home^[[Hclear^[[2Jend still
                                    │ title^[]0;pwned^Gset
                                    │ dcs^[P1$qm^[\ok
                                    │ absurd^[[38;5;999mA^[[99999mB^[[31
                                    │ wide 漢字|'"$e_acute"'|
                                    │ find needle here
                                    │ colours printed'

# output_text: rows 5-14 of the screen (below the run's start line),
# the checklist cut off.
output_text() {
	screen_text | sed -n '5,14p' |
		sed 's/^.*│/                                    │/'
}

# run_step: start the playbook (session $1), run the step, wait for it.
run_step() {
	start_app run "$PLAYBOOK" --session-dir "$SCREEN_TMP/$1" --operator sam
	keys Enter
	wait_text '\[✓\] Print coloured output' 10
}

# --- colours on ----------------------------------------------------------
SESSION_DIR=$SCREEN_TMP/colour
run_step colour
tm set-option -g set-clipboard on
[ "$(pane_title)" != pwned ] || fail "pane title already pwned"

# The Step tab's output tail is command output too.
r=$(row_of 'plain red after')
[ -n "$r" ] || fail "no output tail in the Step tab"
expect_style "$r" red 'fg=31 bg=49 attrs='
expect_style "$((r + 1))" bold 'fg=38;5;250 bg=49 attrs=1'
expect_style "$((r + 2))" true 'fg=38;5;33 bg=49 attrs='

keys ']'
assert_fixed '[Output]'
[ "$(output_text)" = "$OUTPUT_ROWS" ] ||
	fail "the Output tab shows: $(output_text)"
expect_screen frame 1 3 <<'EOF'
 LIVE  TEST MODE  Screen test: a command that prints colours              MmSSs
 ▶ assess  · decide  · approve  · execute  · verify  · communicate
 Checklist: assess  1/1             │ Step  [Output]  Jrnl   Tgt   Tags   Reg
EOF
expect_screen bars 23 24 <<'EOF'
 assess.colours done
 Enter act ? help q quit Tab pane m note > next
EOF

# The colours, attributes and the theme's own colours around them.
expect_style 5 plain 'fg=38;5;250 bg=49 attrs='
expect_style 5 red 'fg=31 bg=49 attrs='
expect_style 5 after 'fg=38;5;250 bg=49 attrs='
expect_style 6 bold 'fg=38;5;250 bg=49 attrs=1'
expect_style 6 under 'fg=38;5;250 bg=49 attrs=4'
expect_style 6 rev 'fg=38;5;250 bg=49 attrs=7'
expect_style 6 end 'fg=38;5;250 bg=49 attrs='
expect_style 7 o256 'fg=38;5;208 bg=49 attrs='
expect_style 7 true 'fg=38;5;33 bg=49 attrs='	# #0080ff, nearest of 256
expect_style 7 bg 'fg=30 bg=42 attrs='
expect_style 7 hi 'fg=91 bg=49 attrs='
expect_style 8 home 'fg=38;5;250 bg=49 attrs='
expect_style 8 still 'fg=31 bg=49 attrs='
expect_style 11 absurd 'fg=38;5;250 bg=49 attrs='
expect_style 11 B 'fg=38;5;250 bg=49 attrs='
expect_style 12 '漢' 'fg=38;5;250 bg=49 attrs=1'
expect_style 12 '|' 'fg=38;5;250 bg=49 attrs='
expect_style 13 edl 'fg=38;5;250 bg=49 attrs=1'
expect_style 13 'e here' 'fg=38;5;250 bg=49 attrs='
screen_text -e | sed -n 5,14p >"$SCREEN_TMP/live-output.ansi"

# Nothing got through: title and clipboard untouched.
[ "$(pane_title)" != pwned ] || fail "the pane title is pwned"
[ -z "$(tm list-buffers 2>/dev/null)" ] ||
	fail "OSC 52 set a tmux paste buffer: $(tm list-buffers)"

# The search matches the text as shown, across the SGR in "needle", and
# the hit is drawn in the search style alone; SGR bytes are not text.
keys /
type_text needle
keys Enter
keys n
assert_fixed 'match at line 10'
r=$(row_of 'find needle here')
expect_style "$r" 'find' 'fg=38;5;16 bg=48;5;220 attrs='
expect_style "$r" 'edl' 'fg=38;5;16 bg=48;5;220 attrs='
keys N
assert_fixed 'match at line 10'
keys /
keys BSpace BSpace BSpace BSpace BSpace BSpace	# "needle" is kept
type_text '[1m'
keys Enter
keys n
assert_fixed 'no line matches "[1m"'

keys q
assert_fixed 'Quit the live console?'
keys_nowait Enter
wait_exit
[ "$APP_EXIT" = 0 ] || fail "the live console did not exit cleanly"
[ "$(pane_title)" != pwned ] || fail "the pane title is pwned after exit"

# --- the replay shows the same colours -----------------------------------
rm -f "$SESSION_DIR/session.lock"
tm new-session -d -s keep "sleep 600" 2>/dev/null || :
start_app replay "$SESSION_DIR"
keys Tab
assert_fixed '[Output]'
screen_text -e | sed -n 5,14p >"$SCREEN_TMP/replay-output.ansi"
# The checklist cursor differs (focus); the output pane must not.
sed "s/^.*│//" "$SCREEN_TMP/live-output.ansi" >"$SCREEN_TMP/live.cut"
sed "s/^.*│//" "$SCREEN_TMP/replay-output.ansi" >"$SCREEN_TMP/replay.cut"
diff -u "$SCREEN_TMP/live.cut" "$SCREEN_TMP/replay.cut" ||
	soft_fail "the replay's Output tab differs from the live one"
expect_style 5 red 'fg=31 bg=49 attrs='
keys_nowait q
wait_exit

# --- NO_COLOR=1: the same text, attributes only -------------------------
APP_ENV="NO_COLOR=1"
SESSION_DIR=$SCREEN_TMP/mono
run_step mono
keys ']'
assert_fixed '[Output]'
[ "$(output_text)" = "$OUTPUT_ROWS" ] ||
	fail "the Output tab under NO_COLOR shows: $(output_text)"
colours=$(screen_text -e | sed -n 5,14p | colour_sgr | sort -u | tr '\n' ' ')
[ -z "$colours" ] || fail "colour SGR with NO_COLOR=1: $colours"
[ -n "$(sed -n 4,13p "$SCREEN_TMP/live-output.ansi" | colour_sgr)" ] ||
	fail "no colour SGR without NO_COLOR: the check above proves nothing"
expect_style 5 red 'fg=39 bg=49 attrs='
expect_style 6 bold 'fg=39 bg=49 attrs=1'
expect_style 6 under 'fg=39 bg=49 attrs=4'
expect_style 6 rev 'fg=39 bg=49 attrs=7'
expect_style 13 edl 'fg=39 bg=49 attrs=1'
keys q
keys_nowait Enter
wait_exit
[ "$APP_EXIT" = 0 ] || fail "the NO_COLOR console did not exit cleanly"
pass "command colours re-rendered, hostile sequences inert, NO_COLOR honoured"
