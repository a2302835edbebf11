/* What the console says in its status line about an action a key led to:
 * words for the person at the keyboard, never the batch language's
 * grammar (verbs, usage strings), with keys named from the action table. */
#ifndef REWIND_TUI_SAY_H
#define REWIND_TUI_SAY_H

#include <stddef.h>

struct action;

/* Into BUF (cut to SIZE): the core's refusal MSG of action ACT, turned
 * into console words: what did not happen, why, and which key to press
 * instead of which batch line to type. Never fails. */
void say_refusal(const struct action *act, const char *msg, char *buf,
		 size_t size);

/* Into BUF (cut to SIZE): that ACT was done (STARTED: that its command
 * started), in words. Never fails. */
void say_done(const struct action *act, int started, char *buf,
	      size_t size);

#endif
