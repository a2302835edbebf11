/* Lint: rules beyond the schema for `rewind check`. Each rule is one
 * function over the loaded playbook; the decision-path rules (reachable
 * steps, variables set before use) share one walk that enumerates the
 * values the playbook's own input and decide steps can give the variables
 * its conditions name. */
#include "config.h"
#include "lint.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <regex.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cmdenv.h"
#include "drill.h"
#include "err.h"
#include "hazard.h"
#include "mdimport.h"
#include "playbook.h"
#include "redact.h"
#include "session.h"
#include "strbuf.h"
#include "world.h"
#include "xalloc.h"

/* The walk gives up past this many distinct decision states. */
#define LINT_MAX_STATES 20000
#define FIELDS_MAX 8

const char *const lint_rule_names[] = {
	"when-unset", "start-variable", "unknown-reference",
	"unbraced-reference", "confirm-missing", "confirm-names-nothing",
	"confirm-ignored", "looks-destructive", "drill-missing",
	"unreachable", "unset-before-use", "too-many-paths",
	"parallel-alone", "parallel-interactive", "looks-interactive",
	"no-timeout", "draft", "destructive-before-approval",
	"exclusive-without-when", "input-after-approval",
	"drill-output-contradicts-world", "destructive-unapproved-path",
	"scenario-presets-input", "change-before-approval",
	"scenario-answer-evidence", "scenario-hint-answers", "review-left",
	"confirm-names-secret", "scenario-briefing-shared",
	"confirm-names-no-target", "literal-credential",
	NULL,
};

/* What the lint knows of one variable. */
struct var_info {
	const char **values;	/* values that matter (borrowed strings) */
	size_t n_values;
	int is_cond;		/* named by a step's when */
	int n_setters;		/* input/decide steps that may set it */
	char *used_by;		/* first step field naming it, or NULL */
};

struct lint {
	const struct playbook *pb;
	struct lint_report *r;
	struct var_info *vars;	/* one per pb->variables */
	const char *rule;	/* the rule running */
};

/* A text field of a step that may name variables. */
struct field {
	const char *name;	/* JSON path below the step */
	const char *text;
	int is_template;	/* ${NAME} expanded by rewind; else shell */
};

/* --- the report ----------------------------------------------------------- */

static void __attribute__((format(printf, 5, 6)))
report(struct lint *l, enum lint_severity sev, const char *path,
       const char *fix, const char *fmt, ...)
{
	struct lint_report *r = l->r;
	struct lint_msg *m;
	char problem[ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	r->msgs = xrealloc(r->msgs, (r->n_msgs + 1) * sizeof(*r->msgs));
	m = &r->msgs[r->n_msgs++];
	m->severity = sev;
	m->rule = l->rule;
	m->path = xstrdup(path);
	m->problem = xstrdup(problem);
	m->fix = xstrdup(fix);
	if (sev == LINT_ERROR)
		r->n_errors++;
	else
		r->n_warnings++;
}

void
lint_report_done(struct lint_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_msgs; i++) {
		free(r->msgs[i].path);
		free(r->msgs[i].problem);
		free(r->msgs[i].fix);
	}
	free(r->msgs);
	memset(r, 0, sizeof(*r));
}

char *
lint_msg_format(const struct lint_msg *m, const char *file)
{
	return xasprintf("%s: %s: %s%s; fix: %s", file, m->path,
			 m->severity == LINT_WARNING ? "warning: " : "",
			 m->problem, m->fix);
}

/* --- names and paths ------------------------------------------------------ */

static char *
step_path(int phase, size_t i)
{
	return xasprintf("phases[%d].steps[%zu]", phase, i);
}


static void
add_field(struct field *f, size_t *n, const char *name, const char *text,
	  int is_template)
{
	if (text && *n < FIELDS_MAX)
		f[(*n)++] = (struct field){ name, text, is_template };
}

/* The fields of ST the session expands or hands to a command. */
static size_t
step_fields(const struct pb_step *st, struct field *f)
{
	size_t n = 0;

	add_field(f, &n, "run", st->run, 0);
	add_field(f, &n, "cwd", st->cwd, 1);
	if (st->destructive)
		add_field(f, &n, "confirm", st->confirm, 1);
	add_field(f, &n, "template", st->template, 1);
	if (st->kind == STEP_KIND_PROBE) {
		add_field(f, &n, "probe.tag", st->probe.tag, 1);
		add_field(f, &n, "probe.version", st->probe.version, 1);
		add_field(f, &n, "probe.url", st->probe.url, 1);
	}
	return n;
}

/* --- what the playbook sets ----------------------------------------------- */

static void
add_value(struct var_info *v, const char *value)
{
	for (size_t i = 0; i < v->n_values; i++)
		if (strcmp(v->values[i], value) == 0)
			return;
	v->values = xrealloc(v->values, (v->n_values + 1) * sizeof(char *));
	v->values[v->n_values++] = value;
}

static void
note_when_values(struct lint *l, const struct pb_when *w, int is_step)
{
	for (size_t c = 0; c < w->n_conds; c++) {
		int v = playbook_var_index(l->pb, w->conds[c].var);

		if (v < 0)
			continue;
		l->vars[v].is_cond |= is_step;
		for (size_t k = 0; k < w->conds[c].n_values; k++)
			add_value(&l->vars[v], w->conds[c].values[k]);
	}
}

static void
note_setters(struct lint *l, const struct pb_step *st)
{
	int v = st->variable ? playbook_var_index(l->pb, st->variable) : -1;

	if (v >= 0)
		l->vars[v].n_setters++;
	for (size_t o = 0; o < st->n_options; o++) {
		const struct pb_option *opt = &st->options[o];

		if (v >= 0)
			add_value(&l->vars[v], opt->id);
		for (size_t k = 0; k < opt->n_sets; k++) {
			int s = playbook_var_index(l->pb, opt->sets[k].name);

			if (s < 0)
				continue;
			l->vars[s].n_setters++;
			add_value(&l->vars[s], opt->sets[k].value);
		}
	}
}

static void
note_uses(struct lint *l, const struct pb_step *st, const char *path)
{
	struct field f[FIELDS_MAX];
	size_t n = step_fields(st, f);

	for (size_t i = 0; i < n; i++)
		for (size_t v = 0; v < l->pb->n_variables; v++)
			if (!l->vars[v].used_by &&
			    playbook_text_refs(f[i].text, l->pb->variables[v].name))
				l->vars[v].used_by = xasprintf("%s.%s", path,
							       f[i].name);
}

static void
collect_vars(struct lint *l)
{
	const struct playbook *pb = l->pb;

	l->vars = xcalloc(pb->n_variables + 1, sizeof(*l->vars));
	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];
			char *path = step_path(p, i);

			note_when_values(l, &st->when, 1);
			note_setters(l, st);
			note_uses(l, st, path);
			free(path);
		}
	}
	for (size_t i = 0; i < pb->rto.n_rules; i++)
		note_when_values(l, &pb->rto.rules[i].when, 0);
	for (size_t v = 0; v < pb->n_variables; v++)
		if (pb->variables[v].default_value)
			add_value(&l->vars[v], pb->variables[v].default_value);
}

static void
free_vars(struct lint *l)
{
	for (size_t v = 0; v < l->pb->n_variables; v++) {
		free(l->vars[v].values);
		free(l->vars[v].used_by);
	}
	free(l->vars);
}

/* Nothing in the playbook gives variable V a value (a time_of variable
 * gets one from the journal). */
static int
is_unsettable(const struct lint *l, int v)
{
	return l->vars[v].n_setters == 0 &&
	       !l->pb->variables[v].default_value &&
	       !l->pb->variables[v].n_time_of;
}

/* --- rule: every when names a variable something sets ---------------------- */

static void
when_unset_in(struct lint *l, const struct pb_when *w, const char *path,
	      const char *where)
{
	for (size_t c = 0; c < w->n_conds; c++) {
		const char *name = w->conds[c].var;
		int v = playbook_var_index(l->pb, name);
		char *at, *fix;

		if (v < 0 || !is_unsettable(l, v))
			continue;
		at = xasprintf("%s.when.%s", path, name);
		fix = xasprintf("add an input step (\"variable\": \"%s\") or a "
				"decide option that sets it%s, or give "
				"variables.%s a default", name, where, name);
		report(l, LINT_ERROR, at, fix, "no step sets %s and it has no "
		       "default, so the condition holds only if the operator "
		       "happens to pass -v %s=VALUE", name, name);
		free(fix);
		free(at);
	}
}

static void
rule_when_unset(struct lint *l)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			char *path = step_path(p, i);

			when_unset_in(l, &pb->phases[p].steps[i].when, path,
				      " before this step");
			free(path);
		}
	}
	for (size_t i = 0; i < pb->rto.n_rules; i++) {
		char *path = xasprintf("targets_rto.rules[%zu]", i);

		when_unset_in(l, &pb->rto.rules[i].when, path, "");
		free(path);
	}
}

/* --- rule: variables only the operator can give ----------------------------- */

static void
rule_start_variable(struct lint *l)
{
	for (size_t v = 0; v < l->pb->n_variables; v++) {
		const char *name = l->pb->variables[v].name;
		char *at, *fix;

		if (!l->vars[v].used_by || !is_unsettable(l, (int)v))
			continue;
		at = xasprintf("variables.%s", name);
		fix = xasprintf("add an input step (\"variable\": \"%s\") "
				"before %s, or give it a default", name,
				l->vars[v].used_by);
		report(l, LINT_WARNING, at, fix, "%s is used by %s but no step "
		       "sets it and it has no default: the operator must give "
		       "-v %s=VALUE at start", name, l->vars[v].used_by, name);
		free(fix);
		free(at);
	}
}

/* --- rule: ${NAME} that is no variable and no fact ---------------------------- */

/* The declared variable closest to NAME (at most two edits), or NULL. */
static const char *
closest_var(const struct playbook *pb, const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (size_t v = 0; v < pb->n_variables; v++) {
		const char *cand = pb->variables[v].name;
		size_t n = strlen(name), m = strlen(cand), d;
		size_t row[66], prev, tmp;

		if (n > 64 || m > 64)
			continue;
		for (size_t j = 0; j <= m; j++)
			row[j] = j;
		for (size_t i = 1; i <= n; i++) {
			prev = row[0];
			row[0] = i;
			for (size_t j = 1; j <= m; j++) {
				tmp = row[j];
				d = prev + (name[i - 1] != cand[j - 1]);
				if (row[j] + 1 < d)
					d = row[j] + 1;
				if (row[j - 1] + 1 < d)
					d = row[j - 1] + 1;
				row[j] = d;
				prev = tmp;
			}
		}
		if (row[m] < best_d) {
			best_d = row[m];
			best = cand;
		}
	}
	return best;
}

