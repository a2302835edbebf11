/* The bindings table and the names of actions. */
#include "config.h"
#include "keymap.h"

#include <curses.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)

static const struct {
	const char *name, *label, *help;
} acts[UI_COUNT] = {
#define X(id, name, label, help) [id] = { name, label, help },
	UIACT_LIST(X)
#undef X
};

static const struct binding bindings[] = {
	{ KM_GLOBAL, '?', "?", UI_HELP, 1 },
	{ KM_GLOBAL, 'q', "q", UI_QUIT, 1 },
	{ KM_GLOBAL, '\t', "Tab", UI_FOCUS_NEXT, 1 },
	{ KM_GLOBAL, KEY_BTAB, "S-Tab", UI_FOCUS_PREV, 0 },
	{ KM_GLOBAL, ']', "]", UI_TAB_NEXT, 0 },
	{ KM_GLOBAL, '[', "[", UI_TAB_PREV, 0 },
	{ KM_GLOBAL, 'j', "j", UI_MOVE_DOWN, 0 },
	{ KM_GLOBAL, KEY_DOWN, "Down", UI_MOVE_DOWN, 0 },
	{ KM_GLOBAL, 'k', "k", UI_MOVE_UP, 0 },
	{ KM_GLOBAL, KEY_UP, "Up", UI_MOVE_UP, 0 },
	{ KM_GLOBAL, 'g', "g", UI_MOVE_TOP, 0 },
	{ KM_GLOBAL, KEY_HOME, "Home", UI_MOVE_TOP, 0 },
	{ KM_GLOBAL, 'G', "G", UI_MOVE_BOTTOM, 0 },
	{ KM_GLOBAL, KEY_END, "End", UI_MOVE_BOTTOM, 0 },
	{ KM_GLOBAL, CTRL('d'), "C-d", UI_PAGE_DOWN, 0 },
	{ KM_GLOBAL, KEY_NPAGE, "PgDn", UI_PAGE_DOWN, 0 },
	{ KM_GLOBAL, CTRL('u'), "C-u", UI_PAGE_UP, 0 },
	{ KM_GLOBAL, KEY_PPAGE, "PgUp", UI_PAGE_UP, 0 },
	{ KM_GLOBAL, 'm', "m", UI_NOTE, KEYBAR_APPLIES },
	{ KM_GLOBAL, 's', "s", UI_SET_VAR, 0 },
	{ KM_GLOBAL, '>', ">", UI_NEXT_PHASE, KEYBAR_APPLIES },
	{ KM_GLOBAL, 'H', "H", UI_HANDOVER, 0 },
	{ KM_GLOBAL, '/', "/", UI_SEARCH, 0 },
	{ KM_GLOBAL, 'n', "n", UI_SEARCH_NEXT, 0 },
	{ KM_GLOBAL, 'N', "N", UI_SEARCH_PREV, 0 },
	{ KM_GLOBAL, 'f', "f", UI_FOLLOW, 0 },
	{ KM_GLOBAL, CTRL('l'), "C-l", UI_REDRAW, 0 },
	{ KM_GLOBAL, 'R', "R", UI_REFRESH, 0 },
	{ KM_TAGS, '\n', "Enter", UI_PICK_TAG, 1 },
	{ KM_REGISTRY, '\n', "Enter", UI_PICK_VERSION, 1 },
	{ KM_GLOBAL, 'u', "u", UI_UPDATE, 0 },
	{ KM_GLOBAL, 'U', "U", UI_UPDATE_DISMISS, 0 },
	{ KM_STEPS, '\n', "Enter", UI_ACT, KEYBAR_APPLIES },
	{ KM_STEPS, ' ', "Space", UI_TICK, KEYBAR_APPLIES },
	{ KM_STEPS, 'x', "x", UI_NA, KEYBAR_APPLIES },
	{ KM_STEPS, 'a', "a", UI_APPROVE, KEYBAR_APPLIES },
	{ KM_STEPS, 'c', "c", UI_CANCEL_STEP, KEYBAR_APPLIES },
	{ KM_STEPS, 'y', "y", UI_COPY_HANDOFF, KEYBAR_HANDOFF },
	{ KM_STEPS, 'Y', "Y", UI_SHOW_HANDOFF, 0 },
	{ KM_LOG, 'n', "n", UI_SEARCH_NEXT, 1 },
	{ KM_LOG, 'N', "N", UI_SEARCH_PREV, 1 },
	{ KM_LOG, '/', "/", UI_SEARCH, 1 },
	{ KM_LOG, 'f', "f", UI_FOLLOW, 1 },
	{ KM_LOG, 'h', "h", UI_SCROLL_LEFT, 0 },
	{ KM_LOG, KEY_LEFT, "Left", UI_SCROLL_LEFT, 0 },
	{ KM_LOG, 'l', "l", UI_SCROLL_RIGHT, 0 },
	{ KM_LOG, KEY_RIGHT, "Right", UI_SCROLL_RIGHT, 0 },
	{ KM_DIALOG, '\n', "Enter", UI_SUBMIT, KEYBAR_TYPED },
	{ KM_DIALOG, 'y', "y", UI_YES, KEYBAR_ASK },
	{ KM_DIALOG, 'Y', "Y", UI_YES, 0 },
	{ KM_DIALOG, 'n', "n", UI_NO, KEYBAR_ASK },
	{ KM_DIALOG, 'N', "N", UI_NO, 0 },
	{ KM_DIALOG, 27, "Esc", UI_DISMISS, 1 },
	{ KM_DIALOG, 'e', "e", UI_EDIT, 0 },
	{ KM_DIALOG, KEY_DOWN, "Down", UI_MOVE_DOWN, 0 },
	{ KM_DIALOG, KEY_UP, "Up", UI_MOVE_UP, 0 },
	{ KM_DIALOG, KEY_LEFT, "Left", UI_INPUT_LEFT, 0 },
	{ KM_DIALOG, KEY_RIGHT, "Right", UI_INPUT_RIGHT, 0 },
	{ KM_DIALOG, KEY_HOME, "Home", UI_INPUT_HOME, 0 },
	{ KM_DIALOG, 'a' & 0x1f, "Ctrl-A", UI_INPUT_HOME, 0 },
	{ KM_DIALOG, KEY_END, "End", UI_INPUT_END, 0 },
	{ KM_DIALOG, 'e' & 0x1f, "Ctrl-E", UI_INPUT_END, 0 },
	{ KM_DIALOG, KEY_BACKSPACE, "Backspace", UI_INPUT_BACKSPACE, 0 },
	{ KM_DIALOG, 127, "Backspace", UI_INPUT_BACKSPACE, 0 },
	{ KM_DIALOG, 8, "Backspace", UI_INPUT_BACKSPACE, 0 },
	{ KM_DIALOG, 'u' & 0x1f, "Ctrl-U", UI_INPUT_CLEAR, 0 },
	{ KM_DIALOG, 'w' & 0x1f, "Ctrl-W", UI_INPUT_DELETE_WORD, 0 },
	{ KM_REPLAY, ' ', "Space", UI_RP_PLAY, 1 },
	{ KM_REPLAY, '+', "+", UI_RP_FASTER, 1 },
	{ KM_REPLAY, '=', "=", UI_RP_FASTER, 0 },
	{ KM_REPLAY, '-', "-", UI_RP_SLOWER, 1 },
	{ KM_REPLAY, '.', ".", UI_RP_NEXT_EVENT, 1 },
	{ KM_REPLAY, KEY_RIGHT, "Right", UI_RP_NEXT_EVENT, 0 },
	{ KM_REPLAY, ',', ",", UI_RP_PREV_EVENT, 1 },
	{ KM_REPLAY, KEY_LEFT, "Left", UI_RP_PREV_EVENT, 0 },
	{ KM_REPLAY, ']', "]", UI_RP_NEXT_MARK, 1 },
	{ KM_REPLAY, '[', "[", UI_RP_PREV_MARK, 0 },
	{ KM_REPLAY, '/', "/", UI_RP_FIND, 1 },
	{ KM_REPLAY, 'n', "n", UI_RP_FIND_NEXT, 0 },
	{ KM_REPLAY, 'N', "N", UI_RP_FIND_PREV, 0 },
	{ KM_REPLAY, 't', "t", UI_RP_SEEK_TIME, 1 },
	{ KM_REPLAY, 'g', "g", UI_RP_START, 0 },
	{ KM_REPLAY, KEY_HOME, "Home", UI_RP_START, 0 },
	{ KM_REPLAY, 'G', "G", UI_RP_END, 0 },
	{ KM_REPLAY, KEY_END, "End", UI_RP_END, 0 },
	{ KM_REPLAY, 'j', "j", UI_MOVE_DOWN, 0 },
	{ KM_REPLAY, KEY_DOWN, "Down", UI_MOVE_DOWN, 0 },
	{ KM_REPLAY, 'k', "k", UI_MOVE_UP, 0 },
	{ KM_REPLAY, KEY_UP, "Up", UI_MOVE_UP, 0 },
	{ KM_REPLAY, CTRL('d'), "C-d", UI_PAGE_DOWN, 0 },
	{ KM_REPLAY, KEY_NPAGE, "PgDn", UI_PAGE_DOWN, 0 },
	{ KM_REPLAY, CTRL('u'), "C-u", UI_PAGE_UP, 0 },
	{ KM_REPLAY, KEY_PPAGE, "PgUp", UI_PAGE_UP, 0 },
	{ KM_REPLAY, 'h', "h", UI_SCROLL_LEFT, 0 },
	{ KM_REPLAY, 'l', "l", UI_SCROLL_RIGHT, 0 },
	{ KM_REPLAY, '\t', "Tab", UI_TAB_NEXT, 0 },
	{ KM_REPLAY, KEY_BTAB, "S-Tab", UI_TAB_PREV, 0 },
	{ KM_REPLAY, '?', "?", UI_HELP, 1 },
	{ KM_REPLAY, 'q', "q", UI_RP_QUIT, 1 },
};

