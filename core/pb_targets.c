/* Targets that name variables: a registry package "${PACKAGE}", a git
 * path, a log path, an HTTP URL or a probe's package may hold $NAME or
 * ${NAME} references. The loader keeps each such text as a template; the
 * session resolves them with the variables' values (a default when unset)
 * and again whenever one of those variables changes, so the panes, the
 * probes and a replay watch what the commands act on. */
#include "config.h"
#include "playbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

/* The first variable TEXT refers to for which SKIP_IF(NAME, ARG) is 0
 * (every one when SKIP_IF is NULL), or NULL; caller frees. */
static char *
first_ref(const char *text, int (*skip_if)(const char *, const void *),
	  const void *arg)
{
	for (const char *p = text; *p; p++) {
		size_t skip, len = *p == '$' ? playbook_var_ref(p, &skip) : 0;
		char *name;

		if (!len)
			continue;
		name = xstrndup(p + 1 + (p[1] == '{'), len);
		if (!skip_if || !skip_if(name, arg))
			return name;
		free(name);
		p += skip - 1;
	}
	return NULL;
}

static int
is_declared(const char *name, const void *pb)
{
	return playbook_find_var(pb, name) != NULL;
}

/* Keep *FIELD as a template when it names a variable; WHERE names it;
 * an OPTIONAL field is left out (NULL) while a variable it names has no
 * value. */
static void
keep(struct playbook *pb, char **field, const char *where, int optional)
{
	struct pb_template *t;
	char *name = *field ? first_ref(*field, NULL, NULL) : NULL;

	if (!name)
		return;
	free(name);
	pb->templates = xrealloc(pb->templates, (pb->n_templates + 1) *
				 sizeof(*pb->templates));
	t = &pb->templates[pb->n_templates++];
	t->field = field;
	t->text = xstrdup(*field);
	t->where = xstrdup(where);
	t->optional = optional;
}

static void
keep_probes(struct playbook *pb)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t i = 0; i < pb->phases[p].n_steps; i++) {
			struct pb_step *st = &pb->phases[p].steps[i];
			char *where;

			if (!st->probe.package)
				continue;
			where = xasprintf("steps.%s.probe.package", st->id);
			keep(pb, &st->probe.package, where, 0);
			free(where);
		}
	}
}

int
playbook_keep_templates(struct playbook *pb, struct err *err)
{
	struct pb_targets *t = &pb->targets;
	char where[96];

	keep(pb, &t->git_path, "targets.git.path", 0);
	for (size_t i = 0; i < t->n_registries; i++) {
		snprintf(where, sizeof(where), "targets.registry[%zu].name", i);
		keep(pb, &t->registries[i].name, where, 0);
		snprintf(where, sizeof(where), "targets.registry[%zu].url", i);
		keep(pb, &t->registries[i].url, where, 1);
	}
	for (size_t i = 0; i < t->n_logs; i++) {
		snprintf(where, sizeof(where), "targets.logs[%zu].path", i);
		keep(pb, &t->logs[i].path, where, 0);
	}
	for (size_t i = 0; i < t->n_http; i++) {
		snprintf(where, sizeof(where), "targets.http[%zu].url", i);
		keep(pb, &t->http[i].url, where, 0);
	}
	keep_probes(pb);
	for (size_t i = 0; i < pb->n_templates; i++) {
		char *name = first_ref(pb->templates[i].text, is_declared, pb);

		if (name) {
			err_set(err, ERR_INVALID, "%s: %s: $%s is not a declared "
				"variable (declare it under variables, with the "
				"value as its default)", pb->path,
				pb->templates[i].where, name);
			free(name);
			return -1;
		}
	}
	return 0;
}

int
playbook_targets_use(const struct playbook *pb, const char *name)
{
	for (size_t i = 0; i < pb->n_templates; i++)
		if (playbook_text_refs(pb->templates[i].text, name))
			return 1;
	return 0;
}

struct lookup {
	playbook_lookup_cb value;
	const void *arg;
};

static int
has_value(const char *name, const void *arg)
{
	const struct lookup *l = arg;

	return l->value(name, l->arg) != NULL;
}

void
playbook_resolve_targets(struct playbook *pb, playbook_lookup_cb value,
			 const void *arg)
{
	for (size_t i = 0; i < pb->n_templates; i++) {
		struct pb_template *t = &pb->templates[i];
		struct lookup l = { value, arg };
		char *missing = t->optional ? first_ref(t->text, has_value, &l)
					    : NULL;
		char *text = missing ? NULL
			     : playbook_subst_refs(t->text, value, arg);

		free(missing);
		if (!text) {		/* e.g. the user's configuration decides */
			free(*t->field);
			*t->field = NULL;
			continue;
		}

		/* unchanged texts keep their storage: sources may hold it */
		if (*t->field && strcmp(*t->field, text) == 0) {
			free(text);
			continue;
		}
		free(*t->field);
		*t->field = text;
	}
}

const struct pb_template *
playbook_unresolved_target(const struct playbook *pb,
			   playbook_lookup_cb value, const void *arg,
			   char **name)
{
	struct lookup l = { value, arg };

	for (size_t i = 0; i < pb->n_templates; i++) {
		if (pb->templates[i].optional)
			continue;
		*name = first_ref(pb->templates[i].text, has_value, &l);
		if (*name)
			return &pb->templates[i];
	}
	return NULL;
}

void
playbook_free_templates(struct playbook *pb)
{
	for (size_t i = 0; i < pb->n_templates; i++) {
		free(pb->templates[i].text);
		free(pb->templates[i].where);
	}
	free(pb->templates);
	pb->templates = NULL;
	pb->n_templates = 0;
}