static void
report_unknown(struct lint *l, const char *path, const char *name,
	       int is_template)
{
	const char *near = closest_var(l->pb, name);
	char *fix;

	if (near)
		fix = xasprintf("did you mean %s? otherwise declare %s under "
				"variables", near, name);
	else if (is_template)
		fix = xasprintf("declare %s under variables, or use a fact "
				"(OPERATOR, PLAYBOOK, SESSION_DIR, MODE, STARTED_AT, "
				"COMPLETED_AT, APPROVERS, DECISION, DECISION_REASON)",
				name);
	else
		fix = xasprintf("declare %s under variables (commands get "
				"variables as environment), or assign it in "
				"the command", name);
	if (is_template)
		report(l, LINT_ERROR, path, fix, "${%s} is not a variable or "
		       "a fact: rewind refuses to expand it", name);
	else
		report(l, LINT_ERROR, path, fix, "$%s is not a variable, is "
		       "not assigned in the command and is not a standard "
		       "environment variable: the shell expands it to "
		       "nothing", name);
	free(fix);
}

static void
unknown_in_template(struct lint *l, const char *path, const char *text)
{
	for (const char *p = strstr(text, "${"); p; p = strstr(p + 2, "${")) {
		const char *end = strchr(p + 2, '}');
		char *name;

		if (!end)
			break;
		name = xstrndup(p + 2, (size_t)(end - p - 2));
		if (playbook_var_index(l->pb, name) < 0 && !session_is_fact(name))
			report_unknown(l, path, name, 1);
		free(name);
	}
}

/* Environment variables a command may use without declaring them. */
static int
is_standard_env(const char *name)
{
	static const char *const env[] = {
		"HOME", "PATH", "USER", "LOGNAME", "PWD", "OLDPWD", "SHELL",
		"TMPDIR", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "TZ",
		"HOSTNAME", "IFS", "PPID", "RANDOM", "LINENO", "SECONDS",
		"UID", "EUID", "EDITOR", "VISUAL", "PAGER", "CI",
		"XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
		"XDG_DATA_HOME", "XDG_RUNTIME_DIR", NULL,
	};

	for (size_t i = 0; env[i]; i++)
		if (strcmp(env[i], name) == 0)
			return 1;
	return 0;
}

static int
is_segment_end(char c)
{
	return c == ';' || c == '|' || c == '&' || c == '\n' || c == '(' ||
	       c == '{';
}

/* The first word of the shell command segment holding AT, after
 * keywords like while/if/do, copied into WORD. */
static void
segment_head(const char *text, const char *at, char *word, size_t size)
{
	static const char *const keywords[] = {
		"while", "until", "if", "then", "do", "else", "!", NULL,
	};
	const char *p = at;
	size_t n;
	int again = 1;

	while (p > text && !is_segment_end(p[-1]))
		p--;
	while (again) {
		again = 0;
		p += strspn(p, " \t");
		n = strcspn(p, " \t;|&\n");
		for (size_t k = 0; keywords[k]; k++) {
			if (n == strlen(keywords[k]) &&
			    strncmp(p, keywords[k], n) == 0 && p + n < at) {
				p += n;
				again = 1;
			}
		}
	}
	n = strcspn(p, " \t;|&\n");
	snprintf(word, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/* Whether the command TEXT assigns NAME itself: NAME=..., for NAME in,
 * read ... NAME. */
static int
is_assigned(const char *text, const char *name)
{
	size_t n = strlen(name);
	char head[16];

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		if (p > text && (playbook_is_name_char(p[-1]) || p[-1] == '$' ||
				 p[-1] == '{'))
			continue;
		if (playbook_is_name_char(p[n]))
			continue;
		if (p[n] == '=')
			return 1;
		segment_head(text, p, head, sizeof(head));
		if (strcmp(head, "read") == 0 || strcmp(head, "for") == 0)
			return 1;
	}
	return 0;
}

static int
is_upper_name(const char *s, size_t n)
{
	if (n == 0 || !(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(isupper((unsigned char)s[i]) ||
		      isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* Where the shell would expand the next $NAME of TEXT from P: outside
 * single quotes, and inside $(...) with the quoting reset. Returns the
 * '$' or NULL. */
static const char *
next_shell_ref(const char *p, int *sq, int *dq, unsigned *stack, int *depth)
{
	for (; *p; p++) {
		if (*sq) {
			*sq = *p != '\'';
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '\'' && !*dq) {
			*sq = 1;
		} else if (*p == '"') {
			*dq = !*dq;
		} else if (*p == '$' && p[1] == '(' && *depth < 31) {
			*stack = (*stack << 1) | (unsigned)*dq;
			(*depth)++;
			*dq = 0;
			p++;
		} else if (*p == ')' && !*dq && *depth > 0) {
			*dq = (int)(*stack & 1);
			*stack >>= 1;
			(*depth)--;
		} else if (*p == '$') {
			return p;
		}
	}
	return NULL;
}

/* Each $NAME of command TEXT that nothing sets: the playbook, the shell
 * (assigned in TEXT), the user's environment, nor rewind (cmdenv, which
 * gives a message command, IS_MESSAGE, two names more). */
static void
unknown_in_command(struct lint *l, const char *path, const char *text,
		   int is_message)
{
	int sq = 0, dq = 0, depth = 0;
	unsigned stack = 0;
	const char *p = text;

	while ((p = next_shell_ref(p, &sq, &dq, &stack, &depth))) {
		const char *name = p + 1 + (p[1] == '{');
		size_t n = 0;
		char *copy;

		while (playbook_is_name_char(name[n]))
			n++;
		p = name + n;
		if (!is_upper_name(name, n))
			continue;
		copy = xstrndup(name, n);
		if (playbook_var_index(l->pb, copy) < 0 && !is_standard_env(copy) &&
		    !cmdenv_sets(copy, is_message) && !is_assigned(text, copy))
			report_unknown(l, path, copy, 0);
		free(copy);
	}
}

/* A message step's command runs like a run step's, with its text on
 * stdin and the message's own two names besides. */
static void
unknown_in_message_command(struct lint *l, const struct pb_step *st,
			   const char *sp)
{
	char *path;

	if (st->kind != STEP_KIND_MESSAGE || !st->command)
		return;
	path = xasprintf("%s.command", sp);
	unknown_in_command(l, path, st->command, 1);
	free(path);
}

static void
rule_unknown_reference(struct lint *l)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			struct field f[FIELDS_MAX];
			size_t n = step_fields(&pb->phases[p].steps[i], f);
			char *sp = step_path(p, i);

			for (size_t k = 0; k < n; k++) {
				char *path = xasprintf("%s.%s", sp, f[k].name);

				if (f[k].is_template)
					unknown_in_template(l, path, f[k].text);
				else
					unknown_in_command(l, path, f[k].text,
							   0);
				free(path);
			}
			unknown_in_message_command(l, &pb->phases[p].steps[i],
						   sp);
			free(sp);
		}
	}
}

/* --- rule: $NAME in a template stays as written ------------------------------ */

static void
unbraced_in(struct lint *l, const char *path, const char *text)
{
	for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$')) {
		size_t n = 0;
		char *name, *fix;

		while (playbook_is_name_char(p[1 + n]))
			n++;
		if (n == 0)
			continue;
		name = xstrndup(p + 1, n);
		if (playbook_var_index(l->pb, name) >= 0 || session_is_fact(name)) {
			fix = xasprintf("write ${%s}", name);
			report(l, LINT_WARNING, path, fix, "$%s is left as "
			       "written: only ${%s} is replaced", name, name);
			free(fix);
		}
		free(name);
	}
}

static void
rule_unbraced_reference(struct lint *l)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			struct field f[FIELDS_MAX];
			size_t n = step_fields(&pb->phases[p].steps[i], f);
			char *sp = step_path(p, i);

			for (size_t k = 0; k < n; k++) {
				char *path = xasprintf("%s.%s", sp, f[k].name);

				if (f[k].is_template)
					unbraced_in(l, path, f[k].text);
				free(path);
			}
			free(sp);
		}
	}
}

/* --- rules: destructive steps and their confirmation ------------------------ */

/* The declared variable the command of ST names first that says what is
 * at stake, or NULL: never a secret (the operator would type it) nor a
 * variable saying where (a namespace, a connection string). */
static const char *
first_run_var(const struct playbook *pb, const struct pb_step *st)
{
	for (size_t v = 0; v < pb->n_variables; v++)
		if (!pb->variables[v].secret &&
		    !hazard_where_name(pb->variables[v].name) &&
		    !hazard_ticket_name(pb->variables[v].name) &&
		    playbook_text_refs(st->run, pb->variables[v].name))
			return pb->variables[v].name;
	return NULL;
}

static int
confirm_names_var(const struct pb_step *st)
{
	for (const char *p = strstr(st->confirm, "${"); p;
	     p = strstr(p + 2, "${"))
		if (strchr(p + 2, '}'))
			return 1;
	return 0;
}

/* The secret variable CONFIRM names (declared secret, or named like
 * one), or NULL. */
static const char *
confirm_secret_var(const struct playbook *pb, const char *confirm)
{
	for (size_t v = 0; v < pb->n_variables; v++)
		if ((pb->variables[v].secret ||
		     redact_is_secret_name(pb->variables[v].name)) &&
		    playbook_text_refs(confirm, pb->variables[v].name))
			return pb->variables[v].name;
	return NULL;
}

static void
check_confirm(struct lint *l, const struct pb_step *st, const char *sp)
{
	const char *var = first_run_var(l->pb, st);
	const char *secret = st->confirm ? confirm_secret_var(l->pb,
							      st->confirm) : NULL;
	const char *written = st->confirm && !secret
			      ? mdimport_confirm_credential(st->confirm) : NULL;
	char *path, *fix;

	if (written) {
		l->rule = "confirm-names-secret";
		path = xasprintf("%s.confirm", sp);
		fix = var ? xasprintf("confirm with the value at stake, e.g. "
				      "\"${%s}\"", var)
			  : xstrdup("confirm with what the command changes");
		report(l, LINT_ERROR, path, fix, "the confirmation holds a "
		       "credential written out (%s): the operator would type "
		       "it, and the journal would keep it", written);
	} else if (secret) {
		l->rule = "confirm-names-secret";
		path = xasprintf("%s.confirm", sp);
		fix = var ? xasprintf("confirm with the value at stake, e.g. "
				      "\"${%s}\"", var)
			  : xstrdup("confirm with what the command changes");
		report(l, LINT_ERROR, path, fix, "the confirmation names the "
		       "secret ${%s}: the operator would type it in clear", secret);
	} else if (!st->confirm) {
		l->rule = "confirm-missing";
		path = xasprintf("%s.destructive", sp);
		fix = var ? xasprintf("add \"confirm\": \"${%s}\" (what the "
				      "command changes)", var)
			  : xstrdup("add \"confirm\" with the text the operator "
				    "must type, naming what is changed");
		report(l, LINT_ERROR, path, fix, "destructive step \"%s\" has "
		       "no confirm, so the operator types its id, which says "
		       "nothing about what is destroyed", st->id);
	} else if (var && !confirm_names_var(st)) {
		l->rule = "confirm-names-nothing";
		path = xasprintf("%s.confirm", sp);
		fix = xasprintf("confirm with the value at stake, e.g. "
				"\"${%s}\"", var);
		report(l, LINT_WARNING, path, fix, "the command uses $%s but "
		       "the confirmation \"%s\" names no variable, so typing it "
		       "does not prove the operator read the value", var,
		       st->confirm);
	} else if (st->run &&
		   !hazard_confirm_names_target(st->run, st->confirm)) {
		l->rule = "confirm-names-no-target";
		path = xasprintf("%s.confirm", sp);
		fix = xstrdup("confirm with what the command acts on: the "
			      "deployment, release, workspace or version "
			      "(\"deployment/web in prod\")");
		report(l, LINT_WARNING, path, fix, "the confirmation \"%s\" "
		       "names no variable and no word of the command's "
		       "arguments, so typing it says nothing about what is "
		       "changed", st->confirm);
	} else {
		return;
	}
	free(fix);
	free(path);
}

