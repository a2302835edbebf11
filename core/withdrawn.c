/* The restore target against the registry's withdrawn versions. */
#include "config.h"

#include "withdrawn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "playbook.h"
#include "reg_backend.h"
#include "registry.h"
#include "sanitize.h"
#include "session.h"
#include "session_int.h"
#include "sources.h"
#include "strbuf.h"
#include "xalloc.h"

#define MAX_ANSWERS 16

/* VERSION without a leading v before its first digit. */
static const char *
without_v(const char *version)
{
	if ((version[0] == 'v' || version[0] == 'V') &&
	    version[1] >= '0' && version[1] <= '9')
		return version + 1;
	return version;
}

char *
withdrawn_note(const struct reg_answer *const *answers, size_t n,
	       const char *version)
{
	char why[1024];

	if (!version || !*version)
		return NULL;
	version = without_v(version);
	for (size_t i = 0; i < n; i++) {
		if (!answers[i] || !reg_answer_find(answers[i], version))
			continue;
		if (registry_probe_judge_withdrawn(answers[i], version, why,
						   sizeof(why)) == 1)
			return sanitize_text(why, strlen(why));
	}
	return NULL;
}

int
withdrawn_is_target(const struct playbook *pb, const char *name)
{
	return pb && name && pb->header.to && strcmp(pb->header.to, name) == 0;
}

/* The registry answers S's journal holds last (new answers, freed by the
 * caller), into OUT; returns how many. */
static size_t
journalled_answers(const struct session *s, struct reg_answer **out)
{
	const cJSON *e;
	size_t n = 0;

	cJSON_ArrayForEach(e, s->answers) {
		const struct pb_registry *r = NULL;
		const char *text = cJSON_GetStringValue(e);

		if (n >= MAX_ANSWERS || !text ||
		    strncmp(e->string, "registry:", 9) != 0)
			continue;
		for (size_t i = 0; i < s->pb->targets.n_registries; i++)
			if (strcmp(s->pb->targets.registries[i].name,
				   e->string + 9) == 0)
				r = &s->pb->targets.registries[i];
		if (r)
			out[n] = reg_answer_from_json(text, strlen(text),
						      r->type, r->name, NULL);
		n += out[n] != NULL;
	}
	return n;
}

char *
unpublished_note(const struct reg_answer *const *answers, size_t n,
		 const char *version)
{
	struct strbuf names = STRBUF_INIT;
	char *text, *safe;

	if (!version || !*version)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct reg_answer *a = answers[i];

		if (!a || !a->has_data || !a->n_versions)
			continue;	/* nothing known of this package */
		if (reg_answer_find(a, without_v(version))) {
			strbuf_done(&names);
			return NULL;
		}
		strbuf_addf(&names, "%s%s", names.len ? " or " : "",
			    a->package);
	}
	if (!names.len)
		return NULL;
	text = xasprintf("%s is not a published version of %s", version,
			 strbuf_str(&names));
	strbuf_done(&names);
	safe = sanitize_text(text, strlen(text));
	free(text);
	return safe;
}

char *
prerelease_note(const struct playbook *pb, const char *name,
		const char *value, const char *channel)
{
	const struct pb_variable *v = pb ? playbook_find_var(pb, name) : NULL;

	if (!v || !value || !channel || !withdrawn_is_target(pb, name) ||
	    !v->from || strcmp(v->from, "registry") != 0 ||
	    !registry_version_is_prerelease_in(pb, value))
		return NULL;
	return xasprintf("%s %s is a pre-release: restoring it onto latest "
			 "(%s) hands every user a pre-release; restore a "
			 "release", name, value, channel);
}

/* The registry answers S knows: its sources' (borrowed), else the last
 * ones its journal holds (OWN: made here, freed by known_done). */
struct known {
	const struct reg_answer *a[MAX_ANSWERS];
	struct reg_answer *own[MAX_ANSWERS];
	size_t n, n_own;
};

static void
known_answers(const struct session *s, struct known *k)
{
	struct sources *src = session_sources(s);

	memset(k, 0, sizeof(*k));
	if (src) {
		for (size_t i = 0; i < sources_n_registries(src) &&
				   k->n < MAX_ANSWERS; i++)
			k->a[k->n++] = sources_registry(src, i);
		return;
	}
	k->n_own = journalled_answers(s, k->own);
	for (size_t i = 0; i < k->n_own; i++)
		k->a[k->n++] = k->own[i];
}

static void
known_done(struct known *k)
{
	for (size_t i = 0; i < k->n_own; i++)
		reg_answer_free(k->own[i]);
}

/* "Warning: TEXT" (TEXT taken, may be NULL) after what SB holds. */
static void
add_warning(struct strbuf *sb, const char *what, char *text)
{
	if (text)
		strbuf_addf(sb, "%sWarning: %s%s", sb->len ? " " : "", what,
			    text);
	free(text);
}

/* VALUE of the restore target NAME as the version the header's "from"
 * holds (a leading v ignored on both): a rollback to where it started. */
static char *
same_as_from_note(const struct session *s, const char *name,
		  const char *value)
{
	const char *from = s->pb->header.from;
	const char *bad = from ? session_var(s, from) : NULL;

	if (!bad || !*bad || strcmp(without_v(bad), without_v(value)) != 0)
		return NULL;
	return xasprintf("%s %s is the version you roll back from (%s): "
			 "restoring it changes nothing and latest keeps "
			 "serving it; restore a different version", name,
			 value, from);
}

char *
withdrawn_target_warning(const struct session *s, const char *name,
			 const char *value)
{
	struct strbuf sb = STRBUF_INIT;
	struct known k;

	if (!withdrawn_is_target(s->pb, name))
		return NULL;
	if (!value)
		value = session_var(s, name);
	if (!value || !*value)
		return NULL;
	known_answers(s, &k);
	add_warning(&sb, "restoring a withdrawn version: ",
		    withdrawn_note(k.a, k.n, value));
	add_warning(&sb, "", unpublished_note(k.a, k.n, value));
	known_done(&k);
	add_warning(&sb, "", same_as_from_note(s, name, value));
	add_warning(&sb, "", session_value_warning(s, name, value));
	return sb.len ? strbuf_detach(&sb) : NULL;
}

char *
withdrawn_warning_for_text(const struct session *s, const char *text)
{
	const char *to = s->pb->header.to;

	if (!text || !to || !playbook_text_refs(text, to))
		return NULL;
	return withdrawn_target_warning(s, to, NULL);
}
