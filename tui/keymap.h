/* Keys to actions: one table of bindings per context. Lookup tries the
 * focused context, then the global one. */
#ifndef REWIND_TUI_KEYMAP_H
#define REWIND_TUI_KEYMAP_H

#include <stddef.h>

#include "uiact.h"

enum keymap_ctx {
	KM_GLOBAL,
	KM_STEPS,	/* the checklist pane */
	KM_LOG,		/* the log pane */
	KM_DIALOG,	/* any dialog */
	KM_REPLAY,	/* the replay console (rewind replay) */
	KM_TAGS,	/* the tags pane */
	KM_REGISTRY,	/* the registry pane */
	KM_COUNT
};

/* When a binding shows in the key bar (struct binding's on_bar). */
enum keybar_when {
	KEYBAR_NEVER,
	KEYBAR_ALWAYS,
	KEYBAR_HANDOFF,	/* while the selected approve step awaits a sign-off */
	KEYBAR_APPLIES,	/* while the action applies to the selected step
			 * (the session's transition table: Space on an open
			 * check step, x on a step that may be marked n/a
			 * or reopened, a on an approval the session has
			 * reached that still lacks a sign-off, > while no
			 * required step of the phase is open, Enter and m
			 * never on a complete session) */
	KEYBAR_ASK,	/* while the dialog is a y/N question (one key) */
	KEYBAR_TYPED,	/* while the dialog is not a y/N question */
};

struct binding {
	enum keymap_ctx ctx;
	int key;		/* curses key code or character */
	const char *label;	/* how the key is written: "j", "Enter" */
	enum uiact act;
	int on_bar;		/* shown in the key bar: enum keybar_when */
};

/* The action bound to KEY in CTX, then (when THEN_GLOBAL: not while a
 * dialog takes typed text) in KM_GLOBAL, or UI_NONE. KEY_ENTER counts as
 * '\n'. */
enum uiact keymap_lookup(enum keymap_ctx ctx, int key, int then_global);

/* How the first key bound to ACT in CTX (else in KM_GLOBAL) is written,
 * for text that names the key ("Enter"); "?" when none is (borrowed). */
const char *keymap_key_label(enum keymap_ctx ctx, enum uiact act);

/* Whether ACT does something in `rewind watch` (the key bar and help of
 * the watch list only those; the others are refused there). */
int keymap_in_watch(enum uiact act);

/* All bindings, for the help overlay and the key bar (borrowed). */
const struct binding *keymap_bindings(size_t *n);

/* How the first key bound to ACT in CTX is written ("y"), or NULL. */
const char *keymap_label_for(enum keymap_ctx ctx, enum uiact act);
/* The keys bound to ACT in CTX, joined ("j, Down"), into BUF (cut to
 * SIZE); empty when none. */
void keymap_keys_for(enum keymap_ctx ctx, enum uiact act, char *buf,
		     size_t size);

/* Name of a context ("global", "checklist"...). */
const char *keymap_ctx_name(enum keymap_ctx ctx);

#endif