/* Commands that destroy or move something others rely on: the rules
 * import marks steps with. */
static const char *
destructive_pattern(const char *run)
{
	return hazard_find(HAZARD_DESTRUCTIVE, run, NULL, NULL);
}

/* A command that needs a terminal, or waits or follows, in a step that
 * does not say so. */
static void
check_interactive_and_timeout(struct lint *l, const struct pb_step *st,
			      const char *sp)
{
	const char *what;
	char *path;

	if (st->kind != STEP_KIND_RUN)
		return;
	what = hazard_find(HAZARD_INTERACTIVE, st->run, NULL, NULL);
	if (what && !st->interactive) {
		l->rule = "looks-interactive";
		path = xasprintf("%s.run", sp);
		report(l, LINT_WARNING, path, "add \"interactive\": true, or "
		       "give the command what it would ask for", "the command "
		       "needs a terminal (%s) but the step is not marked "
		       "interactive", what);
		free(path);
	}
	what = hazard_find(HAZARD_WAITS, st->run, NULL, NULL);
	if (what && !st->timeout_us && !st->interactive) {
		l->rule = "no-timeout";
		path = xasprintf("%s.run", sp);
		report(l, LINT_WARNING, path, "add a \"timeout\" (e.g. \"10m\")",
		       "the command waits or follows (%s) and the step has no "
		       "timeout, so it may never end", what);
		free(path);
	}
}

/* A run step whose command writes out a credential (a token of a known
 * shape, a password given on the command line): the playbook, the
 * journal and the report would all show it. */
static void
check_literal_credential(struct lint *l, const struct pb_step *st,
			 const char *sp)
{
	const char *what = st->kind == STEP_KIND_RUN && st->run
			   ? mdimport_literal_credential(st->run) : NULL;
	char *path;

	if (!what)
		return;
	l->rule = "literal-credential";
	path = xasprintf("%s.run", sp);
	report(l, LINT_WARNING, path, "take the value out into a secret "
	       "variable (\"secret\": true) and revoke it", "step %s runs "
	       "a credential written out (%s): the playbook, the journal and "
	       "the report would show it", st->id, what);
	free(path);
}

static void
rule_destructive(struct lint *l)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];
			char *sp = step_path(p, i), *path, *fix;
			const char *pat;

			if (st->kind == STEP_KIND_RUN && st->destructive)
				check_confirm(l, st, sp);
			if (st->kind == STEP_KIND_RUN && !st->destructive &&
			    st->confirm) {
				l->rule = "confirm-ignored";
				path = xasprintf("%s.confirm", sp);
				report(l, LINT_WARNING, path, "mark the step "
				       "\"destructive\": true, or drop confirm",
				       "confirm is ignored: the step is not "
				       "destructive");
				free(path);
			}
			check_interactive_and_timeout(l, st, sp);
			check_literal_credential(l, st, sp);
			pat = st->kind == STEP_KIND_RUN && !st->destructive
				? destructive_pattern(st->run) : NULL;
			if (pat) {
				l->rule = "looks-destructive";
				path = xasprintf("%s.run", sp);
				fix = xasprintf("add \"destructive\": true and a "
						"confirm, or split the harmless "
						"part into its own step");
				report(l, LINT_WARNING, path, fix, "the command "
				       "looks destructive (%s) but the step is "
				       "not marked destructive", pat);
				free(fix);
				free(path);
			}
			free(sp);
		}
	}
}

/* --- rule: drill coverage ------------------------------------------------------ */

static int
scenarios_cover(const struct playbook *pb, const char *id)
{
	for (size_t s = 0; s < pb->n_scenarios; s++)
		for (size_t o = 0; o < pb->scenarios[s].n_outcomes; o++)
			if (strcmp(pb->scenarios[s].outcomes[o].step, id) == 0)
				return 1;
	return 0;
}

static void
drill_check(struct lint *l, const struct pb_step *st, const char *sp)
{
	int runs = st->kind == STEP_KIND_RUN || st->kind == STEP_KIND_PROBE;
	int sends = st->kind == STEP_KIND_MESSAGE &&
		    st->channel != CHANNEL_FILE;

	if (st->drill.present || scenarios_cover(l->pb, st->id))
		return;
	if (st->kind == STEP_KIND_WAIT)
		report(l, LINT_WARNING, sp, "add a \"drill\" block with what "
		       "watching would show", "wait step \"%s\" has no drill "
		       "block: a drill passes it at once and shows nothing",
		       st->id);
	else if (runs)
		report(l, LINT_ERROR, sp, "add a \"drill\" block with the "
		       "output the real command would print (or an outcome "
		       "in a scenario)", "%s step \"%s\" has no drill block "
		       "and no scenario outcome: a drill shows nothing for "
		       "it", playbook_kind_name(st->kind), st->id);
	else if (sends)
		report(l, LINT_WARNING, sp, "add a \"drill\" block saying "
		       "what sending would report", "message step \"%s\" "
		       "sends through the %s channel but has no drill block",
		       st->id, msg_channel_names[st->channel]);
}

static void
rule_drill_missing(struct lint *l)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			char *sp = step_path(p, i);

			drill_check(l, &pb->phases[p].steps[i], sp);
			free(sp);
		}
	}
}

/* --- rules: steps that run beside others ---------------------------------------- */

static size_t
count_parallel(const struct playbook *pb)
{
	size_t n = 0;

	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++)
			n += pb->phases[p].steps[i].parallel;
	return n;
}

/* "parallel" on an interactive step (it takes the terminal), or on the
 * only such step (it needs a partner to run beside). */
static void
parallel_check(struct lint *l, const struct pb_step *st, const char *sp,
	       size_t n_parallel)
{
	char *path = xasprintf("%s.parallel", sp);

	if (st->interactive) {
		l->rule = "parallel-interactive";
		report(l, LINT_ERROR, path, "drop \"parallel\" or "
		       "\"interactive\"", "interactive step \"%s\" takes "
		       "over the terminal, so it cannot run beside other "
		       "commands", st->id);
	} else if (n_parallel == 1) {
		l->rule = "parallel-alone";
		report(l, LINT_WARNING, path, "mark the step it may run "
		       "beside \"parallel\": true as well, or drop it",
		       "step \"%s\" is the only parallel step: a command "
		       "runs beside another only when both are marked, so it "
		       "still runs alone", st->id);
	}
	free(path);
}

static void
rule_parallel(struct lint *l)
{
	const struct playbook *pb = l->pb;
	size_t n = count_parallel(pb);

	for (int p = 0; p < PHASE_COUNT && n; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			char *sp;

			if (!pb->phases[p].steps[i].parallel)
				continue;
			sp = step_path(p, i);
			parallel_check(l, &pb->phases[p].steps[i], sp, n);
			free(sp);
		}
	}
}

/* --- the decision-path walk ------------------------------------------------------ */

/* A state gives each variable a value: UNSET, an index into its
 * var_info values, or n_values for "some other value". States are kept
 * distinct in a hash set. */
#define UNSET (-1)
#define SKIPPED (-2)	/* unset: the optional step setting it was left */

struct states {
	int *v;			/* n * width values */
	size_t n, cap, width;
	size_t *slots;		/* hash set: index + 1, 0 = empty */
	size_t n_slots;
};

static uint64_t
state_hash(const int *s, size_t width)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < width; i++) {
		h ^= (uint64_t)(unsigned)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void states_add(struct states *ss, const int *s);

static void
states_rehash(struct states *ss)
{
	size_t n = ss->n;

	free(ss->slots);
	ss->n_slots = ss->n_slots ? ss->n_slots * 2 : 64;
	ss->slots = xcalloc(ss->n_slots, sizeof(*ss->slots));
	ss->n = 0;
	for (size_t i = 0; i < n; i++)
		states_add(ss, ss->v + i * ss->width);
}

static void
states_add(struct states *ss, const int *s)
{
	size_t w = ss->width, slot;

	if ((ss->n + 1) * 2 > ss->n_slots)
		states_rehash(ss);
	slot = state_hash(s, w) & (ss->n_slots - 1);
	for (; ss->slots[slot]; slot = (slot + 1) & (ss->n_slots - 1))
		if (memcmp(ss->v + (ss->slots[slot] - 1) * w, s,
			   w * sizeof(int)) == 0)
			return;
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? ss->cap * 2 : 16;
		ss->v = xrealloc(ss->v, ss->cap * w * sizeof(int));
	}
	memmove(ss->v + ss->n * w, s, w * sizeof(int));
	ss->slots[slot] = ++ss->n;
}

static void
states_done(struct states *ss)
{
	free(ss->v);
	free(ss->slots);
	memset(ss, 0, sizeof(*ss));
}

struct walk {
	struct lint *l;
	struct states cur;
	int *scratch;		/* one state */
	int stopped;
	const struct pb_step **rollbacks;	/* rollback steps met so far */
	int *rollback_phases;			/* and their phases */
	size_t n_rollbacks;
};

static int
value_index(const struct lint *l, int v, const char *value)
{
	const struct var_info *vi = &l->vars[v];

	for (size_t i = 0; vi->is_cond && i < vi->n_values; i++)
		if (strcmp(vi->values[i], value) == 0)
			return (int)i;
	return (int)vi->n_values;
}

static int
cond_holds(const struct lint *l, const struct pb_cond *c, const int *s)
{
	int v = playbook_var_index(l->pb, c->var);
	int val = v < 0 ? UNSET : s[v];

	if (val < 0 || (size_t)val >= l->vars[v].n_values)
		return 0;
	for (size_t k = 0; k < c->n_values; k++)
		if (strcmp(c->values[k], l->vars[v].values[val]) == 0)
			return 1;
	return 0;
}

static int
when_holds(const struct lint *l, const struct pb_when *w, const int *s)
{
	for (size_t c = 0; c < w->n_conds; c++)
		if (!cond_holds(l, &w->conds[c], s))
			return 0;
	return 1;
}

/* Add S with variable V given each value an operator could type. */
static void
branch_free_value(struct walk *w, struct states *out, const int *s, int v)
{
	const struct pb_variable *var = &w->l->pb->variables[v];
	const struct var_info *vi = &w->l->vars[v];
	int *t = w->scratch;

	memcpy(t, s, w->cur.width * sizeof(int));
	for (size_t i = 0; vi->is_cond && i < vi->n_values; i++) {
		if (playbook_var_validate(var, vi->values[i], NULL) < 0)
			continue;
		t[v] = (int)i;
		states_add(out, t);
	}
	t[v] = (int)vi->n_values;
	states_add(out, t);
}

