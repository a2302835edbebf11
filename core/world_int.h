/* Shared by world.c (the tiny shell) and world_tools.c (the tools it
 * answers from the state). */
#ifndef REWIND_CORE_WORLD_INT_H
#define REWIND_CORE_WORLD_INT_H

#include "world.h"

struct cJSON;
struct strbuf;

struct sh {
	struct cJSON *state;	/* a copy, changed by the commands */
	struct cJSON *vars;	/* variables the line assigned */
	struct cJSON *files;	/* files the line wrote: path -> text */
	world_var_cb *var;
	const void *arg;
	int unknown;		/* a command the world does not know */
	int depth;		/* $(...) nesting */
	int status;		/* $? */
	char status_text[16];
};

struct io {
	const char *in;		/* standard input */
	struct strbuf *out;
	struct strbuf *err;
};

/* Run ARGV (a tool or a shell helper) against SH's state: its exit
 * status; sets SH->unknown for a command the world does not know. */
int world_tool(struct sh *sh, int argc, char **argv, struct io *io);

/* Registry versions in STATE in their object form ({version: {...}}), so
 * that a change of form is never taken for a change of the world. */
void world_normalise(struct cJSON *state);

/* Make STATE hold what FRESH holds; FRESH is consumed. */
void world_replace_state(struct cJSON *state, struct cJSON *fresh);

#endif
