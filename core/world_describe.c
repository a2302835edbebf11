/* The drill's world in words, for the Targets tab: each package's
 * dist-tags and versions (newest first, with their marks), the tags, the
 * endpoints, the logs and the alerts, one line each, rather than JSON. */
#include "config.h"
#include "world_int.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "registry.h"
#include "strbuf.h"
#include "xalloc.h"

static int
by_version_desc(const void *a, const void *b)
{
	return registry_version_cmp(*(const char *const *)b,
				    *(const char *const *)a);
}

/* " (yanked)" / " (deprecated)" after a version that carries the mark,
 * and how many more installs a lagging cache still gives it. */
static void
version_marks(struct strbuf *sb, const cJSON *vo)
{
	const cJSON *lag = cJSON_GetObjectItemCaseSensitive(vo,
							     "still_resolves");
	int cached = cJSON_IsNumber(lag) ? lag->valueint : 0;

	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(vo, "yanked")))
		strbuf_adds(sb, " (yanked)");
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(vo, "yanked")) &&
	    cached > 0)
		strbuf_addf(sb, " (the index's cache still serves it to the "
			    "next %d unpinned install%s)", cached,
			    cached == 1 ? "" : "s");
	if (cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		    vo, "deprecated")))
		strbuf_adds(sb, " (deprecated)");
}

static void
describe_package(struct strbuf *sb, const cJSON *pkg)
{
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(pkg, "dist-tags");
	const cJSON *vs = cJSON_GetObjectItemCaseSensitive(pkg, "versions");
	const cJSON *t;
	const char **names;
	size_t n = 0;

	strbuf_addf(sb, "package %s\n", pkg->string);
	if (cJSON_GetArraySize(tags) > 0) {
		strbuf_adds(sb, "  dist-tags:");
		cJSON_ArrayForEach(t, tags)
			strbuf_addf(sb, " %s %s%s", t->string,
				    cJSON_GetStringValue(t) ? t->valuestring
							    : "?",
				    t->next ? "," : "");
		strbuf_addc(sb, '\n');
	}
	if (!vs)
		return;
	names = xcalloc((size_t)cJSON_GetArraySize(vs) + 1, sizeof(*names));
	cJSON_ArrayForEach(t, vs)
		names[n++] = t->string;
	qsort(names, n, sizeof(*names), by_version_desc);
	strbuf_addf(sb, "  versions (%zu, newest first):", n);
	for (size_t i = 0; i < n; i++) {
		strbuf_addf(sb, "%s %s", i ? "," : "", names[i]);
		version_marks(sb, cJSON_GetObjectItemCaseSensitive(vs, names[i]));
	}
	strbuf_addc(sb, '\n');
	free(names);
}

static void
describe_tags(struct strbuf *sb, const cJSON *tags)
{
	const cJSON *t;

	if (cJSON_IsObject(tags))
		tags = cJSON_GetObjectItemCaseSensitive(tags, "tags");
	strbuf_addf(sb, "tags (%d):", cJSON_GetArraySize(tags));
	cJSON_ArrayForEach(t, tags) {
		const char *name = cJSON_IsString(t) ? t->valuestring
			: cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				  t, "name"));
		const char *commit = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(t, "commit"));

		strbuf_addf(sb, "%s %s", t != tags->child ? "," : "",
			    name ? name : "?");
		if (commit)
			strbuf_addf(sb, " at %s", commit);
	}
	strbuf_addc(sb, '\n');
}

static void
describe_http(struct strbuf *sb, const cJSON *http)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, http) {
		const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
		const char *body = cJSON_IsString(e) ? e->valuestring
			: cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				  e, "body"));

		strbuf_addf(sb, "endpoint %s answers %d%s%s\n", e->string,
			    cJSON_IsNumber(st) ? st->valueint : 200,
			    body ? ": " : "", body ? body : "");
	}
}

static void
describe_logs(struct strbuf *sb, const cJSON *logs)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, logs) {
		const cJSON *last = cJSON_GetArrayItem(
			l, cJSON_GetArraySize(l) - 1);

		strbuf_addf(sb, "log %s: %d line(s)%s%s\n", l->string,
			    cJSON_GetArraySize(l), last ? ", last: " : "",
			    cJSON_GetStringValue(last) ? last->valuestring : "");
	}
}

/* "program NAME: version V installed (from package P)", or "not
 * installed"; its commands are what it answers, not the world's state. */
static void
describe_programs(struct strbuf *sb, const cJSON *progs)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, progs) {
		const char *v = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(p, "installed"));
		const char *pkg = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(p, "package"));

		strbuf_addf(sb, "program %s: ", p->string);
		if (v)
			strbuf_addf(sb, "version %s installed", v);
		else
			strbuf_adds(sb, "not installed");
		if (pkg)
			strbuf_addf(sb, " (from package %s)", pkg);
		strbuf_addc(sb, '\n');
	}
}

/* "file PATH (N lines)" for each file the world holds. */
static void
describe_files(struct strbuf *sb, const cJSON *files)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, files)
		strbuf_addf(sb, "file %s (%d line%s)\n", f->string,
			    cJSON_IsArray(f) ? cJSON_GetArraySize(f) : 1,
			    cJSON_IsArray(f) && cJSON_GetArraySize(f) != 1
			    ? "s" : "");
}

static void
describe_other(struct strbuf *sb, const cJSON *item)
{
	char *text;

	if (cJSON_IsString(item)) {
		strbuf_addf(sb, "%s: %s\n", item->string, item->valuestring);
		return;
	}
	if (cJSON_IsArray(item) && cJSON_GetArraySize(item) > 0 &&
	    cJSON_IsObject(item->child) &&
	    cJSON_GetObjectItemCaseSensitive(item->child, "text")) {
		const cJSON *a;

		cJSON_ArrayForEach(a, item) {
			const char *t = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(a, "text"));

			strbuf_addf(sb, "%s: %s\n", item->string, t ? t : "");
		}
		return;
	}
	text = cJSON_PrintUnformatted(item);
	strbuf_addf(sb, "%s: %s\n", item->string, text);
	cJSON_free(text);
}

char *
world_describe(const cJSON *state)
{
	struct strbuf sb = STRBUF_INIT;
	cJSON *copy = cJSON_Duplicate(state, 1);
	const cJSON *item, *pkg;
	char *text;

	world_normalise(copy);
	cJSON_ArrayForEach(item, copy) {
		if (strcmp(item->string, "registry") == 0)
			cJSON_ArrayForEach(pkg, item)
				describe_package(&sb, pkg);
		else if (strcmp(item->string, "tags") == 0)
			describe_tags(&sb, item);
		else if (strcmp(item->string, "http") == 0)
			describe_http(&sb, item);
		else if (strcmp(item->string, "logs") == 0)
			describe_logs(&sb, item);
		else if (strcmp(item->string, "programs") == 0)
			describe_programs(&sb, item);
		else if (strcmp(item->string, "files") == 0)
			describe_files(&sb, item);
		else
			describe_other(&sb, item);
	}
	cJSON_Delete(copy);
	text = strbuf_detach(&sb);
	return text ? text : xstrdup("");
}