static void
branch_decide(struct walk *w, struct states *out, const int *s,
	      const struct pb_step *st)
{
	int v = st->variable ? playbook_var_index(w->l->pb, st->variable) : -1;
	int *t = w->scratch;

	for (size_t o = 0; o < st->n_options; o++) {
		const struct pb_option *opt = &st->options[o];

		memcpy(t, s, w->cur.width * sizeof(int));
		if (v >= 0)
			t[v] = value_index(w->l, v, opt->id);
		for (size_t k = 0; k < opt->n_sets; k++) {
			int sv = playbook_var_index(w->l->pb, opt->sets[k].name);

			if (sv >= 0)
				t[sv] = value_index(w->l, sv,
						    opt->sets[k].value);
		}
		states_add(out, t);
	}
}

static int
is_setter(const struct pb_step *st)
{
	return (st->kind == STEP_KIND_INPUT && st->variable) ||
	       st->kind == STEP_KIND_DECIDE;
}

static void
mark_skipped(int *t, int v)
{
	if (v >= 0 && t[v] == UNSET)
		t[v] = SKIPPED;
}

/* S as it is when the operator leaves optional step ST undone. */
static void
add_skipped(struct walk *w, struct states *out, const int *s,
	    const struct pb_step *st)
{
	int *t = w->scratch;

	memcpy(t, s, w->cur.width * sizeof(int));
	if (st->variable)
		mark_skipped(t, playbook_var_index(w->l->pb, st->variable));
	for (size_t o = 0; o < st->n_options; o++)
		for (size_t k = 0; k < st->options[o].n_sets; k++)
			mark_skipped(t, playbook_var_index(w->l->pb,
					 st->options[o].sets[k].name));
	states_add(out, t);
}

/* The states after ST: each active state branches on what ST can set
 * (and, when ST is optional, on leaving it undone). */
static void
walk_advance(struct walk *w, const struct pb_step *st)
{
	struct states next = { .width = w->cur.width };

	for (size_t i = 0; i < w->cur.n; i++) {
		const int *s = w->cur.v + i * w->cur.width;
		int active = when_holds(w->l, &st->when, s);

		if (!active) {
			states_add(&next, s);
			continue;
		}
		if (!st->required)
			add_skipped(w, &next, s, st);
		if (st->kind == STEP_KIND_INPUT)
			branch_free_value(w, &next, s,
					  playbook_var_index(w->l->pb, st->variable));
		else
			branch_decide(w, &next, s, st);
	}
	states_done(&w->cur);
	w->cur = next;
}

/* "RESPONSE=rollback, SCOPE=deps": the decisions of state S. */
static char *
describe_state(const struct lint *l, const int *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t shown = 0;

	for (size_t v = 0; v < l->pb->n_variables; v++) {
		const struct var_info *vi = &l->vars[v];

		if (!vi->is_cond || s[v] < 0 || shown >= 6)
			continue;
		strbuf_addf(&sb, "%s%s=%s", shown++ ? ", " : "",
			    l->pb->variables[v].name,
			    (size_t)s[v] < vi->n_values ? vi->values[s[v]]
							: "(another value)");
	}
	if (!shown)
		strbuf_adds(&sb, "before any decision");
	return strbuf_detach(&sb);
}

/* "\"a\", \"b\"": the values condition C names. */
static char *
join_values(const struct pb_cond *c)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t k = 0; k < c->n_values; k++)
		strbuf_addf(&sb, "%s\"%s\"", k ? ", " : "", c->values[k]);
	return strbuf_detach(&sb);
}

static void
report_unreachable(struct walk *w, const struct pb_step *st, const char *sp)
{
	struct lint *l = w->l;

	l->rule = "unreachable";
	for (size_t c = 0; c < st->when.n_conds; c++) {
		const struct pb_cond *cond = &st->when.conds[c];
		int ever = 0;
		char *path, *fix, *values;

		for (size_t i = 0; i < w->cur.n && !ever; i++)
			ever = cond_holds(l, cond, w->cur.v + i * w->cur.width);
		if (ever)
			continue;
		path = xasprintf("%s.when.%s", sp, cond->var);
		values = join_values(cond);
		fix = xasprintf("use a value an earlier input or decide step "
				"can give %s (and its pattern allows), or move "
				"the step after the one that sets it",
				cond->var);
		report(l, LINT_ERROR, path, fix, "step \"%s\" is never active: "
		       "no decision path gives %s %s%s by then", st->id,
		       cond->var, cond->n_values > 1 ? "any of " : "", values);
		free(values);
		free(fix);
		free(path);
		return;
	}
	{
		char *path = xasprintf("%s.when", sp);

		report(l, LINT_ERROR, path, "drop or change a condition so "
		       "that the decisions can agree", "step \"%s\" is never "
		       "active: its conditions never hold together on any "
		       "decision path", st->id);
		free(path);
	}
}

/* Why variable V is unset in the active states of ST: on every path, when
 * an optional step is skipped, or on the path of one state. */
static char *
why_unset(const struct walk *w, const struct pb_step *st, size_t v,
	  const int *example)
{
	size_t n_active = 0, n_unset = 0;

	for (size_t i = 0; i < w->cur.n; i++) {
		const int *s = w->cur.v + i * w->cur.width;

		if (!when_holds(w->l, &st->when, s))
			continue;
		n_active++;
		n_unset += s[v] < 0;
	}
	if (n_unset == n_active)
		return xstrdup("on every decision path that reaches it");
	if (example[v] == SKIPPED)
		return xstrdup("when the optional step that sets it is left "
			       "undone");
	{
		char *path = describe_state(w->l, example);
		char *why = xasprintf("on the path %s", path);

		free(path);
		return why;
	}
}

/* Report each variable ST names that is unset on some path where ST is
 * active; once per variable. A variable left unset because an optional
 * step was skipped is fine for an optional step. */
static void
check_uses(struct walk *w, const struct pb_step *st, const char *sp)
{
	struct lint *l = w->l;
	struct field f[FIELDS_MAX];
	size_t n = step_fields(st, f);

	l->rule = "unset-before-use";
	for (size_t v = 0; v < l->pb->n_variables; v++) {
		const char *name = l->pb->variables[v].name;
		size_t k;

		for (k = 0; k < n && !playbook_text_refs(f[k].text, name); k++)
			;
		if (k == n)
			continue;
		for (size_t i = 0; i < w->cur.n; i++) {
			const int *s = w->cur.v + i * w->cur.width;
			char *path, *fix, *why;

			if (s[v] >= 0 || (s[v] == SKIPPED && !st->required) ||
			    !when_holds(l, &st->when, s))
				continue;
			path = xasprintf("%s.%s", sp, f[k].name);
			why = why_unset(w, st, v, s);
			fix = xasprintf("set %s in an earlier step that is "
					"active on that path, give it a "
					"default, or add a when that excludes "
					"the path", name);
			report(l, LINT_ERROR, path, fix, "%s may be unset when "
			       "step \"%s\" comes: %s", name, st->id, why);
			free(fix);
			free(why);
			free(path);
			break;
		}
	}
}

static int before_the_gate(const struct playbook *pb, int p, size_t i);

static size_t
first_line_len(const char *s, size_t max)
{
	size_t n = strcspn(s, "\n");

	return n < max ? n : max;
}

/* The slot after the variables of a state: an approval was active on
 * its path. */
#define APPROVED(w, s) ((s)[(w)->cur.width - 1])

/* Each state where approve step ST is active is now approved. */
static void
walk_approve(struct walk *w, const struct pb_step *st)
{
	struct states next = { .width = w->cur.width };
	int *t = w->scratch;

	for (size_t i = 0; i < w->cur.n; i++) {
		memcpy(t, w->cur.v + i * w->cur.width,
		       w->cur.width * sizeof(int));
		if (when_holds(w->l, &st->when, t))
			APPROVED(w, t) = 1;
		states_add(&next, t);
	}
	states_done(&w->cur);
	w->cur = next;
}

static int decide_sets(const struct pb_step *st, const char *name);

/* Whether some decide step sets NAME (a choice the operator makes, not a
 * fact such as the environment an input records). */
static int
decided(const struct playbook *pb, const char *name)
{
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++)
			if (pb->phases[p].steps[i].kind == STEP_KIND_DECIDE &&
			    decide_sets(&pb->phases[p].steps[i], name))
				return 1;
	return 0;
}

/* Whether an approve step of the playbook is inactive in state S only
 * because of decisions (each of its conditions that fails names a
 * variable a decide step sets). An approval left out by a fact (an input
 * saying "staging") is its author's choice. */
static int
approval_decided_away(const struct walk *w, const int *s)
{
	const struct playbook *pb = w->l->pb;

	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *ap = &pb->phases[p].steps[i];
			int by_choice = 1, fails = 0;

			if (ap->kind != STEP_KIND_APPROVE)
				continue;
			for (size_t c = 0; c < ap->when.n_conds; c++) {
				if (cond_holds(w->l, &ap->when.conds[c], s))
					continue;
				fails = 1;
				by_choice &= decided(pb, ap->when.conds[c].var);
			}
			if (fails && by_choice)
				return 1;
		}
	return 0;
}

/* The approve steps of the playbook, "\"a\", \"b\"", or "none". */
static char *
approve_step_ids(const struct playbook *pb)
{
	struct strbuf sb = STRBUF_INIT;

	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++)
			if (pb->phases[p].steps[i].kind == STEP_KIND_APPROVE)
				strbuf_addf(&sb, "%s\"%s\"", sb.len ? ", " : "",
					    pb->phases[p].steps[i].id);
	if (!sb.len)
		strbuf_adds(&sb, "none");
	return strbuf_detach(&sb);
}

/* A draft's destructive step active on path S with no approval before
 * it there, whatever left the approvals out: a draft's whens come from
 * prose nobody has checked, so no path is its author's choice yet. */
static void
report_draft_unapproved(struct walk *w, const struct pb_step *st,
			const char *sp, const int *s)
{
	struct lint *l = w->l;
	char *path = describe_state(l, s);
	char *approvals = approve_step_ids(l->pb);

	l->rule = "destructive-unapproved-path";
	report(l, LINT_WARNING, sp, "give an approval whose when holds on "
	       "that path before the step, or a when to the step that leaves "
	       "the path out", "destructive step \"%s\" can run before any "
	       "approval on the path %s (approve steps: %s)", st->id, path,
	       approvals);
	free(path);
	free(approvals);
}

/* A destructive step after the gate that is active on a path where
 * every approval was inactive because of a decision (their when left the
 * path out, as "Do not roll back" does): on that path it runs with
 * nobody's sign-off. Said once, with one such path. In execute a path
 * left unapproved by a decision may be its author's choice (level 1 of a
 * procedure needs no sign-off): there only a draft is held to it; a
 * destructive step in verify or communicate (a contingency) always. */
