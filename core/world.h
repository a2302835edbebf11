/* A drill's world: the scenario's state (tags, registry packages, HTTP
 * endpoints, logs) and the simulated output of the common rollback tools
 * generated from it, so that the panes, the probes and the commands tell
 * one story. Commands that change the world (npm dist-tag add, git tag
 * -d, a pip install that uses up a cached answer) change the state. */
#ifndef REWIND_CORE_WORLD_H
#define REWIND_CORE_WORLD_H

struct cJSON;

/* The value of variable NAME for a command, or NULL when unset. */
typedef const char *world_var_cb(const char *name, const void *arg);

/* The outcome of one simulated command line. */
struct world_run {
	char *output;		/* stdout and stderr, lines; caller frees */
	int exit_code;
	int changed;		/* the line changed the world */
};

/* Simulate shell line COMMAND against STATE, which it may change (see
 * rewind-playbook(5), "The drill's world"); VAR (with ARG) gives the
 * variables. Returns 1 with *RUN filled when every command of the line is
 * one the world knows (STATE is changed only when run->changed), 0 when
 * one is not (STATE is then left as it was and nothing is allocated). */
int world_simulate(struct cJSON *state, const char *command, world_var_cb *var,
		   const void *arg, struct world_run *run);

/* STATE in words, one line per package's dist-tags and versions, per tag
 * list, endpoint, log and alert (see the Targets tab); the caller frees
 * it. */
char *world_describe(const struct cJSON *state);

#endif
