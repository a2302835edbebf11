/* A drill's world: the scenario's state (tags, registry packages, HTTP
 * endpoints, logs) and the simulated output of the common rollback tools
 * generated from it, so that the panes, the probes and the commands tell
 * one story. Commands that change the world (npm dist-tag add, git tag
 * -d, a pip install that uses up a cached answer) change the state. */
#ifndef REWIND_CORE_WORLD_H
#define REWIND_CORE_WORLD_H

#include <stdint.h>

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

/* What the next unpinned pip install of package NAME would resolve to in
 * STATE (a yanked version whose cached answer lingers first), leaving
 * STATE as it is: a copy the caller frees, or NULL when nothing would. */
char *world_pip_would_resolve(const struct cJSON *state, const char *name);

/* Whether VERSION of package NAME is yanked in STATE: 1 yes, 0 no, -1 the
 * registry has no such version. */
int world_pip_is_yanked(const struct cJSON *state, const char *name,
			const char *version);

/* STATE in words, one line per package's dist-tags and versions, per tag
 * list, endpoint, log and alert (see the Targets tab); the caller frees
 * it. */
char *world_describe(const struct cJSON *state);

/* Dates in STATE written relative to the drill's start, START_WALL (µs
 * since the epoch): a tag's "date" and a registry version's "time" given
 * as "-5h" (five hours before the start) or "+2m" become RFC 3339 UTC, in
 * place. A START_WALL of 0 (no drill running: lint) leaves them. */
void world_resolve_times(struct cJSON *state, int64_t start_wall);

#endif