static void
check_unapproved(struct walk *w, const struct pb_step *st, const char *sp,
		 int p, size_t i)
{
	struct lint *l = w->l;

	if (st->kind != STEP_KIND_RUN || !st->destructive ||
	    before_the_gate(l->pb, p, i) ||
	    (p == PHASE_EXECUTE && !l->pb->draft))
		return;
	for (size_t k = 0; k < w->cur.n; k++) {
		const int *s = w->cur.v + k * w->cur.width;
		char *path;

		if (APPROVED(w, s) || !when_holds(l, &st->when, s))
			continue;
		if (l->pb->draft && !approval_decided_away(w, s)) {
			report_draft_unapproved(w, st, sp, s);
			return;
		}
		if (!approval_decided_away(w, s))
			continue;
		l->rule = "destructive-unapproved-path";
		path = describe_state(l, s);
		report(l, LINT_WARNING, sp, "give an approval whose when holds "
		       "on that path, or a when to the step that leaves the "
		       "path out", "destructive step \"%s\" runs with no "
		       "approval on the path %s: every approve step is "
		       "inactive there", st->id, path);
		free(path);
		return;
	}
}

/* Whether an approve step of the playbook is inactive in state S because
 * of a fact an input records (an ENVIRONMENT of "staging"): leaving that
 * path unapproved is its author's choice. */
static int
approval_left_out_by_fact(const struct walk *w, const int *s)
{
	const struct playbook *pb = w->l->pb;

	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *ap = &pb->phases[p].steps[i];

			if (ap->kind != STEP_KIND_APPROVE)
				continue;
			for (size_t c = 0; c < ap->when.n_conds; c++)
				if (!cond_holds(w->l, &ap->when.conds[c], s) &&
				    !decided(pb, ap->when.conds[c].var))
					return 1;
		}
	return 0;
}

/* The first approve step of the playbook in file order, or NULL. */
static const struct pb_step *
first_approval(const struct playbook *pb)
{
	for (int q = 0; q < PHASE_COUNT; q++)
		for (size_t k = 0; k < pb->phases[q].n_steps; k++)
			if (pb->phases[q].steps[k].kind == STEP_KIND_APPROVE)
				return &pb->phases[q].steps[k];
	return NULL;
}

/* Where an unapproved change stands, in words: before which approval (or
 * that the playbook has none) and on which paths. */
static char *
describe_unapproved_place(struct lint *l, int p, size_t i, const int *bad,
			  int every)
{
	const struct pb_step *gate = first_approval(l->pb);
	char *path, *out;

	if (!gate)
		return xstrdup("and the playbook has no approve step at all");
	if (before_the_gate(l->pb, p, i))
		return xasprintf("before the approval \"%s\", the playbook's "
				 "first approve step", gate->id);
	path = every ? xstrdup("every path") : describe_state(l, bad);
	out = xasprintf("with no approval before it on %s%s",
			every ? "" : "the path ", path);
	free(path);
	return out;
}

/* What to do about an unapproved change, in words. */
static const char *
unapproved_fix(const struct lint *l, int p, size_t i)
{
	if (!first_approval(l->pb))
		return "add an approve step before it, or mark it "
		       "\"destructive\": true with a confirm naming what it "
		       "changes, or use a command known to only read";
	if (before_the_gate(l->pb, p, i))
		return "move it after the approve step, or mark it "
		       "\"destructive\": true with a confirm naming what it "
		       "changes, or use a command known to only read";
	return "put an approve step before it on that path, or mark it "
	       "\"destructive\": true with a confirm naming what it changes, "
	       "or use a command known to only read";
}

/* A run step not marked destructive whose command is not known to only
 * read, active on a path where no approval came before it: it may change
 * something nobody signed off, and the operator is not even asked to
 * confirm. Every playbook is held to it, hand-written or drafted: a
 * backup, a test install or a log written before the first approval is
 * a change nobody approved. Said once, with one such path (or "every
 * path"). */
static void
check_unapproved_change(struct walk *w, const struct pb_step *st,
			const char *sp, int p, size_t i)
{
	struct lint *l = w->l;
	const int *bad = NULL;
	size_t active = 0, unapproved = 0;
	char *what = NULL, *where;

	if (st->kind != STEP_KIND_RUN || !st->run || st->destructive ||
	    st->confirm)
		return;
	for (size_t k = 0; k < w->cur.n; k++) {
		const int *s = w->cur.v + k * w->cur.width;

		if (!when_holds(l, &st->when, s))
			continue;
		active++;
		if (!APPROVED(w, s) && !approval_left_out_by_fact(w, s)) {
			unapproved++;
			bad = bad ? bad : s;
		}
	}
	if (!bad || hazard_read_only(st->run, &what)) {
		free(what);
		return;
	}
	l->rule = "change-before-approval";
	where = describe_unapproved_place(l, p, i, bad, unapproved == active);
	report(l, LINT_WARNING, sp, unapproved_fix(l, p, i),
	       "step \"%s\" runs `%.*s` %s, and it is not known to only read",
	       st->id, (int)first_line_len(what, 80), what, where);
	free(where);
	free(what);
}

static int rollback_of(const char *run, char *kind, size_t ksize,
		       char *target, size_t tsize);
static int same_when(const struct pb_when *a, const struct pb_when *b);

/* A state of the walk where both A and B are active, or NULL. */
static const int *
both_active(const struct walk *w, const struct pb_step *a,
	    const struct pb_step *b)
{
	for (size_t k = 0; k < w->cur.n; k++) {
		const int *s = w->cur.v + k * w->cur.width;

		if (when_holds(w->l, &a->when, s) &&
		    when_holds(w->l, &b->when, s))
			return s;
	}
	return NULL;
}

/* Rollback step ST and an earlier one of another kind on the same
 * target (a revert and a reset of the repository; a rollout undo and a
 * helm rollback of web) are alternatives: on a path where both run, the
 * operator performs two exclusive procedures one after the other. Two
 * of one phase with the same when are said by rule_exclusive; a later
 * phase's rollback with a when of its own is a contingency (reset if
 * verification fails), not an alternative. */
static void
check_exclusive_path(struct walk *w, const struct pb_step *st,
		     const char *sp, int p)
{
	struct lint *l = w->l;
	char ka[32], ta[64], kb[32], tb[64];

	if (st->kind != STEP_KIND_RUN || !st->run ||
	    !rollback_of(st->run, kb, sizeof(kb), tb, sizeof(tb)))
		return;
	for (size_t k = 0; k < w->n_rollbacks; k++) {
		const struct pb_step *a = w->rollbacks[k];
		const int *s;
		char *path;

		rollback_of(a->run, ka, sizeof(ka), ta, sizeof(ta));
		if (strcmp(ka, kb) == 0 || strcmp(ta, tb) != 0 ||
		    (w->rollback_phases[k] == p && same_when(&a->when,
							     &st->when)) ||
		    (w->rollback_phases[k] != p && st->when.n_conds) ||
		    !(s = both_active(w, a, st)))
			continue;
		l->rule = "exclusive-without-when";
		path = describe_state(l, s);
		report(l, LINT_WARNING, sp, "make them options of a decide "
		       "step and give each a when on its option", "steps "
		       "\"%s\" (%s) and \"%s\" (%s) both roll back %s and "
		       "both run on the path %s: they look like alternatives, "
		       "not a sequence", a->id, ka, st->id, kb, ta, path);
		free(path);
		break;
	}
	w->rollbacks = xrealloc(w->rollbacks, (w->n_rollbacks + 1) *
				sizeof(*w->rollbacks));
	w->rollback_phases = xrealloc(w->rollback_phases, (w->n_rollbacks +
				      1) * sizeof(*w->rollback_phases));
	w->rollback_phases[w->n_rollbacks] = p;
	w->rollbacks[w->n_rollbacks++] = st;
}

static void
walk_step(struct walk *w, const struct pb_step *st, const char *sp, int p,
	  size_t i)
{
	int any = 0;

	for (size_t k = 0; k < w->cur.n && !any; k++)
		any = when_holds(w->l, &st->when, w->cur.v + k * w->cur.width);
	if (!any)
		report_unreachable(w, st, sp);
	check_uses(w, st, sp);
	check_unapproved(w, st, sp, p, i);
	check_unapproved_change(w, st, sp, p, i);
	check_exclusive_path(w, st, sp, p);
	if (st->kind == STEP_KIND_APPROVE)
		walk_approve(w, st);
	if (is_setter(st))
		walk_advance(w, st);
}

/* The state before the first step: defaults, and any value for the
 * variables only the operator can give. */
static void
walk_start(struct walk *w)
{
	struct lint *l = w->l;
	int *s = xcalloc(w->cur.width + 1, sizeof(int));

	for (size_t v = 0; v < l->pb->n_variables; v++) {
		const char *def = l->pb->variables[v].default_value;

		if (l->vars[v].n_setters && !def)
			s[v] = UNSET;
		else if (l->vars[v].n_setters)
			s[v] = value_index(l, (int)v, def);
		else
			s[v] = (int)l->vars[v].n_values;
	}
	states_add(&w->cur, s);
	for (size_t v = 0; v < l->pb->n_variables; v++) {
		struct states next = { .width = w->cur.width };

		if (l->vars[v].n_setters || !l->vars[v].is_cond)
			continue;
		for (size_t i = 0; i < w->cur.n; i++)
			branch_free_value(w, &next,
					  w->cur.v + i * w->cur.width, (int)v);
		states_done(&w->cur);
		w->cur = next;
	}
	free(s);
}

static void
rule_paths(struct lint *l)
{
	struct walk w = { .l = l };
	const struct playbook *pb = l->pb;

	w.cur.width = pb->n_variables + 1;	/* and APPROVED */
	w.scratch = xcalloc(w.cur.width, sizeof(int));
	walk_start(&w);
	for (int p = 0; p < PHASE_COUNT && !w.stopped; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			char *sp = step_path(p, i);

			if (w.cur.n > LINT_MAX_STATES) {
				l->rule = "too-many-paths";
				report(l, LINT_WARNING, sp, "split the playbook "
				       "or use fewer independent decisions",
				       "more than %d decision paths: "
				       "reachability and set-before-use were "
				       "not checked from here on",
				       LINT_MAX_STATES);
				free(sp);
				w.stopped = 1;
				break;
			}
			walk_step(&w, &pb->phases[p].steps[i], sp, p, i);
			free(sp);
		}
	}
	states_done(&w.cur);
	free(w.scratch);
	free(w.rollbacks);
	free(w.rollback_phases);
}

/* --- rules: the approval gate --------------------------------------------- */

/* Every condition of A's when is one of D's, with D's values among A's:
 * whenever D is active, A is too. */
static int
when_implies(const struct pb_when *d, const struct pb_when *a)
{
	for (size_t i = 0; i < a->n_conds; i++) {
		const struct pb_cond *ac = &a->conds[i];
		const struct pb_cond *dc = NULL;

		for (size_t j = 0; j < d->n_conds && !dc; j++)
			if (strcmp(d->conds[j].var, ac->var) == 0)
				dc = &d->conds[j];
		if (!dc)
			return 0;
		for (size_t v = 0; v < dc->n_values; v++) {
			size_t w;

			for (w = 0; w < ac->n_values &&
			     strcmp(ac->values[w], dc->values[v]); w++)
				;
			if (w == ac->n_values)
				return 0;
		}
	}
	return 1;
}

