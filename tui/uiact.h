/* Every action of the console, declared once. Keys map to these (in
 * keymap.c); the help overlay and the key bar are generated from this table
 * and the keymap, never written by hand. */
#ifndef REWIND_TUI_UIACT_H
#define REWIND_TUI_UIACT_H

/* X(id, config name, short label for the key bar, one-line help) */
#define UIACT_LIST(X)                                                        \
	X(UI_MOVE_DOWN, "move-down", "down", "Move the selection down")      \
	X(UI_MOVE_UP, "move-up", "up", "Move the selection up")              \
	X(UI_MOVE_TOP, "move-top", "top", "Jump to the first line")          \
	X(UI_MOVE_BOTTOM, "move-bottom", "bottom", "Jump to the last line")  \
	X(UI_PAGE_DOWN, "page-down", "pgdn", "Scroll half a page down")      \
	X(UI_PAGE_UP, "page-up", "pgup", "Scroll half a page up")            \
	X(UI_FOCUS_NEXT, "focus-next", "pane", "Focus the next pane")        \
	X(UI_FOCUS_PREV, "focus-prev", "pane", "Focus the previous pane")    \
	X(UI_TAB_NEXT, "tab-next", "tab", "Show the next side tab")          \
	X(UI_TAB_PREV, "tab-prev", "tab", "Show the previous side tab")      \
	X(UI_ACT, "act", "act", "Act on the selected step (run, tick, choose...)") \
	X(UI_TICK, "tick", "tick", "Tick (or untick) a check; record an interrupted run done") \
	X(UI_NA, "not-applicable", "n/a", "Mark the selected step not applicable, with a reason") \
	X(UI_APPROVE, "approve", "approve", "Record an approval of the selected approve step") \
	X(UI_NOTE, "note", "note", "Add a note to the journal")              \
	X(UI_SET_VAR, "set-variable", "set", "Set one of the playbook's variables") \
	X(UI_CANCEL_STEP, "cancel-step", "cancel", "Cancel the running command") \
	X(UI_COPY_HANDOFF, "copy-approve-command", "copy", "Copy the approve step's rewind approve command (OSC 52)") \
	X(UI_SHOW_HANDOFF, "show-approve-command", "show", "Show the approve command on one line to copy with the mouse") \
	X(UI_NEXT_PHASE, "next-phase", "next", "Advance to the next phase")  \
	X(UI_HANDOVER, "handover", "handover", "Offer the shared session to a successor (who takes it with --take), or withdraw the offer") \
	X(UI_SEARCH, "search", "search", "Search the log")                   \
	X(UI_SEARCH_NEXT, "search-next", "next", "Jump to the next match")   \
	X(UI_SEARCH_PREV, "search-prev", "prev", "Jump to the previous match") \
	X(UI_FOLLOW, "follow", "follow", "Follow the log as it grows")       \
	X(UI_SCROLL_LEFT, "scroll-left", "left", "Show the output from further left") \
	X(UI_SCROLL_RIGHT, "scroll-right", "right", "Show the rest of long output lines") \
	X(UI_HELP, "help", "help", "Show or hide this help")                 \
	X(UI_REDRAW, "redraw", "redraw", "Redraw the screen")                \
	X(UI_QUIT, "quit", "quit", "Quit (the session stays resumable)")     \
	X(UI_RP_QUIT, "replay-quit", "quit", "Quit the replay (the session is not changed)") \
	X(UI_PICK_TAG, "pick-tag", "pick", "Set the selected input step's variable to this tag") \
	X(UI_PICK_VERSION, "pick-version", "pick", "Set the selected input step's variable to this version") \
	X(UI_REFRESH, "refresh", "refresh", "Re-read the tags and refresh the registry answers now") \
	X(UI_SUBMIT, "submit", "ok", "Accept the dialog")                    \
	X(UI_DISMISS, "dismiss", "cancel", "Close the dialog without any effect") \
	X(UI_YES, "answer-yes", "yes", "Answer yes to a y/N question (no Enter)") \
	X(UI_NO, "answer-no", "no", "Answer no to a y/N question (no Enter)") \
	X(UI_INPUT_LEFT, "input-left", "left", "In a typed value: move the cursor one character left") \
	X(UI_INPUT_RIGHT, "input-right", "right", "In a typed value: move the cursor one character right") \
	X(UI_INPUT_HOME, "input-home", "home", "In a typed value: move the cursor to its start") \
	X(UI_INPUT_END, "input-end", "end", "In a typed value: move the cursor to its end") \
	X(UI_INPUT_BACKSPACE, "input-backspace", "del", "In a typed value: delete the character before the cursor") \
	X(UI_INPUT_CLEAR, "input-clear", "clear", "In a typed value: clear it") \
	X(UI_INPUT_DELETE_WORD, "input-delete-word", "del word", "In a typed value: delete the word before the cursor") \
	X(UI_EDIT, "edit", "edit", "Edit the message in $VISUAL or $EDITOR before sending") \
	X(UI_UPDATE, "send-update", "update", "Open the due update reminder, ready to send") \
	X(UI_UPDATE_DISMISS, "dismiss-update", "dismiss", "Dismiss the due update reminder") \
	X(UI_RP_PLAY, "replay-play", "play", "Play or pause at the recorded pace") \
	X(UI_RP_FASTER, "replay-faster", "faster", "Play faster: 1x, 2x, 10x, as fast as possible") \
	X(UI_RP_SLOWER, "replay-slower", "slower", "Play slower") \
	X(UI_RP_NEXT_EVENT, "replay-next-event", "+1", "Step one event forward") \
	X(UI_RP_PREV_EVENT, "replay-prev-event", "-1", "Step one event back") \
	X(UI_RP_NEXT_MARK, "replay-next-mark", "mark", "Jump to the next phase change, decision, approval or failure") \
	X(UI_RP_PREV_MARK, "replay-prev-mark", "mark", "Jump to the previous phase change, decision, approval or failure") \
	X(UI_RP_FIND, "replay-find", "find", "Seek to the next event whose text matches") \
	X(UI_RP_FIND_NEXT, "replay-find-next", "again", "Seek to the next match of the last search") \
	X(UI_RP_FIND_PREV, "replay-find-prev", "back", "Seek to the previous match of the last search") \
	X(UI_RP_SEEK_TIME, "replay-seek-time", "time", "Seek to a wall time (19:42), a session time (+12:30) or by +5m, -30s") \
	X(UI_RP_START, "replay-start", "start", "Go to the start of the session") \
	X(UI_RP_END, "replay-end", "end", "Go to the end of the session")

enum uiact {
#define X(id, name, label, help) id,
	UIACT_LIST(X)
#undef X
	UI_COUNT,
	UI_NONE = -1
};

/* Config name, key-bar label and help line of ACT. */
const char *uiact_name(enum uiact act);
const char *uiact_label(enum uiact act);
const char *uiact_help(enum uiact act);

#endif
