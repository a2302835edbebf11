# Comparing a replay with the live console it replays (sourced after
# libscreen.sh by the replay tests). Needs SESSION_DIR; keeps the live
# screens in $SCREEN_TMP/live.
LIVE=$SCREEN_TMP/live
mkdir -p "$LIVE"

# body NAME: rows 2-22 (the rail, the checklist and the side pane; the
# header, status and key rows differ by design), masked, into NAME. A
# drill's rail shows the phase's time against its target live only (the
# replay does not draw it yet): that text is left out of both.
body() {
	screen_text | sed -n '2,22p' |
		sed -E '1s/ [0-9]+m[0-9]{2}s of [0-9hm]+//' | mask_screen >"$1"
}

# live_mark NAME: the live body and the event count at this moment.
live_mark() {
	body "$LIVE/$1.body"
	wc -l <"$SESSION_DIR/journal.jsonl" | tr -d ' ' >"$LIVE/$1.events"
}

# same NAME FILE: FILE (a replay body) must equal the live body NAME.
same() {
	diff -u "$LIVE/$1.body" "$2" >"$SCREEN_TMP/$1.diff" ||
		{ cat "$SCREEN_TMP/$1.diff"; soft_fail "replay differs from live at $1"; }
}
