/* Hazards of a shell command: the one set of rules `rewind import` and
 * `rewind check` share to say that a command is destructive (changes or
 * destroys what others rely on), known to only read (core/hazard_ro.c),
 * interactive (needs a terminal), or waits or follows (needs a timeout). */
#ifndef REWIND_CORE_HAZARD_H
#define REWIND_CORE_HAZARD_H

#include <stdint.h>

enum hazard_kind {
	HAZARD_DESTRUCTIVE,
	HAZARD_INTERACTIVE,
	HAZARD_WAITS,
	HAZARD_KIND_COUNT
};

/* The first rule of KIND that CMD (one command or a multi-line script)
 * matches: its static name ("git reset --hard"), or NULL. When START and
 * END are not NULL they get the matched span, widened to whole words. */
const char *hazard_find(enum hazard_kind kind, const char *cmd,
			const char **start, const char **end);

/* The words of CMD that make it destructive, whole words, as the text an
 * operator types to confirm ("git push origin :refs/tags/v2"); the
 * caller frees. NULL when CMD is not destructive. */
char *hazard_confirm_dup(const char *cmd);

/* Whether CONFIRM, the text typed to run the destructive command RUN,
 * names what RUN acts on: it holds a ${NAME}, or a word of RUN's
 * arguments (not a command's name, an option, nor a word of the rule
 * that makes RUN destructive: "kubectl apply" names nothing of
 * "kubectl apply -f -", "deployment/web" does). */
int hazard_confirm_names_target(const char *run, const char *confirm);

/* Whether a variable named NAME says where a command acts rather than
 * what it destroys or changes (NAMESPACE, REGION, CLUSTER, a *_URL or
 * connection string): never the value a confirmation names. */
int hazard_where_name(const char *name);

/* Whether a variable named NAME holds the record of the work rather than
 * what is changed (INCIDENT_ID, TICKET, CHANGE_REQUEST, REASON): never
 * the value a confirmation names either. */
int hazard_ticket_name(const char *name);

/* Whether CMD (one command or a script) is known to only read: every
 * simple command of it has a read-only shape (cat, grep, kubectl get,
 * helm history, aws ... describe-*, curl without a method or a body).
 * Anything else may change something, and so waits for an approval.
 * When not, and WHAT is not NULL, *WHAT gets the first simple command not
 * known to be read-only, for a message; the caller frees. */
int hazard_read_only(const char *cmd, char **what);

/* The first file CMD (one command or a script) sends output into with
 * ">", ">>" or "&>" (never /dev/null nor a descriptor), or NULL; the
 * caller frees. Such a write is a change: it is never read-only. */
char *hazard_file_written(const char *cmd);

/* Whether CMD may read the environment variable NAME, which an earlier
 * step exported: it names $NAME or ${NAME}, runs a tool known to read it
 * (PG* for psql and pg_restore, TF_* for terraform, KUBECONFIG for
 * kubectl and helm, AWS_* for aws...), or runs a project's own program
 * (./bin/migrate, make, bundle exec), which may read any. */
int hazard_reads_env(const char *cmd, const char *name);

/* A timeout for a command that waits or follows: the sleep plus a margin,
 * or a bound for watching and following; 0 when CMD does not wait. */
int64_t hazard_timeout_us(const char *cmd);

#endif