/* Step (P, I) comes before the first approve step in file order; with no
 * approve step at all, before the execute phase. */
static int
before_the_gate(const struct playbook *pb, int p, size_t i)
{
	for (int q = 0; q < PHASE_COUNT; q++)
		for (size_t k = 0; k < pb->phases[q].n_steps; k++)
			if (pb->phases[q].steps[k].kind == STEP_KIND_APPROVE)
				return q > p || (q == p && k > i);
	return p < PHASE_EXECUTE;
}

/* A destructive step placed before the approval gate runs before anyone
 * approved it, on every path. (A playbook may leave some paths without an
 * approval on purpose, such as a staging environment: those are its
 * author's choice.) */
static void
rule_destructive_before_approval(struct lint *l)
{
	const struct playbook *pb = l->pb;

	l->rule = "destructive-before-approval";
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];
			char *path;

			if (st->kind != STEP_KIND_RUN || !st->destructive ||
			    !before_the_gate(pb, p, i))
				continue;
			path = step_path(p, i);
			report(l, LINT_WARNING, path, "move it after the approve "
			       "step (the execute phase), or add an approval "
			       "before it", "destructive step \"%s\" runs before "
			       "the approval gate", st->id);
			free(path);
		}
}

/* Decide step ST sets NAME: its variable, or an option's sets. */
static int
decide_sets(const struct pb_step *st, const char *name)
{
	if (st->variable && strcmp(st->variable, name) == 0)
		return 1;
	for (size_t o = 0; o < st->n_options; o++)
		for (size_t k = 0; k < st->options[o].n_sets; k++)
			if (strcmp(st->options[o].sets[k].name, name) == 0)
				return 1;
	return 0;
}

/* Some condition of W names a variable a decide step after the step
 * (AP, AI) sets: the path branches after the approval, which must then
 * be given again. */
static int
decided_after(const struct playbook *pb, const struct pb_when *w, int ap,
	      size_t ai)
{
	for (size_t c = 0; c < w->n_conds; c++)
		for (int p = ap; p < PHASE_COUNT; p++)
			for (size_t i = p == ap ? ai + 1 : 0;
			     i < pb->phases[p].n_steps; i++) {
				const struct pb_step *st = &pb->phases[p].steps[i];

				if (st->kind == STEP_KIND_DECIDE &&
				    decide_sets(st, w->conds[c].var))
					return 1;
			}
	return 0;
}

/* Step ST, in phase P, acts on what the approval covers with NAME: an
 * execute step, or a destructive step in any phase, that uses it. */
static int
acts_with(const struct pb_step *st, int p, const char *name)
{
	if (p != PHASE_EXECUTE && !st->destructive)
		return 0;
	return (st->run && playbook_text_refs(st->run, name)) ||
	       (st->destructive && st->confirm &&
		playbook_text_refs(st->confirm, name));
}

/* The value an approval binds to must be known when it is given: a
 * variable an execute step or any destructive step (verify's "if it
 * fails" steps too) needs, first asked after the first approval, voids
 * it. */
static void
rule_input_after_approval(struct lint *l)
{
	const struct playbook *pb = l->pb;
	int ap = -1;
	size_t ai = 0;

	for (int p = 0; p < PHASE_COUNT && ap < 0; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps && ap < 0; i++)
			if (pb->phases[p].steps[i].kind == STEP_KIND_APPROVE) {
				ap = p;
				ai = i;
			}
	if (ap < 0)
		return;
	l->rule = "input-after-approval";
	for (size_t v = 0; v < pb->n_variables; v++) {
		const char *name = pb->variables[v].name;
		int first_p = -1, used = -1;
		size_t first_i = 0;

		for (int p = 0; p < PHASE_COUNT; p++)
			for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
				const struct pb_step *st = &pb->phases[p].steps[i];

				if (st->kind == STEP_KIND_INPUT && first_p < 0 &&
				    strcmp(st->variable, name) == 0) {
					first_p = p;
					first_i = i;
				}
				if (used < 0 && acts_with(st, p, name))
					used = p;
			}
		if (used >= 0 && first_p >= 0 && (first_p > ap ||
					     (first_p == ap && first_i > ai)) &&
		    !decided_after(pb, &pb->phases[first_p].steps[first_i].when,
				   ap, ai)) {
			char *path = step_path(first_p, first_i);

			report(l, LINT_WARNING, path, "ask it before the approval "
			       "(in decide), so the sign-off covers the value",
			       "%s, which %s step needs, is first asked "
			       "after the approval \"%s\", and setting it then "
			       "voids that approval", name, used == PHASE_EXECUTE
			       ? "an execute" : "a destructive",
			       pb->phases[ap].steps[ai].id);
			free(path);
		}
	}
}

/* --- rule: mutually exclusive steps ------------------------------------------- */

/* The first word of S that is not an option (nor an option's value, for
 * -n and --namespace), without a "kind/" prefix ("deployment/web" is
 * "web"); its length in *N. */
static const char *
first_operand(const char *s, size_t *n)
{
	for (;;) {
		size_t w;

		s += strspn(s, " \t");
		w = strcspn(s, " \t\n;&|");
		if (*s != '-')
			break;
		if ((w == 2 && strncmp(s, "-n", 2) == 0) ||
		    (w == 11 && strncmp(s, "--namespace", 11) == 0)) {
			s += w;
			s += strspn(s, " \t");
			w = strcspn(s, " \t\n;&|");
		}
		s += w;
	}
	*n = strcspn(s, " \t\n;&|");
	for (size_t i = *n; i > 0; i--)
		if (s[i - 1] == '/') {
			*n -= i;
			s += i;
			break;
		}
	return s;
}

/* The rollback a command performs and what it acts on ("git" for the
 * repository), in KIND and TARGET; 0 when it is none. */
static int
rollback_of(const char *run, char *kind, size_t ksize, char *target,
	    size_t tsize)
{
	static const struct {
		const char *verb, *kind;
		int target_word;	/* words after the verb to the target */
	} verbs[] = {
		{ "git revert", "revert", -1 }, { "git reset --hard", "reset", -1 },
		{ "git checkout HEAD~", "checkout HEAD~", -1 },
		{ "git checkout HEAD^", "checkout HEAD^", -1 },
		{ "rollout undo", "rollout undo", 0 },
		{ "set image", "set image", 0 }, { "helm rollback", "helm rollback", 0 },
		{ "argocd app rollback", "argocd rollback", 0 },
		{ "argocd app sync", "argocd sync", 0 },
		{ "rollouts undo", "rollouts undo", 0 },
	};

	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		const char *at = strstr(run, verbs[i].verb);
		const char *t;
		size_t n;

		if (!at)
			continue;
		snprintf(kind, ksize, "%s", verbs[i].kind);
		if (verbs[i].target_word < 0) {
			snprintf(target, tsize, "the git repository");
			return 1;
		}
		t = first_operand(at + strlen(verbs[i].verb), &n);
		if (n == 0)
			return 0;
		snprintf(target, tsize, "%.*s", (int)n, t);
		return 1;
	}
	return 0;
}

static int
same_when(const struct pb_when *a, const struct pb_when *b)
{
	return when_implies(a, b) && when_implies(b, a);
}

static void
exclusive_check(struct lint *l, int p, size_t i, size_t j)
{
	const struct pb_step *a = &l->pb->phases[p].steps[i];
	const struct pb_step *b = &l->pb->phases[p].steps[j];
	char ka[32], ta[64], kb[32], tb[64];
	char *path;

	if (!rollback_of(a->run, ka, sizeof(ka), ta, sizeof(ta)) ||
	    !rollback_of(b->run, kb, sizeof(kb), tb, sizeof(tb)) ||
	    strcmp(ka, kb) == 0 || strcmp(ta, tb) != 0 ||
	    !same_when(&a->when, &b->when))
		return;
	path = xasprintf("phases[%d].steps[%zu]", p, j);
	report(l, LINT_WARNING, path, "make them options of a decide step "
	       "and give each a when on its option", "steps \"%s\" (%s) and "
	       "\"%s\" (%s) both roll back %s and run on the same path: "
	       "they look like alternatives, not a sequence", a->id, ka,
	       b->id, kb, ta);
	free(path);
}

static void
rule_exclusive(struct lint *l)
{
	const struct playbook *pb = l->pb;

	l->rule = "exclusive-without-when";
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++)
			for (size_t j = i + 1; j < pb->phases[p].n_steps; j++)
				if (pb->phases[p].steps[i].run &&
				    pb->phases[p].steps[j].run)
					exclusive_check(l, p, i, j);
}

/* --- rule: a destructive step no approval covers ----------------------------- */

/* Some approve step gates phase P's step ST (its id, or its phase; an
 * approve step without gates gates execute). */
static int
covered_by_approval(const struct playbook *pb, int p, const struct pb_step *st)
{
	const char *phase = playbook_phase_name((enum phase_id)p);

	for (int q = 0; q < PHASE_COUNT; q++)
		for (size_t i = 0; i < pb->phases[q].n_steps; i++) {
			const struct pb_step *ap = &pb->phases[q].steps[i];

			if (ap->kind != STEP_KIND_APPROVE)
				continue;
			if (!ap->n_gates && p == PHASE_EXECUTE)
				return 1;
			for (size_t g = 0; g < ap->n_gates; g++)
				if (strcmp(ap->gates[g], phase) == 0 ||
				    strcmp(ap->gates[g], st->id) == 0)
					return 1;
		}
	return 0;
}

static void
rule_destructive_uncovered(struct lint *l)
{
	const struct playbook *pb = l->pb;
	int any = 0;

	for (int q = 0; q < PHASE_COUNT && !any; q++)
		for (size_t i = 0; i < pb->phases[q].n_steps && !any; i++)
			any = pb->phases[q].steps[i].kind == STEP_KIND_APPROVE;
	if (!any)
		return;	/* no approval at all: destructive-before-approval */
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];
			char *path;

			if (st->kind != STEP_KIND_RUN || !st->destructive ||
			    before_the_gate(pb, p, i) ||
			    covered_by_approval(pb, p, st))
				continue;
			path = step_path(p, i);
			report(l, LINT_WARNING, path, "move it into execute, or "
			       "add its id to an approve step's gates", "destructive "
			       "step \"%s\" in %s is gated by no approval: the "
			       "approver never sees it and it runs without the "
			       "sign-off", st->id,
			       playbook_phase_name((enum phase_id)p));
			free(path);
		}
}

/* --- rule: a later step relies on an earlier step's export ------------------ */

/* Steps with conditions A and B can both run on one path. */
static int
whens_meet(const struct pb_when *a, const struct pb_when *b)
{
	for (size_t i = 0; i < a->n_conds; i++)
		for (size_t j = 0; j < b->n_conds; j++) {
			int meet = 0;

			if (strcmp(a->conds[i].var, b->conds[j].var) != 0)
				continue;
			for (size_t v = 0; v < a->conds[i].n_values && !meet; v++)
				for (size_t w = 0; w < b->conds[j].n_values &&
				     !meet; w++)
					meet = strcmp(a->conds[i].values[v],
						      b->conds[j].values[w]) == 0;
			if (!meet)
				return 0;
		}
	return 1;
}

