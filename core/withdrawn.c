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
#include "xalloc.h"

#define MAX_ANSWERS 16

char *
withdrawn_note(const struct reg_answer *const *answers, size_t n,
	       const char *version)
{
	char why[1024];

	if (!version || !*version)
		return NULL;
	if ((version[0] == 'v' || version[0] == 'V') &&
	    version[1] >= '0' && version[1] <= '9')
		version++;
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

/* The note for VERSION by S's sources, else by its journal. */
static char *
session_note(const struct session *s, const char *version)
{
	const struct reg_answer *live[MAX_ANSWERS];
	struct reg_answer *read[MAX_ANSWERS] = { 0 };
	struct sources *src = session_sources(s);
	char *note;
	size_t n = 0;

	if (src) {
		for (size_t i = 0; i < sources_n_registries(src) &&
				   n < MAX_ANSWERS; i++)
			live[n++] = sources_registry(src, i);
		return withdrawn_note(live, n, version);
	}
	n = journalled_answers(s, read);
	note = withdrawn_note((const struct reg_answer *const *)read, n,
			      version);
	for (size_t i = 0; i < n; i++)
		reg_answer_free(read[i]);
	return note;
}

char *
withdrawn_target_warning(const struct session *s, const char *name,
			 const char *value)
{
	char *note, *text;

	if (!withdrawn_is_target(s->pb, name))
		return NULL;
	if (!value)
		value = session_var(s, name);
	note = value ? session_note(s, value) : NULL;
	if (!note)
		return NULL;
	text = xasprintf("Warning: restoring a withdrawn version: %s", note);
	free(note);
	return text;
}

char *
withdrawn_warning_for_text(const struct session *s, const char *text)
{
	const char *to = s->pb->header.to;

	if (!text || !to || !playbook_text_refs(text, to))
		return NULL;
	return withdrawn_target_warning(s, to, NULL);
}