/* What `rewind watch` offers: moving about, reading, searching the log,
 * and approving as the watcher (with the approve dialog's keys); every
 * other action would act for the session's operator. */
static const enum uiact watch_acts[] = {
	UI_MOVE_DOWN, UI_MOVE_UP, UI_MOVE_TOP, UI_MOVE_BOTTOM, UI_PAGE_DOWN,
	UI_PAGE_UP, UI_FOCUS_NEXT, UI_FOCUS_PREV, UI_TAB_NEXT, UI_TAB_PREV,
	UI_APPROVE, UI_SEARCH, UI_SEARCH_NEXT, UI_SEARCH_PREV, UI_FOLLOW,
	UI_SCROLL_LEFT, UI_SCROLL_RIGHT,
	UI_HELP, UI_REDRAW, UI_QUIT, UI_SUBMIT, UI_DISMISS,
};

const char *
uiact_name(enum uiact act)
{
	return act >= 0 && act < UI_COUNT ? acts[act].name : "none";
}

const char *
uiact_label(enum uiact act)
{
	return act >= 0 && act < UI_COUNT ? acts[act].label : "";
}

const char *
uiact_help(enum uiact act)
{
	return act >= 0 && act < UI_COUNT ? acts[act].help : "";
}

/* Whether binding I's label was already given by an earlier binding of
 * its context and action (two key codes of one key: Backspace). */