/* The name an "export NAME=..." line of a script starts (not indented:
 * not inside an if or a loop), copied into NAME; 0 when it is none. */
static int
exported_name(const char *line, char *name, size_t size)
{
	size_t n;

	if (strncmp(line, "export ", 7) != 0)
		return 0;
	line += 7;
	line += strspn(line, " \t");
	n = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		   "0123456789_");
	if (!n || n >= size || line[n] != '=')
		return 0;
	snprintf(name, size, "%.*s", (int)n, line);
	return 1;
}

static void
export_users(struct lint *l, const struct pb_step *s, const char *name,
	     int p0, size_t i0)
{
	const struct playbook *pb = l->pb;

	for (int p = p0; p < PHASE_COUNT; p++)
		for (size_t i = p == p0 ? i0 + 1 : 0; i < pb->phases[p].n_steps;
		     i++) {
			const struct pb_step *t = &pb->phases[p].steps[i];
			char *path;

			if (!t->run || is_assigned(t->run, name) ||
			    !whens_meet(&s->when, &t->when) ||
			    !hazard_reads_env(t->run, name))
				continue;
			path = xasprintf("phases[%d].steps[%zu].run", p, i);
			report(l, LINT_WARNING, path, "start the step with the "
			       "export line too, or declare the value as a "
			       "variable (commands get variables as "
			       "environment)", "$%s is set only by the export "
			       "in step \"%s\", and each step runs in its own "
			       "shell: \"%s\" runs without it (a tool reading "
			       "it falls back to its default)", name, s->id,
			       t->id);
			free(path);
		}
}

static void
rule_export_not_carried(struct lint *l)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *s = &pb->phases[p].steps[i];

			for (const char *line = s->run; line && *line;
			     line += strcspn(line, "\n") +
				     (line[strcspn(line, "\n")] == '\n')) {
				char name[64];

				if (exported_name(line, name, sizeof(name)) &&
				    playbook_var_index(pb, name) < 0)
					export_users(l, s, name, p, i);
			}
		}
}

/* --- rule: an unreviewed draft ------------------------------------------------ */

static void
rule_draft(struct lint *l)
{
	if (!l->pb->draft)
		return;
	l->rule = "draft";
	report(l, LINT_WARNING, "draft", "settle the review points, then "
	       "remove \"draft\": true", "the playbook is an unreviewed draft "
	       "from rewind import, with %zu review point%s; rewind run "
	       "refuses it", l->pb->n_review, l->pb->n_review == 1 ? "" : "s");
}

/* --- rule: review points left once the draft flag is gone --------------------- */

/* Someone removed "draft": true but not the review points: each says
 * something nobody has checked yet (with --strict, the file is invalid). */
static void
rule_review_left(struct lint *l)
{
	if (l->pb->draft || !l->pb->n_review)
		return;
	l->rule = "review-left";
	report(l, LINT_WARNING, "review", "settle each point, then remove it "
	       "from \"review\"", "%zu review point%s not yet resolved: "
	       "remove each once checked", l->pb->n_review,
	       l->pb->n_review == 1 ? "" : "s");
}

/* --- rule: fixed drill output the scenario's world contradicts ------------------- */

/* Tools whose output names the versions and tags the world holds. */
static int
names_world_versions(const char *run)
{
	static const char *const tools[] = { "npm view", "npm info",
		"npm show", "npm dist-tag", "pip index versions",
		"pip download", "git tag", NULL };

	for (size_t i = 0; tools[i]; i++)
		if (strstr(run, tools[i]))
			return 1;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The version-looking words of TEXT (1.2.3, 1.3.0-beta.2, v1.4.0 as
 * 1.4.0), each once, joined by spaces, sorted. */
static char *
version_words(const char *text)
{
	regex_t re;
	regmatch_t m;
	char **words = NULL, *joined;
	size_t n = 0;
	struct strbuf sb = STRBUF_INIT;

	if (regcomp(&re, "[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z]+(\\.[0-9]+)?)?",
		    REG_EXTENDED) != 0)
		return xstrdup("");
	for (const char *p = text; p && regexec(&re, p, 1, &m, 0) == 0;
	     p += m.rm_eo) {
		char *w = xstrndup(p + m.rm_so, (size_t)(m.rm_eo - m.rm_so));
		size_t i;

		for (i = 0; i < n && strcmp(words[i], w) != 0; i++)
			;
		if (i < n) {
			free(w);
			continue;
		}
		words = xrealloc(words, (n + 1) * sizeof(*words));
		words[n++] = w;
	}
	regfree(&re);
	if (n)		/* qsort must not be given NULL, even for none */
		qsort(words, n, sizeof(*words), cmp_str);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s%s", i ? " " : "", words[i]);
		free(words[i]);
	}
	free(words);
	joined = strbuf_detach(&sb);
	return joined ? joined : xstrdup("");
}

/* The words of A that B lacks, joined by ", ". */
static char *
words_missing(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;
	char *copy = xstrdup(a), *save = NULL, *res;
	char *padded = xasprintf(" %s ", b);

	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		char *key = xasprintf(" %s ", w);

		if (!strstr(padded, key))
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", w);
		free(key);
	}
	free(padded);
	free(copy);
	res = strbuf_detach(&sb);
	return res ? res : xstrdup("");
}

/* "versions: N" as npm view's summary prints it, or -1. */
static long
versions_count(const char *text)
{
	const char *p = text ? strstr(text, "versions: ") : NULL;

	return p ? strtol(p + 10, NULL, 10) : -1;
}

struct world_vars {
	const struct playbook *pb;
	const struct pb_scenario *sc;
};

static const char *
lint_world_var(const char *name, const void *arg)
{
	const struct world_vars *v = arg;

	for (size_t i = 0; v->sc && i < v->sc->n_vars; i++)
		if (strcmp(v->sc->vars[i].name, name) == 0)
			return v->sc->vars[i].value;
	for (size_t i = 0; v->sc && i < v->sc->n_answers; i++)
		if (strcmp(v->sc->answers[i].name, name) == 0)
			return v->sc->answers[i].value;
	for (size_t i = 0; i < v->pb->n_variables; i++)
		if (strcmp(v->pb->variables[i].name, name) == 0)
			return v->pb->variables[i].default_value;
	return NULL;
}

/* The output SC gives ST (its outcome, else the drill block's), or NULL. */
static const char *
fixed_output(const struct pb_scenario *sc, const struct pb_step *st)
{
	for (size_t o = 0; sc && o < sc->n_outcomes; o++)
		if (strcmp(sc->outcomes[o].step, st->id) == 0)
			return sc->outcomes[o].output;
	return st->drill.output;
}

static void
report_world_conflict(struct lint *l, const struct pb_scenario *sc,
		      const struct pb_step *st, const char *sp,
		      const char *extra, const char *lacks, long nf, long nw)
{
	struct strbuf sb = STRBUF_INIT;
	char *text;

	if (*extra)
		strbuf_addf(&sb, "names %s, which the world's answer does not",
			    extra);
	if (*lacks)
		strbuf_addf(&sb, "%slacks %s, which the world's answer shows",
			    sb.len ? "; it " : "", lacks);
	if (nf >= 0 && nw >= 0 && nf != nw)
		strbuf_addf(&sb, "%ssays versions: %ld where the world holds %ld",
			    sb.len ? "; it " : "", nf, nw);
	text = strbuf_detach(&sb);
	report(l, LINT_ERROR, sp, "drop the step's fixed output and let the "
	       "world answer, or give the scenario an outcome that agrees",
	       "%s%s: the fixed output of step \"%s\" %s",
	       sc ? "scenario " : "with no scenario", sc ? sc->id : "",
	       st->id, text);
	free(text);
}

static void
world_output_check(struct lint *l, const struct pb_scenario *sc,
		   const struct pb_step *st, const char *sp)
{
	const char *fixed = fixed_output(sc, st);
	struct world_vars vars = { l->pb, sc };
	cJSON *state;
	struct world_run run = { 0 };
	char *have, *want, *extra, *lacks;
	long nf, nw;

	if (!fixed || !st->run || !names_world_versions(st->run))
		return;
	state = drill_world_start(l->pb, sc, 0);
	if (!world_simulate(state, st->run, lint_world_var, &vars, &run)) {
		cJSON_Delete(state);
		return;
	}
	have = version_words(fixed);
	want = version_words(run.output);
	extra = words_missing(have, want);
	lacks = words_missing(want, have);
	nf = versions_count(fixed);
	nw = versions_count(run.output);
	if (*extra || *lacks || (nf >= 0 && nw >= 0 && nf != nw))
		report_world_conflict(l, sc, st, sp, extra, lacks, nf, nw);
	free(have);
	free(want);
	free(extra);
	free(lacks);
	free(run.output);
	cJSON_Delete(state);
}

static void
world_outputs_for(struct lint *l, const struct pb_scenario *sc)
{
	const struct playbook *pb = l->pb;

	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			char *sp = step_path(p, i);

			world_output_check(l, sc, &pb->phases[p].steps[i], sp);
			free(sp);
		}
	}
}

/* A step's fixed drill output (or a scenario's outcome) that names other
 * versions than the scenario's world holds: the trainee sees one story in
 * the step and another in the Registry and Tags tabs. */
static void
rule_world_outputs(struct lint *l)
{
	if (!l->pb->drill_state_json && !l->pb->n_scenarios)
		return;
	world_outputs_for(l, NULL);
	for (size_t s = 0; s < l->pb->n_scenarios; s++)
		world_outputs_for(l, &l->pb->scenarios[s]);
}

/* The input step asking NAME, or NULL. */
static const struct pb_step *
input_step_of(const struct playbook *pb, const char *name)
{
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];

			if (st->kind == STEP_KIND_INPUT && st->variable &&
			    strcmp(st->variable, name) == 0)
				return st;
		}
	return NULL;
}

/* A scenario's vars naming what an input step asks: the drill would fill
 * in the trainee's assessment for them (and the matrix's answer with it). */
static void
rule_scenario_presets(struct lint *l)
{
	for (size_t s = 0; s < l->pb->n_scenarios; s++) {
		const struct pb_scenario *sc = &l->pb->scenarios[s];

		for (size_t i = 0; i < sc->n_vars; i++) {
			const struct pb_step *st = input_step_of(
				l->pb, sc->vars[i].name);
			char *path;

			if (!st)
				continue;
			path = xasprintf("scenarios[%zu].vars.%s", s,
					 sc->vars[i].name);
			report(l, LINT_ERROR, path, "move it to the scenario's "
			       "answers (judged, never filled in)",
			       "scenario %s fills in %s, which the trainee "
			       "gives at step \"%s\" from what the drill shows",
			       sc->id, sc->vars[i].name, st->id);
			free(path);
		}
	}
}

/* The strings and keys of JSON text JS (a world state or patch), one a
 * line, onto SB. */
static void
add_json_strings(struct strbuf *sb, const cJSON *o)
{
	const cJSON *c;

	if (cJSON_IsString(o))
		strbuf_addf(sb, "%s\n", o->valuestring);
	cJSON_ArrayForEach(c, o) {
		if (c->string)
			strbuf_addf(sb, "%s\n", c->string);
		add_json_strings(sb, c);
	}
}

