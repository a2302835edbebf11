/* Lint: the rules of `rewind check` beyond the loader's schema, run on a
 * loaded playbook. Each finding names the JSON path, the problem and the
 * fix; errors make a playbook invalid, warnings only with --strict. The
 * rules are described in rewind-playbook(5), section CHECK. */
#ifndef REWIND_CORE_LINT_H
#define REWIND_CORE_LINT_H

#include <stddef.h>

struct playbook;

enum lint_severity {
	LINT_ERROR,
	LINT_WARNING,
};

struct lint_msg {
	enum lint_severity severity;
	const char *rule;	/* static rule name, e.g. "unreachable" */
	char *path;		/* JSON path, e.g. phases[3].steps[0].when */
	char *problem;
	char *fix;
};

struct lint_report {
	struct lint_msg *msgs;
	size_t n_msgs;
	size_t n_errors;
	size_t n_warnings;
};

/* Run every rule on PB, appending the findings to REPORT (zeroed or
 * already used); the playbook is only read. Never fails. */
void lint_playbook(const struct playbook *pb, struct lint_report *report);

/* Release what REPORT holds and zero it; REPORT may be NULL. */
void lint_report_done(struct lint_report *report);

/* MSG as one line, "FILE: PATH: PROBLEM; fix: FIX", with "warning: "
 * before the problem of a warning; caller frees. */
char *lint_msg_format(const struct lint_msg *msg, const char *file);

/* Names of the rules, NULL-ended, in the order they run. */
extern const char *const lint_rule_names[];

#endif