static int
label_seen(size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (bindings[j].ctx == bindings[i].ctx &&
		    bindings[j].act == bindings[i].act &&
		    strcmp(bindings[j].label, bindings[i].label) == 0)
			return 1;
	return 0;
}

void
keymap_keys_for(enum keymap_ctx ctx, enum uiact act, char *buf, size_t size)
{
	size_t n = sizeof(bindings) / sizeof(bindings[0]);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (bindings[i].ctx != ctx || bindings[i].act != act ||
		    label_seen(i))
			continue;
		if (buf[0])
			strncat(buf, ", ", size - strlen(buf) - 1);
		strncat(buf, bindings[i].label, size - strlen(buf) - 1);
	}
}

static enum uiact
find(enum keymap_ctx ctx, int key)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].ctx == ctx && bindings[i].key == key)
			return bindings[i].act;
	return UI_NONE;
}

enum uiact
keymap_lookup(enum keymap_ctx ctx, int key, int then_global)
{
	enum uiact act;

	/* The keypad's Enter is the same key as Return: one row binds both. */
	if (key == KEY_ENTER)
		key = '\n';
	act = find(ctx, key);
	if (act == UI_NONE && then_global)
		act = find(KM_GLOBAL, key);
	return act;
}

static const char *
label_in(enum keymap_ctx ctx, enum uiact act)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].ctx == ctx && bindings[i].act == act)
			return bindings[i].label;
	return NULL;
}

const char *
keymap_key_label(enum keymap_ctx ctx, enum uiact act)
{
	const char *label = label_in(ctx, act);

	if (!label)
		label = label_in(KM_GLOBAL, act);
	return label ? label : "?";
}

int
keymap_in_watch(enum uiact act)
{
	for (size_t i = 0; i < sizeof(watch_acts) / sizeof(watch_acts[0]); i++)
		if (watch_acts[i] == act)
			return 1;
	return 0;
}

const struct binding *
keymap_bindings(size_t *n)
{
	*n = sizeof(bindings) / sizeof(bindings[0]);
	return bindings;
}

const char *
keymap_label_for(enum keymap_ctx ctx, enum uiact act)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].ctx == ctx && bindings[i].act == act)
			return bindings[i].label;
	return NULL;
}

const char *
keymap_ctx_name(enum keymap_ctx ctx)
{
	static const char *const names[KM_COUNT] = {
		[KM_GLOBAL] = "Everywhere", [KM_STEPS] = "Checklist",
		[KM_LOG] = "Log", [KM_DIALOG] = "Dialogs",
		[KM_REPLAY] = "Replay", [KM_TAGS] = "Tags",
		[KM_REGISTRY] = "Registry",
	};

	return ctx < KM_COUNT ? names[ctx] : "?";
}