static void
add_state_strings(struct strbuf *sb, const char *js)
{
	cJSON *o = js ? cJSON_Parse(js) : NULL;

	add_json_strings(sb, o);
	cJSON_Delete(o);
}

static void
add_line(struct strbuf *sb, const char *text)
{
	if (text)
		strbuf_addf(sb, "%s\n", text);
}

/* What the world answers run step ST's command with, at the start of
 * SC's drill (the trainee reads it as the step's output). */
static void
add_world_answer(const struct playbook *pb, const struct pb_scenario *sc,
		 const struct pb_step *st, struct strbuf *sb)
{
	struct world_vars vars = { pb, sc };
	struct world_run run = { 0 };
	cJSON *state;

	if (st->kind != STEP_KIND_RUN || !st->run)
		return;
	state = drill_world_start(pb, sc, 0);
	if (world_simulate(state, st->run, lint_world_var, &vars, &run))
		add_line(sb, run.output);
	free(run.output);
	cJSON_Delete(state);
}

/* Everything scenario SC's drill shows the trainee: its briefing, alerts,
 * log lines, scripted and simulated outputs (the world's answers too),
 * and the world's data (the Registry, Tags and Targets tabs). */
static void
drill_shows(const struct playbook *pb, const struct pb_scenario *sc,
	    struct strbuf *sb)
{
	add_line(sb, sc->briefing);
	for (size_t i = 0; i < sc->n_injects; i++) {
		add_line(sb, sc->injects[i].alert);
		add_line(sb, sc->injects[i].log_lines);
		add_state_strings(sb, sc->injects[i].state_json);
	}
	for (size_t i = 0; i < sc->n_outcomes; i++)
		add_line(sb, sc->outcomes[i].output);
	add_state_strings(sb, pb->drill_state_json);
	add_state_strings(sb, sc->state_json);
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];

			add_line(sb, st->drill.output);
			add_state_strings(sb, st->drill.state_json);
			if (!fixed_output(sc, st))
				add_world_answer(pb, sc, st, sb);
		}
}

static const char *
evidence_of(const struct pb_scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_evidence; i++)
		if (strcmp(sc->evidence[i].name, name) == 0)
			return sc->evidence[i].value;
	return NULL;
}

/* A scored answer must follow from something the drill shows: its
 * evidence names the passage, and the drill must show it (an answer only
 * the game master's notes support cannot be worked out). */
static void
scenario_evidence_for(struct lint *l, size_t s)
{
	const struct pb_scenario *sc = &l->pb->scenarios[s];
	struct strbuf shows = STRBUF_INIT;

	drill_shows(l->pb, sc, &shows);
	for (size_t i = 0; i < sc->n_answers; i++) {
		const char *name = sc->answers[i].name;
		const char *ev = evidence_of(sc, name);
		char *path = xasprintf("scenarios[%zu].%s.%s", s,
				       ev ? "evidence" : "answers", name);

		if (!ev)
			report(l, LINT_ERROR, path, "name under evidence the "
			       "passage of the briefing, an alert, an output "
			       "or the world it follows from (or do not score "
			       "it)", "scenario %s scores %s=%s but names no "
			       "evidence the trainee can see", sc->id, name,
			       sc->answers[i].value);
		else if (!strcasestr(strbuf_str(&shows), ev))
			report(l, LINT_ERROR, path, "put the passage in the "
			       "briefing, an alert, an output or the world's "
			       "state", "scenario %s: the evidence for %s "
			       "(\"%s\") is nowhere the drill shows the "
			       "trainee", sc->id, name, ev);
		free(path);
	}
	for (size_t i = 0; i < sc->n_evidence; i++) {
		int scored = 0;
		char *path;

		for (size_t j = 0; j < sc->n_answers; j++)
			scored |= strcmp(sc->answers[j].name,
					 sc->evidence[i].name) == 0;
		if (scored)
			continue;
		path = xasprintf("scenarios[%zu].evidence.%s", s,
				 sc->evidence[i].name);
		report(l, LINT_ERROR, path, "remove it, or add the answer",
		       "scenario %s names evidence for %s, which it does not "
		       "score", sc->id, sc->evidence[i].name);
		free(path);
	}
	strbuf_done(&shows);
}

static void
rule_scenario_evidence(struct lint *l)
{
	for (size_t s = 0; s < l->pb->n_scenarios; s++)
		scenario_evidence_for(l, s);
}

/* A scenario whose answers include VALUE (for variable NAME when NAME is
 * not NULL), or NULL. */
static const struct pb_scenario *
scenario_answering(const struct playbook *pb, const char *name,
		   const char *value)
{
	for (size_t s = 0; s < pb->n_scenarios; s++)
		for (size_t i = 0; i < pb->scenarios[s].n_answers; i++) {
			const struct pb_kv *a = &pb->scenarios[s].answers[i];

			if ((!name || strcmp(a->name, name) == 0) &&
			    strcmp(a->value, value) == 0)
				return &pb->scenarios[s];
		}
	return NULL;
}

/* TEXT's examples ("e.g. X", "for example X", "such as X") that are a
 * scenario's scored answer: reported at PATH. */
static void
hint_examples(struct lint *l, const char *text, const char *path)
{
	static const char *const leads[] = { "e.g. ", "for example ",
					     "such as ", NULL };

	for (int k = 0; text && leads[k]; k++)
		for (const char *p = strstr(text, leads[k]); p;
		     p = strstr(p + 1, leads[k])) {
			const char *w = p + strlen(leads[k]);
			size_t n = strcspn(w, " ),;\"'");
			char *word = xstrndup(w, n);
			const struct pb_scenario *sc;

			while (n && (word[n - 1] == '.' || word[n - 1] == ':'))
				word[--n] = '\0';
			sc = n ? scenario_answering(l->pb, NULL, word) : NULL;
			if (sc)
				report(l, LINT_ERROR, path, "give an example no "
				       "scenario scores, or none", "the example "
				       "%s is scenario %s's scored answer: in "
				       "a drill the hint gives it away", word,
				       sc->id);
			free(word);
		}
}

/* In a playbook with scenarios, no hint gives a scored answer away: an
 * example in a prompt, title or note, a default that pre-fills it, or an
 * option's text saying it is the recommended one. */
static void
rule_hint_answers(struct lint *l)
{
	const struct playbook *pb = l->pb;
	char path[160];

	if (!pb->n_scenarios)
		return;
	for (size_t i = 0; i < pb->n_variables; i++) {
		const struct pb_variable *v = &pb->variables[i];
		const struct pb_scenario *sc = v->default_value
			? scenario_answering(pb, v->name, v->default_value) : NULL;

		snprintf(path, sizeof(path), "variables.%s.prompt", v->name);
		hint_examples(l, v->prompt, path);
		if (!sc)
			continue;
		snprintf(path, sizeof(path), "variables.%s.default", v->name);
		report(l, LINT_ERROR, path, "drop the default", "the default "
		       "%s pre-fills scenario %s's scored answer", v->default_value,
		       sc->id);
	}
	for (int p = 0; p < PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			const struct pb_step *st = &pb->phases[p].steps[i];

			snprintf(path, sizeof(path), "phases[%d].steps[%zu]", p, i);
			hint_examples(l, st->title, path);
			hint_examples(l, st->note, path);
			for (size_t o = 0; o < st->n_options; o++) {
				const struct pb_option *op = &st->options[o];

				if (!strcasestr(op->label, "recommended") &&
				    !(op->description &&
				      strcasestr(op->description, "recommended")))
					continue;
				snprintf(path, sizeof(path), "phases[%d].steps[%zu]"
					 ".options[%zu]", p, i, o);
				report(l, LINT_ERROR, path, "say what the option "
				       "does, not that it is recommended",
				       "option %s of step \"%s\" says it is "
				       "recommended: in a drill that gives the "
				       "decision away", op->id, st->id);
			}
		}
}

/* TEXT in lower case with each run of spaces as one, no ends: two
 * briefings that differ only there read the same. Caller frees. */
static char *
folded_words(const char *text)
{
	char *out = xmalloc(strlen(text) + 1), *o = out;

	for (const char *p = text; *p; p++) {
		if (isspace((unsigned char)*p)) {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
		} else {
			*o++ = (char)tolower((unsigned char)*p);
		}
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

static int
same_words(const char *a, const char *b)
{
	char *fa = folded_words(a), *fb = folded_words(b);
	int same = strcmp(fa, fb) == 0;

	free(fa);
	free(fb);
	return same;
}

/* No two scenarios share a briefing: the trainee picks a scenario by its
 * number and briefing, and two that read alike cannot be told apart (nor
 * does the briefing state what differs in each world). */
static void
rule_briefing_shared(struct lint *l)
{
	const struct playbook *pb = l->pb;
	char path[64];

	for (size_t i = 1; i < pb->n_scenarios; i++)
		for (size_t j = 0; j < i; j++) {
			if (!pb->scenarios[i].briefing || !pb->scenarios[j].briefing ||
			    !same_words(pb->scenarios[i].briefing,
					pb->scenarios[j].briefing))
				continue;
			snprintf(path, sizeof(path), "scenarios[%zu].briefing", i);
			report(l, LINT_ERROR, path, "say the symptoms this "
			       "scenario's world shows, in its own words",
			       "scenario %s has the briefing of scenario %s: "
			       "a trainee cannot tell them apart",
			       pb->scenarios[i].id, pb->scenarios[j].id);
			break;
		}
}

/* --- running the rules -------------------------------------------------------- */

struct rule {
	const char *name;
	void (*fn)(struct lint *l);
};

static const struct rule rules[] = {
	{ "when-unset", rule_when_unset },
	{ "start-variable", rule_start_variable },
	{ "unknown-reference", rule_unknown_reference },
	{ "unbraced-reference", rule_unbraced_reference },
	{ "confirm-missing", rule_destructive },
	{ "drill-missing", rule_drill_missing },
	{ "parallel-alone", rule_parallel },
	{ "unreachable", rule_paths },
	{ "draft", rule_draft },
	{ "review-left", rule_review_left },
	{ "destructive-before-approval", rule_destructive_before_approval },
	{ "input-after-approval", rule_input_after_approval },
	{ "exclusive-without-when", rule_exclusive },
	{ "export-not-carried", rule_export_not_carried },
	{ "destructive-uncovered", rule_destructive_uncovered },
	{ "drill-output-contradicts-world", rule_world_outputs },
	{ "scenario-presets-input", rule_scenario_presets },
	{ "scenario-answer-evidence", rule_scenario_evidence },
	{ "scenario-hint-answers", rule_hint_answers },
	{ "scenario-briefing-shared", rule_briefing_shared },
	{ NULL, NULL },
};

void
lint_playbook(const struct playbook *pb, struct lint_report *r)
{
	struct lint l = { .pb = pb, .r = r };

	collect_vars(&l);
	for (const struct rule *rule = rules; rule->name; rule++) {
		l.rule = rule->name;
		rule->fn(&l);
	}
	free_vars(&l);
}
