/* The tools the drill's world answers: shell helpers over text (echo,
 * cat, grep, head, tail, wc) and the rollback tools (git tag / describe /
 * checkout / reset --hard, gh release list, npm view / dist-tag / deprecate, pip index / install /
 * download, twine, curl) from the scenario's state, which some of them
 * change. Their output follows the real tools' shape closely enough to
 * train on, without any registry host in it. */
#include "config.h"
#include "world_int.h"

#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "reg_backend.h"
#include "registry.h"
#include "strbuf.h"
#include "xalloc.h"

#define MKTEMP_DIR "/tmp/rewind-drill.XXXXXX"

static int
unknown(struct sh *sh)
{
	sh->unknown = 1;
	return 127;
}

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int
is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* --- text helpers ------------------------------------------------------------------ */

/* Call FN for each line of TEXT (without its newline). */
static void
each_line(const char *text, void (*fn)(const char *, size_t, void *),
	  void *arg)
{
	for (const char *p = text; p && *p;) {
		size_t len = strcspn(p, "\n");

		fn(p, len, arg);
		p += len + (p[len] == '\n');
	}
}

static size_t
n_lines(const char *text)
{
	size_t n = 0;

	for (const char *p = text; p && *p; p++)
		n += *p == '\n' || p[1] == '\0';
	return n;
}

static int
count_arg(const char *opt, const char *next, long *n, int *used)
{
	*used = 0;
	if (opt[0] == '-' && opt[1] >= '0' && opt[1] <= '9') {
		*n = atol(opt + 1);
		return 1;
	}
	if (strncmp(opt, "-n", 2) == 0 && opt[2]) {
		*n = atol(opt + 2);
		return 1;
	}
	if (is(opt, "-n") && next) {
		*n = atol(next);
		*used = 1;
		return 1;
	}
	return 0;
}

/* head and tail: the first or last N lines (default 10). */
static int
tool_head_tail(struct sh *sh, int argc, char **argv, struct io *io, int tail)
{
	long n = 10;
	const char *text = io->in;
	size_t total, i = 0;
	const char *p;

	for (int a = 1; a < argc; a++) {
		int used;

		if (count_arg(argv[a], a + 1 < argc ? argv[a + 1] : NULL, &n,
			      &used))
			a += used;
		else if (argv[a][0] == '-')
			return unknown(sh);
		else if (!(text = cJSON_GetStringValue(
				   cJSON_GetObjectItemCaseSensitive(sh->files,
								    argv[a]))))
			return unknown(sh);
	}
	total = n_lines(text);
	for (p = text; p && *p; i++) {
		size_t len = strcspn(p, "\n");

		if (tail ? i + (size_t)n >= total : i < (size_t)n) {
			strbuf_add(io->out, p, len);
			strbuf_addc(io->out, '\n');
		}
		p += len + (p[len] == '\n');
	}
	return 0;
}

struct grep {
	regex_t re;
	const char *fixed;	/* -F */
	int invert, count_only, quiet, whole;
	long matched;
	struct strbuf *out;
};

static int
grep_match(struct grep *g, const char *line, size_t len)
{
	char *l = xstrndup(line, len);
	int m;

	if (g->fixed)
		m = g->whole ? is(l, g->fixed) : strstr(l, g->fixed) != NULL;
	else
		m = regexec(&g->re, l, 0, NULL, 0) == 0;
	free(l);
	return m != g->invert;
}

static void
grep_line(const char *line, size_t len, void *arg)
{
	struct grep *g = arg;

	if (!grep_match(g, line, len))
		return;
	g->matched++;
	if (!g->quiet && !g->count_only) {
		strbuf_add(g->out, line, len);
		strbuf_addc(g->out, '\n');
	}
}

static int
grep_options(const char *opt, struct grep *g, int *flags)
{
	for (const char *o = opt + 1; *o; o++) {
		switch (*o) {
		case 'q': g->quiet = 1; break;
		case 'E': *flags |= REG_EXTENDED; break;
		case 'F': g->fixed = ""; break;
		case 'v': g->invert = 1; break;
		case 'c': g->count_only = 1; break;
		case 'i': *flags |= REG_ICASE; break;
		case 'x': g->whole = 1; break;
		default: return -1;
		}
	}
	return 0;
}

static int
tool_grep(struct sh *sh, int argc, char **argv, struct io *io)
{
	struct grep g = { .out = io->out };
	int flags = REG_NOSUB, a = 1;
	const char *pattern = NULL, *text = io->in;
	char *whole = NULL;

	for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++)
		if (is(argv[a], "--") ? (a++, 1) : 0)
			break;
		else if (grep_options(argv[a], &g, &flags) < 0)
			return unknown(sh);
	if (a >= argc)
		return unknown(sh);
	pattern = argv[a++];
	if (a < argc && !(text = cJSON_GetStringValue(
			     cJSON_GetObjectItemCaseSensitive(sh->files,
							      argv[a]))))
		return unknown(sh);	/* a real file: not in the world */
	if (a + 1 < argc)
		return unknown(sh);
	if (g.fixed) {
		g.fixed = pattern;
	} else {
		whole = g.whole ? xasprintf("^(%s)$", pattern) : NULL;
		if (whole)
			flags |= REG_EXTENDED;
		if (regcomp(&g.re, whole ? whole : pattern, flags) != 0) {
			free(whole);
			strbuf_addf(io->err, "grep: invalid pattern\n");
			return 2;
		}
	}
	each_line(text, grep_line, &g);
	if (!g.fixed)
		regfree(&g.re);
	free(whole);
	if (g.count_only)
		strbuf_addf(io->out, "%ld\n", g.matched);
	return g.matched ? 0 : 1;
}

/* The world's files ("files": {PATH: text or lines}), or NULL when the
 * world keeps none (then ls and cat of them are unknown to it). */
static cJSON *
world_files(struct sh *sh)
{
	cJSON *f = cJSON_GetObjectItemCaseSensitive(sh->state, "files");

	return cJSON_IsObject(f) ? f : NULL;
}

/* The world's file PATH as text into OUT: 1, or 0 when it has none. */
static int
world_file(struct sh *sh, const char *path, struct strbuf *out)
{
	cJSON *f = cJSON_GetObjectItemCaseSensitive(world_files(sh), path);
	cJSON *line;

	if (cJSON_IsString(f)) {
		strbuf_addf(out, "%s%s", f->valuestring,
			    *f->valuestring && f->valuestring[strlen(
				    f->valuestring) - 1] != '\n' ? "\n" : "");
		return 1;
	}
	if (!cJSON_IsArray(f))
		return 0;
	cJSON_ArrayForEach(line, f)
		strbuf_addf(out, "%s\n", cJSON_GetStringValue(line)
			    ? line->valuestring : "");
	return 1;
}

static int
tool_cat(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (argc == 1) {
		strbuf_adds(io->out, io->in);
		return 0;
	}
	for (int a = 1; a < argc; a++) {
		const char *t = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(sh->files, argv[a]));

		if (t) {
			strbuf_adds(io->out, t);
			continue;
		}
		if (!world_files(sh))
			return unknown(sh);
		if (!world_file(sh, argv[a], io->out)) {
			strbuf_addf(io->err, "cat: %s: No such file or "
				    "directory\n", argv[a]);
			return 1;
		}
	}
	return 0;
}

/* ls [-l] [-a] [DIR]: the world's files in DIR (its top level without
 * one), by name; a folder that holds none does not exist. */
static int
tool_ls(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *dir = NULL;
	int longer = 0, n = 0;
	size_t dl;
	cJSON *f;

	if (!world_files(sh))
		return unknown(sh);
	for (int a = 1; a < argc; a++) {
		if (argv[a][0] == '-' && strspn(argv[a] + 1, "la") ==
		    strlen(argv[a] + 1))
			longer |= strchr(argv[a], 'l') != NULL;
		else if (dir)
			return unknown(sh);
		else
			dir = argv[a];
	}
	dl = dir ? strlen(dir) - (dir[strlen(dir) - 1] == '/') : 0;
	cJSON_ArrayForEach(f, world_files(sh)) {
		const char *name = f->string + (dl ? dl + 1 : 0);

		if (dl && (strncmp(f->string, dir, dl) != 0 ||
			   f->string[dl] != '/'))
			continue;
		if (strchr(name, '/'))
			continue;
		if (longer) {
			struct strbuf text = STRBUF_INIT;

			world_file(sh, f->string, &text);
			strbuf_addf(io->out, "-rw-r--r-- 1 dev dev %zu %s\n",
				    text.len, name);
			free(strbuf_detach(&text));
		} else {
			strbuf_addf(io->out, "%s\n", name);
		}
		n++;
	}
	if (dl && !n) {
		strbuf_addf(io->err, "ls: cannot access '%s': No such file or "
			    "directory\n", dir);
		return 2;
	}
	return 0;
}

static int
tool_echo(int argc, char **argv, struct io *io)
{
	int a = 1, newline = 1;

	if (a < argc && is(argv[a], "-n")) {
		newline = 0;
		a++;
	}
	for (; a < argc; a++)
		strbuf_addf(io->out, "%s%s", argv[a], a + 1 < argc ? " " : "");
	if (newline)
		strbuf_addc(io->out, '\n');
	return 0;
}

/* [ A = B ], [ A != B ], [ -z A ], [ -n A ]: the tests a check line
 * makes of a value it printed. */
static int
tool_test(struct sh *sh, int argc, char **argv)
{
	if (argc < 2 || !is(argv[argc - 1], "]"))
		return unknown(sh);
	argc--;
	if (argc == 4 && is(argv[2], "="))
		return !is(argv[1], argv[3]);
	if (argc == 4 && is(argv[2], "!="))
		return is(argv[1], argv[3]);
	if (argc == 3 && is(argv[1], "-z"))
		return *argv[2] != '\0';
	if (argc == 3 && is(argv[1], "-n"))
		return *argv[2] == '\0';
	return unknown(sh);
}

static int
tool_wc(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (argc != 2 || !is(argv[1], "-l"))
		return unknown(sh);
	strbuf_addf(io->out, "%zu\n", n_lines(io->in));
	return 0;
}

/* --- the state ---------------------------------------------------------------------- */

void
world_replace_state(cJSON *state, cJSON *fresh)
{
	cJSON *c;

	while (state->child)
		cJSON_Delete(cJSON_DetachItemViaPointer(state, state->child));
	while ((c = fresh->child) != NULL)
		cJSON_AddItemToObject(state, c->string,
				      cJSON_DetachItemViaPointer(fresh, c));
	cJSON_Delete(fresh);
}

static cJSON *
registry_of(struct sh *sh)
{
	return cJSON_GetObjectItemCaseSensitive(sh->state, "registry");
}

static cJSON *
package(struct sh *sh, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(registry_of(sh), name);
}

/* PKG's versions as an object {version: {...}}: the array form (strings,
 * or objects with "version") is turned into it, so marks can be set. */
static cJSON *
versions_of(cJSON *pkg)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(pkg, "versions");
	cJSON *obj, *it;

	if (cJSON_IsObject(v))
		return v;
	obj = cJSON_CreateObject();
	cJSON_ArrayForEach(it, v) {
		const char *name = cJSON_IsString(it) ? it->valuestring
			: cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				  it, "version"));
		cJSON *o = cJSON_IsObject(it) ? cJSON_Duplicate(it, 1)
					      : cJSON_CreateObject();

		cJSON_DeleteItemFromObjectCaseSensitive(o, "version");
		if (name && !cJSON_GetObjectItemCaseSensitive(obj, name))
			cJSON_AddItemToObject(obj, name, o);
		else
			cJSON_Delete(o);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(pkg, "versions");
	cJSON_AddItemToObject(pkg, "versions", obj);
	return obj;
}

void
world_normalise(cJSON *state)
{
	cJSON *pkg;

	cJSON_ArrayForEach(pkg, cJSON_GetObjectItemCaseSensitive(state,
								 "registry"))
		if (cJSON_GetObjectItemCaseSensitive(pkg, "versions"))
			versions_of(pkg);
}

static int
by_version_desc(const void *a, const void *b)
{
	return registry_version_cmp(*(const char *const *)b,
				    *(const char *const *)a);
}

/* PKG's version names, newest first; the caller frees the array. */
static const char **
sorted_versions(cJSON *pkg, size_t *n)
{
	cJSON *vs = versions_of(pkg), *v;
	const char **names = xcalloc((size_t)cJSON_GetArraySize(vs) + 1,
				     sizeof(*names));

	*n = 0;
	cJSON_ArrayForEach(v, vs)
		names[(*n)++] = v->string;
	qsort(names, *n, sizeof(*names), by_version_desc);
	return names;
}

static int
is_yanked(cJSON *pkg, const char *v)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(versions_of(pkg), v),
		"yanked"));
}

static cJSON *
dist_tags(cJSON *pkg)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(pkg, "dist-tags");

	if (!cJSON_IsObject(t)) {
		cJSON_DeleteItemFromObjectCaseSensitive(pkg, "dist-tags");
		t = cJSON_AddObjectToObject(pkg, "dist-tags");
	}
	return t;
}

/* --- npm ------------------------------------------------------------------------------ */

/* "name@version" split at the last @ that is not the first character. */
static char *
split_spec(const char *spec, const char **version)
{
	const char *at = strrchr(spec, '@');

	if (!at || at == spec) {
		*version = NULL;
		return xstrdup(spec);
	}
	*version = at + 1;
	return xstrndup(spec, (size_t)(at - spec));
}

static int
npm_404(struct io *io, const char *name)
{
	strbuf_addf(io->err, "npm ERR! code E404\nnpm ERR! 404 Not Found - "
		    "GET %s - Not found\n", name);
	return 1;
}

/* J as npm prints it: an array one element a line, as --json does. */
static void
print_json(struct io *io, const cJSON *j)
{
	char *t;

	if (cJSON_IsArray(j)) {
		const cJSON *e;

		strbuf_adds(io->out, "[\n");
		cJSON_ArrayForEach(e, j) {
			t = cJSON_PrintUnformatted(e);
			strbuf_addf(io->out, "  %s%s\n", t, e->next ? "," : "");
			cJSON_free(t);
		}
		strbuf_adds(io->out, "]\n");
		return;
	}
	t = cJSON_Print(j);

	strbuf_addf(io->out, "%s\n", t);
	cJSON_free(t);
}

/* npm view PKG time: when each version was published, oldest version
 * first, after "created" (the earliest) and "modified" (the latest), as
 * the registry's time object; versions without a time are left out. */
static void
npm_view_time(cJSON *pkg, struct io *io)
{
	size_t n;
	const char **names = sorted_versions(pkg, &n);
	cJSON *out = cJSON_CreateObject(), *vs = versions_of(pkg);
	const char *first = NULL, *last = NULL;

	for (size_t i = n; i-- > 0;) {
		const char *t = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(vs, names[i]),
				"time"));

		if (!t)
			continue;
		if (!first || strcmp(t, first) < 0)
			first = t;
		if (!last || strcmp(t, last) > 0)
			last = t;
	}
	if (first) {
		cJSON_AddStringToObject(out, "created", first);
		cJSON_AddStringToObject(out, "modified", last);
	}
	for (size_t i = n; i-- > 0;) {
		const char *t = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(vs, names[i]),
				"time"));

		if (t)
			cJSON_AddStringToObject(out, names[i], t);
	}
	print_json(io, out);
	cJSON_Delete(out);
	free(names);
}

static int
npm_view_field(cJSON *pkg, const char *version, const char *field,
	       int json, struct io *io)
{
	cJSON *vs = versions_of(pkg);
	const char *tagged = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(dist_tags(pkg),
						 version ? version : "latest"));
	const char *v = tagged ? tagged : version;
	cJSON *vo = v ? cJSON_GetObjectItemCaseSensitive(vs, v) : NULL;

	if (version && !vo)
		return -1;
	if (is(field, "versions")) {
		size_t n;
		const char **names = sorted_versions(pkg, &n);
		cJSON *arr = cJSON_CreateArray();

		for (size_t i = n; i-- > 0;)
			cJSON_AddItemToArray(arr, cJSON_CreateString(names[i]));
		print_json(io, arr);
		cJSON_Delete(arr);
		free(names);
	} else if (is(field, "time")) {
		npm_view_time(pkg, io);
	} else if (is(field, "dist-tags")) {
		print_json(io, dist_tags(pkg));
	} else if (is(field, "version")) {
		strbuf_addf(io->out, json ? "\"%s\"\n" : "%s\n", v ? v : "");
	} else if (is(field, "deprecated")) {
		const char *d = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(vo, "deprecated"));

		if (d)
			strbuf_addf(io->out, "%s\n", d);
	} else {
		return -2;
	}
	return 0;
}

static void
npm_view_summary(const char *name, cJSON *pkg, struct io *io)
{
	cJSON *t;
	const char *when;
	const char *latest = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(dist_tags(pkg), "latest"));

	strbuf_addf(io->out, "%s@%s | versions: %d\n\ndist-tags:\n", name,
		    latest ? latest : "?", cJSON_GetArraySize(versions_of(pkg)));
	cJSON_ArrayForEach(t, dist_tags(pkg))
		strbuf_addf(io->out, "%s: %s\n", t->string,
			    cJSON_GetStringValue(t) ? t->valuestring : "");
	when = latest ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(versions_of(pkg), latest),
		"time")) : NULL;
	if (when)	/* npm says "5 hours ago"; the world knows no now */
		strbuf_addf(io->out, "\npublished %s\n", when);
}

static int
npm_view(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *version, *field = NULL;
	char *name;
	cJSON *pkg;
	int json = 0, rc = 0;

	if (argc < 3)
		return unknown(sh);
	for (int a = 3; a < argc; a++) {
		if (is(argv[a], "--json"))
			json = 1;
		else if (!field)
			field = argv[a];
		else
			return unknown(sh);
	}
	name = split_spec(argv[2], &version);
	pkg = package(sh, name);
	if (!pkg)
		rc = npm_404(io, name);
	else if (!field && !version)
		npm_view_summary(name, pkg, io);
	else if ((rc = npm_view_field(pkg, version, field ? field : "version",
				      json, io)) == -1)
		rc = npm_404(io, argv[2]);
	else if (rc == -2)
		rc = unknown(sh);
	free(name);
	return rc;
}

static int
npm_dist_tag(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *version;
	char *name;
	cJSON *pkg, *tags;
	int rc = 0;

	if (argc < 4)
		return unknown(sh);
	name = split_spec(argv[3], &version);
	pkg = package(sh, name);
	if (!pkg) {
		free(name);
		return npm_404(io, argv[3]);
	}
	tags = dist_tags(pkg);
	if (is(argv[2], "ls") && argc == 4) {
		cJSON *t;

		cJSON_ArrayForEach(t, tags)
			strbuf_addf(io->out, "%s: %s\n", t->string,
				    cJSON_GetStringValue(t) ? t->valuestring
							    : "");
	} else if (is(argv[2], "add") && argc == 5 && version) {
		if (!cJSON_GetObjectItemCaseSensitive(versions_of(pkg),
						      version)) {
			rc = npm_404(io, argv[3]);
		} else {
			cJSON_DeleteItemFromObjectCaseSensitive(tags, argv[4]);
			cJSON_AddStringToObject(tags, argv[4], version);
			strbuf_addf(io->out, "+%s: %s@%s\n", argv[4], name,
				    version);
		}
	} else if (is(argv[2], "rm") && argc == 5) {
		const char *was = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(tags, argv[4]));

		if (!was) {
			strbuf_addf(io->err, "npm ERR! %s is not a dist-tag on "
				    "%s\n", argv[4], name);
			rc = 1;
		} else {
			strbuf_addf(io->out, "-%s: %s@%s\n", argv[4], name, was);
			cJSON_DeleteItemFromObjectCaseSensitive(tags, argv[4]);
		}
	} else {
		rc = unknown(sh);
	}
	free(name);
	return rc;
}

static int
npm_deprecate(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *version;
	char *name;
	cJSON *pkg, *vo;

	if (argc != 4)
		return unknown(sh);
	name = split_spec(argv[2], &version);
	pkg = package(sh, name);
	vo = pkg && version ? cJSON_GetObjectItemCaseSensitive(
		versions_of(pkg), version) : NULL;
	free(name);
	if (!vo)
		return npm_404(io, argv[2]);
	cJSON_DeleteItemFromObjectCaseSensitive(vo, "deprecated");
	if (*argv[3])
		cJSON_AddStringToObject(vo, "deprecated", argv[3]);
	return 0;
}

/* The version SPEC's part after the @ names in PKG: a dist-tag's version,
 * an exact version, or latest without one; NULL when none. */
static const char *
npm_resolve(cJSON *pkg, const char *version)
{
	const char *tagged = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(dist_tags(pkg),
						 version ? version : "latest"));

	if (tagged)
		return tagged;
	return version && cJSON_GetObjectItemCaseSensitive(versions_of(pkg),
							   version)
		? version : NULL;
}

/* Every program of the world that PKG_NAME installs now runs VERSION;
 * the number of them. */
static int
install_programs(struct sh *sh, const char *pkg_name, const char *version)
{
	cJSON *progs = cJSON_GetObjectItemCaseSensitive(sh->state, "programs");
	cJSON *p;
	int n = 0;

	cJSON_ArrayForEach(p, progs) {
		const char *of = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(p, "package"));

		if (!of || !is(of, pkg_name))
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(p, "installed");
		cJSON_AddStringToObject(p, "installed", version);
		n++;
	}
	return n;
}

/* npm install -g SPEC (or i, --global): the world's programs from SPEC's
 * package run the version SPEC resolves to. */
static int
npm_install(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *spec = NULL, *version, *v;
	int global = 0, rc = 0;
	char *name;
	cJSON *pkg;

	for (int a = 2; a < argc; a++) {
		if (is(argv[a], "-g") || is(argv[a], "--global"))
			global = 1;
		else if (argv[a][0] == '-' || spec)
			return unknown(sh);
		else
			spec = argv[a];
	}
	if (!global || !spec)
		return unknown(sh);
	name = split_spec(spec, &version);
	pkg = package(sh, name);
	v = pkg ? npm_resolve(pkg, version) : NULL;
	if (!pkg) {
		rc = npm_404(io, name);
	} else if (!v) {
		strbuf_addf(io->err, "npm ERR! code ETARGET\nnpm ERR! notarget "
			    "No matching version found for %s.\n", spec);
		rc = 1;
	} else {
		int n = install_programs(sh, name, v);

		strbuf_addf(io->out, "\nchanged %d package%s\n", n ? n : 1,
			    n > 1 ? "s" : "");
	}
	free(name);
	return rc;
}

static int
tool_npm(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (!registry_of(sh) || argc < 2)
		return unknown(sh);
	if (is(argv[1], "install") || is(argv[1], "i"))
		return npm_install(sh, argc, argv, io);
	if (is(argv[1], "view") || is(argv[1], "info") || is(argv[1], "show"))
		return npm_view(sh, argc, argv, io);
	if (is(argv[1], "dist-tag") || is(argv[1], "dist-tags"))
		return npm_dist_tag(sh, argc, argv, io);
	if (is(argv[1], "deprecate"))
		return npm_deprecate(sh, argc, argv, io);
	return unknown(sh);
}

/* --- pip and twine ----------------------------------------------------------------- */

static char *
wheel_name(const char *pkg, const char *version)
{
	char *w = xasprintf("%s-%s-py3-none-any.whl", pkg, version);

	for (char *p = w; *p && p < w + strlen(pkg); p++)
		if (*p == '-' || *p == '.')
			*p = '_';
	return w;
}

static int
is_hidden(cJSON *pkg, const char *v)
{
	return is_yanked(pkg, v) || registry_version_is_prerelease(REG_PYPI, v);
}

/* NAMES, newest first; WITH_ALL: yanked and pre-releases too. */
static void
list_versions(struct strbuf *sb, const char **names, size_t n, cJSON *pkg,
	      int with_all)
{
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		if (!with_all && is_hidden(pkg, names[i]))
			continue;
		strbuf_addf(sb, "%s%s", first ? "" : ", ", names[i]);
		first = 0;
	}
}

static int
pip_index(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *pkg;
	const char **names;
	size_t n, i;

	if (argc != 4 || !is(argv[2], "versions"))
		return unknown(sh);
	pkg = package(sh, argv[3]);
	names = pkg ? sorted_versions(pkg, &n) : NULL;
	for (i = 0; names && i < n && is_hidden(pkg, names[i]); i++)
		;
	if (!names || i == n) {
		strbuf_addf(io->err, "ERROR: No matching distribution found "
			    "for %s\n", argv[3]);
		free(names);
		return 1;
	}
	strbuf_addf(io->out, "WARNING: pip index is currently an experimental "
		    "command.\n");
	strbuf_addf(io->out, "%s (%s)\nAvailable versions: ", argv[3],
		    names[i]);
	list_versions(io->out, names, n, pkg, 0);
	strbuf_addc(io->out, '\n');
	free(names);
	return 0;
}

/* What an unpinned install resolves to: a yanked version whose cached
 * answer still lingers ("still_resolves": N, used up one install at a
 * time), else the newest version neither yanked nor a pre-release. */
static const char *
resolve_unpinned(cJSON *pkg, const char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cJSON *vo = cJSON_GetObjectItemCaseSensitive(versions_of(pkg),
							     names[i]);
		cJSON *left = cJSON_GetObjectItemCaseSensitive(vo,
							       "still_resolves");

		if (cJSON_IsNumber(left) && left->valueint > 0) {
			cJSON_SetNumberValue(left, left->valueint - 1);
			return names[i];
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!is_yanked(pkg, names[i]) &&
		    !registry_version_is_prerelease(REG_PYPI, names[i]))
			return names[i];
	return NULL;
}

/* A copy of package NAME of STATE's registry, or NULL: what a look that
 * must change nothing (a check's evidence) works on. */
static cJSON *
package_copy(const cJSON *state, const char *name)
{
	const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(state, "registry"), name);

	return pkg ? cJSON_Duplicate(pkg, 1) : NULL;
}

char *
world_pip_would_resolve(const cJSON *state, const char *name)
{
	cJSON *pkg = package_copy(state, name);
	size_t n = 0;
	const char **names = pkg ? sorted_versions(pkg, &n) : NULL;
	const char *v = pkg ? resolve_unpinned(pkg, names, n) : NULL;
	char *out = v ? xstrdup(v) : NULL;

	free(names);
	cJSON_Delete(pkg);
	return out;
}

int
world_pip_is_yanked(const cJSON *state, const char *name, const char *version)
{
	cJSON *pkg = package_copy(state, name);
	int rc = -1;

	if (pkg && cJSON_GetObjectItemCaseSensitive(versions_of(pkg), version))
		rc = is_yanked(pkg, version);
	cJSON_Delete(pkg);
	return rc;
}

static void
pip_not_found(struct io *io, const char *spec, const char **names, size_t n,
	      cJSON *pkg)
{
	strbuf_addf(io->err, "ERROR: Could not find a version that satisfies "
		    "the requirement %s (from versions: ", spec);
	if (names)
		list_versions(io->err, names, n, pkg, 1);
	strbuf_addf(io->err, ")\nERROR: No matching distribution found for "
		    "%s\n", spec);
}

static void
pip_report(struct io *io, const char *spec, const char *pkg_name,
	   const char *v, const char *mode, cJSON *pkg)
{
	char *wheel = wheel_name(pkg_name, v);
	const char *why = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(versions_of(pkg), v),
		"yanked_reason"));

	strbuf_addf(io->out, "Collecting %s\n  Downloading %s (25 kB)\n",
		    spec, wheel);
	if (strchr(spec, '=') && is_yanked(pkg, v))
		strbuf_addf(io->out, "WARNING: The candidate selected for "
			    "download or install is a yanked version: '%s' "
			    "candidate (version %s)\nReason for being yanked: "
			    "%s\n", pkg_name, v, why ? why : "<none given>");
	if (is(mode, "dry-run"))
		strbuf_addf(io->out, "Would install %s-%s\n", pkg_name, v);
	else if (is(mode, "download"))
		strbuf_addf(io->out, "Saved ./%s\nSuccessfully downloaded %s\n",
			    wheel, pkg_name);
	else
		strbuf_addf(io->out, "Installing collected packages: %s\n"
			    "Successfully installed %s-%s\n", pkg_name, pkg_name,
			    v);
	free(wheel);
}

static int
pip_resolve(struct sh *sh, const char *spec, const char *mode,
	    struct io *io)
{
	const char *eq = strstr(spec, "==");
	char *name = eq ? xstrndup(spec, (size_t)(eq - spec)) : xstrdup(spec);
	cJSON *pkg = package(sh, name);
	size_t n = 0;
	const char **names = pkg ? sorted_versions(pkg, &n) : NULL;
	const char *v = NULL;
	int rc = 0;

	if (pkg && eq && cJSON_GetObjectItemCaseSensitive(versions_of(pkg),
							  eq + 2))
		v = eq + 2;
	else if (pkg && !eq)
		v = resolve_unpinned(pkg, names, n);
	if (v) {
		pip_report(io, spec, name, v, mode, pkg);
	} else {
		pip_not_found(io, spec, names, n, pkg);
		rc = 1;
	}
	free(names);
	free(name);
	return rc;
}

/* pip install / download: options that change nothing here are passed
 * over; one that needs a file (-r) or a host (-i) is not followed. */
static int
pip_install(struct sh *sh, int argc, char **argv, struct io *io)
{
	static const char *const quiet[] = { "--no-cache-dir", "--no-deps",
		"-q", "--quiet", "-U", "--upgrade", "--pre", NULL };
	const char *mode = is(argv[1], "download") ? "download" : "install";
	const char *spec = NULL;

	for (int a = 2; a < argc; a++) {
		int skip = 0;

		for (size_t i = 0; quiet[i]; i++)
			skip |= is(argv[a], quiet[i]);
		if (is(argv[a], "--dry-run"))
			mode = "dry-run";
		else if (skip)
			continue;
		else if (argv[a][0] == '-' || spec)
			return unknown(sh);
		else
			spec = argv[a];
	}
	if (!spec)
		return unknown(sh);
	return pip_resolve(sh, spec, mode, io);
}

static int
tool_pip(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (!registry_of(sh) || argc < 2)
		return unknown(sh);
	if (is(argv[1], "index"))
		return pip_index(sh, argc, argv, io);
	if (is(argv[1], "install") || is(argv[1], "download"))
		return pip_install(sh, argc, argv, io);
	return unknown(sh);
}

/* The version a distribution file is for: from NAME-VERSION-... or
 * NAME-VERSION.tar.gz, else from a vVERSION folder in the path. */
static char *
file_version(const char *path)
{
	const char *b = base_name(path), *dash = strchr(b, '-');
	const char *p;

	if (dash && dash[1] >= '0' && dash[1] <= '9') {
		size_t len = strcspn(dash + 1, "-");

		if (strstr(dash + 1, ".tar.gz") && !strchr(dash + 1, '-'))
			len = strlen(dash + 1) - strlen(".tar.gz");
		return xstrndup(dash + 1, len);
	}
	for (p = path; (p = strstr(p, "/v")) != NULL; p++)
		if (p[2] >= '0' && p[2] <= '9')
			return xstrndup(p + 2, strcspn(p + 2, "/"));
	return NULL;
}

/* Twine names no package when given globs: the one package the world
 * holds, or NULL. */
static cJSON *
only_package(struct sh *sh)
{
	cJSON *reg = registry_of(sh);

	return cJSON_GetArraySize(reg) == 1 ? reg->child : NULL;
}

/* The file name FILE stands for: itself, or for a glob (the drill has
 * no files to match) the wheel or sdist of PKG at V it would match. */
static char *
dist_file_name(const char *file, const char *pkg, const char *v)
{
	const char *b = base_name(file);
	char *wheel, *sdist;

	if (!strchr(b, '*'))
		return xstrdup(b);
	wheel = wheel_name(pkg, v);
	sdist = xasprintf("%.*s-%s.tar.gz", (int)strcspn(wheel, "-"), wheel, v);
	if (fnmatch(b, wheel, 0) == 0) {
		free(sdist);
		return wheel;
	}
	free(wheel);
	return sdist;
}

/* Upload FILE; BEFORE holds the versions the index had when the command
 * started, so a wheel and its sdist of a new version both upload. */
static int
twine_upload_one(struct sh *sh, const char *file, int skip_existing,
		 const cJSON *before, struct io *io)
{
	char *v = file_version(file);
	cJSON *pkg = only_package(sh);
	char *shown;
	int rc = 0;

	if (!v || !pkg) {
		free(v);
		return unknown(sh);
	}
	shown = dist_file_name(file, pkg->string, v);
	if (cJSON_GetObjectItemCaseSensitive(before, v)) {
		if (skip_existing) {
			strbuf_addf(io->out, "Skipping %s because it appears to "
				    "already exist\n", shown);
		} else {
			strbuf_addf(io->err, "ERROR    HTTPError: 400 Bad Request "
				    "- File already exists (%s %s)\n",
				    pkg->string, v);
			rc = 1;
		}
	} else {
		strbuf_addf(io->out, "Uploading %s\n", shown);
		if (!cJSON_GetObjectItemCaseSensitive(versions_of(pkg), v))
			cJSON_AddItemToObject(versions_of(pkg), v,
					      cJSON_CreateObject());
	}
	free(shown);
	free(v);
	return rc;
}

static int
tool_twine(struct sh *sh, int argc, char **argv, struct io *io)
{
	int skip_existing = 0, rc = 0, n = 0;
	cJSON *before;

	if (!registry_of(sh) || argc < 3)
		return unknown(sh);
	if (is(argv[1], "check")) {
		for (int a = 2; a < argc; a++)
			strbuf_addf(io->out, "Checking %s: PASSED\n", argv[a]);
		return 0;
	}
	if (!is(argv[1], "upload"))
		return unknown(sh);
	strbuf_adds(io->out, "Uploading distributions to the configured "
		    "index\n");
	before = only_package(sh) ? cJSON_Duplicate(
		versions_of(only_package(sh)), 1) : NULL;
	for (int a = 2; a < argc && !sh->unknown; a++) {
		if (is(argv[a], "--skip-existing"))
			skip_existing = 1;
		else if (argv[a][0] == '-')
			rc = unknown(sh);
		else if (twine_upload_one(sh, argv[a], skip_existing, before,
					  io))
			rc = 1;
		else
			n++;
	}
	cJSON_Delete(before);
	return rc || !n;
}

/* --- curl ------------------------------------------------------------------------------- */

/* Whether something in the world listens where URL points: a loopback
 * host on a port of the world's listeners, or (when the world keeps no
 * listeners) the origin of one of its known endpoints. */
static int
url_is_served(struct sh *sh, const cJSON *http, const char *url)
{
	const char *host = strstr(url, "://"), *end, *colon;
	cJSON *ls = cJSON_GetObjectItemCaseSensitive(sh->state, "listeners");
	const cJSON *e;
	char port[8], hostname[64];
	size_t n;

	if (!host)
		return 0;
	host += 3;
	end = host + strcspn(host, "/?#");
	colon = host[0] == '[' ? strstr(host, "]:") : memchr(host, ':',
							  (size_t)(end - host));
	if (colon && host[0] == '[')
		colon++;
	if (colon && colon < end && (size_t)(end - colon - 1) < sizeof(port))
		snprintf(port, sizeof(port), "%.*s", (int)(end - colon - 1),
			 colon + 1);
	else
		snprintf(port, sizeof(port), "%s",
			 strncmp(url, "https", 5) == 0 ? "443" : "80");
	n = (size_t)((colon && colon < end ? colon : end) - host);
	if (n >= sizeof(hostname))
		return 0;
	snprintf(hostname, sizeof(hostname), "%.*s", (int)n, host);
	if (cJSON_IsObject(ls))
		return cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ls, port)) &&
		       (is(hostname, "localhost") || is(hostname, "127.0.0.1") ||
			is(hostname, "[::1]"));
	cJSON_ArrayForEach(e, http) {
		size_t len = (size_t)(end - url);

		if (e->string && strncmp(e->string, url, len) == 0 &&
		    strchr("/?#", e->string[len]))
			return 1;
	}
	return 0;
}

static int
tool_curl(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *http = cJSON_GetObjectItemCaseSensitive(sh->state, "http");
	const char *url = NULL;
	int fail = 0, status = 200;
	cJSON *e;
	const char *body = NULL;

	if (!cJSON_IsObject(http))
		return unknown(sh);
	for (int a = 1; a < argc; a++) {
		if (strncmp(argv[a], "http", 4) == 0)
			url = argv[a];
		else if (is(argv[a], "--fail") ||
			 (argv[a][0] == '-' && argv[a][1] != '-' &&
			  strspn(argv[a] + 1, "fsSL") == strlen(argv[a] + 1)))
			fail |= is(argv[a], "--fail") || strchr(argv[a], 'f');
		else if (!is(argv[a], "--silent") && !is(argv[a], "--show-error"))
			return unknown(sh);
	}
	if (!url)
		return unknown(sh);
	e = cJSON_GetObjectItemCaseSensitive(http, url);
	if (!e && url_is_served(sh, http, url)) {
		status = 404;	/* a path the server does not have */
		body = "Not Found";
	} else if (!e) {
		strbuf_addf(io->err, "curl: (7) Failed to connect to %s: "
			    "Connection refused\n", url);
		return 7;
	} else if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(e, "status")))
		status = cJSON_GetObjectItemCaseSensitive(e, "status")->valueint;
	if (e)
		body = cJSON_IsString(e) ? e->valuestring : cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(e, "body"));
	if (fail && status >= 400) {
		strbuf_addf(io->err, "curl: (22) The requested URL returned "
			    "error: %d\n", status);
		return 22;
	}
	if (body)
		strbuf_addf(io->out, "%s\n", body);
	return 0;
}

/* --- processes listening on ports: lsof, kill ---------------------------------------- */

/* The world's listeners: port -> {pid, command, user}, or NULL. */
static cJSON *
listeners_of(struct sh *sh)
{
	cJSON *l = cJSON_GetObjectItemCaseSensitive(sh->state, "listeners");

	return cJSON_IsObject(l) ? l : NULL;
}

static int
listener_pid(const cJSON *l)
{
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(l, "pid");

	return cJSON_IsNumber(pid) ? pid->valueint : -1;
}

/* lsof -iTCP:PORT [-sTCP:LISTEN] [-nP] [-t]: the process listening on
 * PORT; exit 1 with nothing printed when none does, as lsof does. */
static int
tool_lsof(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *ls = listeners_of(sh), *l;
	const char *port = NULL, *command, *user;
	int terse = 0;

	if (!ls)
		return unknown(sh);
	for (int a = 1; a < argc; a++) {
		if (strncmp(argv[a], "-iTCP:", 6) == 0)
			port = argv[a] + 6;
		else if (is(argv[a], "-t"))
			terse = 1;
		else if (!is(argv[a], "-nP") && !is(argv[a], "-n") &&
			 !is(argv[a], "-P") && !is(argv[a], "-sTCP:LISTEN"))
			return unknown(sh);
	}
	if (!port)
		return unknown(sh);
	l = cJSON_GetObjectItemCaseSensitive(ls, port);
	if (!cJSON_IsObject(l))
		return 1;
	if (terse) {
		strbuf_addf(io->out, "%d\n", listener_pid(l));
		return 0;
	}
	command = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		l, "command"));
	user = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "user"));
	strbuf_addf(io->out, "COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF "
		    "NODE NAME\n%-8s %d %-6s 6u  IPv4  81234      0t0  TCP "
		    "127.0.0.1:%s (LISTEN)\n", command ? command : "?",
		    listener_pid(l), user ? user : "?", port);
	return 0;
}

/* kill [-SIGNAL] PID: a listener's process stops and frees its port
 * (kill -0 only asks whether it runs); any other process id is no such
 * process. */
static int
tool_kill(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *ls = listeners_of(sh), *l;
	int a = 1, probe = 0, rc = 0;

	if (!ls)
		return unknown(sh);
	if (a < argc && argv[a][0] == '-') {
		probe = is(argv[a], "-0");
		a++;
	}
	if (a >= argc)
		return unknown(sh);
	for (; a < argc; a++) {
		char *end;
		long pid = strtol(argv[a], &end, 10);
		cJSON *hit = NULL;

		cJSON_ArrayForEach(l, ls)
			if (*argv[a] && !*end && listener_pid(l) == pid)
				hit = l;
		if (!hit) {
			strbuf_addf(io->err, "kill: (%s) - No such process\n",
				    argv[a]);
			rc = 1;
		} else if (!probe) {
			cJSON_DetachItemViaPointer(ls, hit);
			cJSON_Delete(hit);
		}
	}
	return rc;
}

/* --- git ------------------------------------------------------------------------------ */

static cJSON *
tags_of(struct sh *sh)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(sh->state, "tags");

	return cJSON_IsObject(t) ? cJSON_GetObjectItemCaseSensitive(t, "tags")
				 : t;
}

static const char *
tag_name(const cJSON *item)
{
	return cJSON_IsString(item) ? item->valuestring : cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(item, "name"));
}

static const char *
tag_commit(const cJSON *item)
{
	const char *c = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(item, "commit"));

	return c ? c : "0000000";
}

static cJSON *
find_tag(struct sh *sh, const char *name, int *index)
{
	cJSON *it;
	int i = 0;

	cJSON_ArrayForEach(it, tags_of(sh)) {
		if (tag_name(it) && is(tag_name(it), name)) {
			if (index)
				*index = i;
			return it;
		}
		i++;
	}
	return NULL;
}

static int
by_tag_version_desc(const void *a, const void *b)
{
	return registry_version_cmp(*(const char *const *)b,
				    *(const char *const *)a);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* git tag [-l|--list] [--sort=...] [PATTERN]: names, sorted as asked
 * (version or creation order descending; by name by default). */
static int
git_tag_list(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *it;
	const char **names = xcalloc((size_t)cJSON_GetArraySize(tags_of(sh)) + 1,
				     sizeof(*names));
	const char *pattern = NULL;
	int (*order)(const void *, const void *) = by_name;
	size_t n = 0;

	for (int a = 2; a < argc; a++) {
		if (is(argv[a], "-l") || is(argv[a], "--list"))
			continue;
		if (strstr(argv[a], "--sort=") == argv[a])
			order = strstr(argv[a], "creatordate") ? NULL
				: argv[a][7] == '-'
				? by_tag_version_desc : by_name;
		else if (argv[a][0] == '-' || pattern) {
			free(names);
			return unknown(sh);
		} else
			pattern = argv[a];
	}
	cJSON_ArrayForEach(it, tags_of(sh))
		if (tag_name(it) && (!pattern || !fnmatch(pattern, tag_name(it),
							    0)))
			names[n++] = tag_name(it);
	if (order)
		qsort(names, n, sizeof(*names), order);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(io->out, "%s\n", names[i]);
	free(names);
	return 0;
}

static int
git_tag(struct sh *sh, int argc, char **argv, struct io *io)
{
	int index;
	cJSON *t;

	if (argc == 4 && is(argv[2], "-d")) {
		if (!(t = find_tag(sh, argv[3], &index))) {
			strbuf_addf(io->err, "error: tag '%s' not found.\n",
				    argv[3]);
			return 1;
		}
		strbuf_addf(io->out, "Deleted tag '%s' (was %.7s)\n", argv[3],
			    tag_commit(t));
		cJSON_DeleteItemFromArray(tags_of(sh), index);
		return 0;
	}
	if (argc == 3 && argv[2][0] != '-') {
		if (find_tag(sh, argv[2], NULL)) {
			strbuf_addf(io->err, "fatal: tag '%s' already exists\n",
				    argv[2]);
			return 128;
		}
		cJSON_InsertItemInArray(tags_of(sh), 0,
					cJSON_CreateString(argv[2]));
		return 0;
	}
	return git_tag_list(sh, argc, argv, io);
}

static int
git_describe(struct sh *sh, struct io *io)
{
	cJSON *state = cJSON_GetObjectItemCaseSensitive(sh->state, "tags");
	const char *head = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(state, "head"));
	cJSON *it;

	cJSON_ArrayForEach(it, tags_of(sh)) {
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "head")) ||
		    (head && !strncmp(tag_commit(it), head, 7))) {
			strbuf_addf(io->out, "%s\n", tag_name(it));
			return 0;
		}
	}
	if (cJSON_GetArraySize(tags_of(sh)) && !head) {
		strbuf_addf(io->out, "%s\n", tag_name(tags_of(sh)->child));
		return 0;
	}
	strbuf_addf(io->err, "fatal: No names found, cannot describe "
		    "anything.\n");
	return 128;
}

/* REF as a world tag: NAME, tags/NAME or refs/tags/NAME; or NULL. */
static cJSON *
ref_tag(struct sh *sh, const char *ref)
{
	if (strncmp(ref, "refs/tags/", 10) == 0)
		ref += 10;
	else if (strncmp(ref, "tags/", 5) == 0)
		ref += 5;
	return find_tag(sh, ref, NULL);
}

/* The tags state as an object ({"tags": [...], ...}), a bare list of
 * tags turned into one, so HEAD can be kept beside them. */
static cJSON *
tags_object(struct sh *sh)
{
	cJSON *t = cJSON_GetObjectItemCaseSensitive(sh->state, "tags");
	cJSON *o;

	if (cJSON_IsObject(t))
		return t;
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(t, 1));
	cJSON_ReplaceItemInObjectCaseSensitive(sh->state, "tags", o);
	return o;
}

/* HEAD moves to tag NAME: it alone is marked "head", the state's "head"
 * is its commit (none when the world gives it none), and DETACH leaves
 * the branch. The Tags tab, git describe and the score read this. */
static void
move_head(struct sh *sh, const char *name, int detach)
{
	cJSON *o = tags_object(sh), *list = tags_of(sh), *it;
	const char *commit = NULL;
	int i = 0;

	cJSON_ArrayForEach(it, list) {
		if (cJSON_IsString(it) && is(it->valuestring, name)) {
			cJSON *t = cJSON_CreateObject();

			cJSON_AddStringToObject(t, "name", name);
			cJSON_ReplaceItemInArray(list, i, t);
			it = t;
		}
		if (cJSON_IsObject(it)) {
			cJSON_DeleteItemFromObjectCaseSensitive(it, "head");
			if (tag_name(it) && is(tag_name(it), name)) {
				cJSON_AddTrueToObject(it, "head");
				commit = cJSON_GetStringValue(
					cJSON_GetObjectItemCaseSensitive(
						it, "commit"));
			}
		}
		i++;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(o, "head");
	if (commit)
		cJSON_AddStringToObject(o, "head", commit);
	if (detach) {
		cJSON_DeleteItemFromObjectCaseSensitive(o, "branch");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "detached");
		cJSON_AddTrueToObject(o, "detached");
	}
}

static void
head_now_at(struct sh *sh, const char *name, struct io *io)
{
	cJSON *t = find_tag(sh, name, NULL);
	const char *msg = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(t, "message"));

	strbuf_addf(io->err, "HEAD is now at %.7s%s%.*s\n", tag_commit(t),
		    msg ? " " : "", msg ? (int)strcspn(msg, "\r\n") : 0,
		    msg ? msg : "");
}

/* HEAD moves to tag T (DETACH as move_head), and says where it is now.
 * T may be replaced in the list: its name is copied first. */
static void
head_moves(struct sh *sh, cJSON *t, int detach, struct io *io)
{
	char *name = xstrdup(tag_name(t));

	move_head(sh, name, detach);
	head_now_at(sh, name, io);
	free(name);
}

/* git checkout [-q] [-f] [--detach] REF, git switch --detach|-d REF:
 * HEAD moves to the world's tag REF (detached). A path after "--", a new
 * branch (-b) or a ref the world has no tag for is unknown to it. */
static int
git_checkout(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *ref = NULL;
	cJSON *t;

	for (int a = 2; a < argc; a++) {
		if (is(argv[a], "-q") || is(argv[a], "-f") ||
		    is(argv[a], "--force") || is(argv[a], "--detach") ||
		    is(argv[a], "-d"))
			continue;
		if (argv[a][0] == '-' || ref)
			return unknown(sh);
		ref = argv[a];
	}
	if (!ref || !(t = ref_tag(sh, ref)))
		return unknown(sh);
	strbuf_addf(io->err, "Note: switching to '%s'.\n\nYou are in "
		    "'detached HEAD' state.\n", ref);
	head_moves(sh, t, 1, io);
	return 0;
}

/* git reset --hard REF: the branch (and HEAD) moves to tag REF. */
static int
git_reset(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *t;

	if (argc != 4 || !is(argv[2], "--hard") || !(t = ref_tag(sh, argv[3])))
		return unknown(sh);
	head_moves(sh, t, 0, io);
	return 0;
}

/* git status --short (or -s, --porcelain): the world's checkout is
 * clean, so nothing; the long form is not simulated. */
static int
git_status(struct sh *sh, int argc, char **argv)
{
	for (int a = 2; a < argc; a++)
		if (!is(argv[a], "--short") && !is(argv[a], "-s") &&
		    !is(argv[a], "--porcelain"))
			return unknown(sh);
	return argc > 2 ? 0 : unknown(sh);
}

/* git tag as a listing (not -d NAME, not a new NAME). */
static int
lists_tags(int argc, char **argv)
{
	return is(argv[1], "tag") && !(argc == 4 && is(argv[2], "-d")) &&
	       !(argc == 3 && argv[2][0] != '-');
}

/* A world without tags still answers a listing, with none: the Tags tab
 * says the drill has none, and the command must not print others. */
static int
tool_git(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (argc >= 2 && !tags_of(sh) && lists_tags(argc, argv))
		return git_tag_list(sh, argc, argv, io);
	if (!tags_of(sh) || argc < 2)
		return unknown(sh);
	if (is(argv[1], "tag"))
		return git_tag(sh, argc, argv, io);
	if (is(argv[1], "describe"))
		return git_describe(sh, io);
	if (is(argv[1], "checkout") ||
	    (is(argv[1], "switch") && argc == 4 &&
	     (is(argv[2], "--detach") || is(argv[2], "-d"))))
		return git_checkout(sh, argc, argv, io);
	if (is(argv[1], "reset"))
		return git_reset(sh, argc, argv, io);
	if (is(argv[1], "status"))
		return git_status(sh, argc, argv);
	return unknown(sh);
}

/* --- gh -------------------------------------------------------------------------------- */

static int
by_tag_item_desc(const void *a, const void *b)
{
	return registry_version_cmp(tag_name(*(cJSON *const *)b),
				    tag_name(*(cJSON *const *)a));
}

/* gh release list [--limit N | -L N]: the world's tags marked "release",
 * newest version first, as TITLE, TYPE (Latest for the newest that is no
 * pre-release, Pre-release), TAG and DATE, tab-separated. */
static int
gh_release_list(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON **rel, *it;
	long limit = 30;
	size_t n = 0;
	int latest = 0;

	for (int a = 3; a < argc; a++) {
		if ((is(argv[a], "--limit") || is(argv[a], "-L")) && a + 1 < argc)
			limit = atol(argv[++a]);
		else if (strncmp(argv[a], "--limit=", 8) == 0)
			limit = atol(argv[a] + 8);
		else
			return unknown(sh);
	}
	rel = xcalloc((size_t)cJSON_GetArraySize(tags_of(sh)) + 1,
		      sizeof(*rel));
	cJSON_ArrayForEach(it, tags_of(sh))
		if (tag_name(it) && cJSON_IsTrue(
			    cJSON_GetObjectItemCaseSensitive(it, "release")))
			rel[n++] = it;
	qsort(rel, n, sizeof(*rel), by_tag_item_desc);
	for (size_t i = 0; i < n && (long)i < limit; i++) {
		const char *name = tag_name(rel[i]);
		const char *date = cJSON_GetStringValue(
			cJSON_GetObjectItemCaseSensitive(rel[i], "date"));
		int pre = strchr(name, '-') != NULL;
		const char *type = pre ? "Pre-release"
				 : !latest++ ? "Latest" : "";

		strbuf_addf(io->out, "%s\t%s\t%s\t%s\n", name, type, name,
			    date ? date : "");
	}
	free(rel);
	return 0;
}

/* A field of workflow run R, or "" when it has none. */
static const char *
run_field(const cJSON *r, const char *name)
{
	const char *v = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(r, name));

	return v ? v : "";
}

/* gh run list [--limit N | -L N]: the world's "runs" (id -> {status,
 * conclusion, title, workflow, branch, event, elapsed, age}), newest (the
 * highest id) first, in gh's tab-separated columns. */
static int
gh_run_list(struct sh *sh, int argc, char **argv, struct io *io)
{
	cJSON *runs = cJSON_GetObjectItemCaseSensitive(sh->state, "runs");
	long limit = 20, shown = 0;
	const char *last = NULL;

	for (int a = 3; a < argc; a++) {
		if ((is(argv[a], "--limit") || is(argv[a], "-L")) &&
		    a + 1 < argc)
			limit = strtol(argv[++a], NULL, 10);
		else
			return unknown(sh);
	}
	while (shown < limit) {
		const cJSON *r, *best = NULL;

		/* ids are decimal strings of one width: the greatest below
		 * the last one shown is the next newest */
		cJSON_ArrayForEach(r, runs)
			if ((!last || strcmp(r->string, last) < 0) &&
			    (!best || strcmp(r->string, best->string) > 0))
				best = r;
		if (!best)
			break;
		strbuf_addf(io->out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			    run_field(best, "status"),
			    run_field(best, "conclusion"),
			    run_field(best, "title"), run_field(best, "workflow"),
			    run_field(best, "branch"), run_field(best, "event"),
			    best->string, run_field(best, "elapsed"),
			    run_field(best, "age"));
		last = best->string;
		shown++;
	}
	return 0;
}

/* gh: release list when the world has tags, run list when it has runs. */
static int
tool_gh(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (argc >= 3 && tags_of(sh) && is(argv[1], "release") &&
	    is(argv[2], "list"))
		return gh_release_list(sh, argc, argv, io);
	if (argc >= 3 && is(argv[1], "run") && is(argv[2], "list") &&
	    cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(sh->state, "runs")))
		return gh_run_list(sh, argc, argv, io);
	return unknown(sh);
}

/* --- programs a package installs ----------------------------------------------- */

/* The world's program NAME ("programs": {NAME: {package, installed,
 * commands: {"ARGS": text or lines}}}), or NULL. */
static cJSON *
program(struct sh *sh, const char *name)
{
	cJSON *p = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(sh->state, "programs"), name);

	return cJSON_IsObject(p) ? p : NULL;
}

/* LINE with each {version} replaced by VERSION, to OUT. */
static void
add_versioned(struct strbuf *out, const char *line, const char *version)
{
	const char *at;

	while ((at = strstr(line, "{version}")) != NULL) {
		strbuf_add(out, line, (size_t)(at - line));
		strbuf_adds(out, version);
		line = at + strlen("{version}");
	}
	strbuf_adds(out, line);
	strbuf_addc(out, '\n');
}

/* A program of the world run with ARGV[1..]: what its "commands" entry for
 * those arguments prints, with {version} the version installed now; not
 * installed: the shell's "not found"; other arguments: unknown. */
static int
tool_program(struct sh *sh, cJSON *prog, int argc, char **argv,
	     struct io *io)
{
	const char *version = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(prog, "installed"));
	struct strbuf key = STRBUF_INIT;
	cJSON *out, *line;

	for (int a = 1; a < argc; a++)
		strbuf_addf(&key, "%s%s", a > 1 ? " " : "", argv[a]);
	out = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(prog, "commands"),
		strbuf_str(&key));
	strbuf_done(&key);
	if (!version) {
		strbuf_addf(io->err, "sh: 1: %s: not found\n", argv[0]);
		return 127;
	}
	if (cJSON_IsString(out)) {
		add_versioned(io->out, out->valuestring, version);
		return 0;
	}
	if (!cJSON_IsArray(out))
		return unknown(sh);
	cJSON_ArrayForEach(line, out)
		if (cJSON_IsString(line))
			add_versioned(io->out, line->valuestring, version);
	return 0;
}

/* --- dispatch ----------------------------------------------------------------------- */

static int
tool_python(struct sh *sh, int argc, char **argv, struct io *io)
{
	if (argc >= 3 && is(argv[1], "-m") && is(argv[2], "venv"))
		return 0;
	if (argc >= 3 && is(argv[1], "-m") && is(argv[2], "pip"))
		return tool_pip(sh, argc - 2, argv + 2, io);
	if (argc >= 3 && is(argv[1], "-m") && is(argv[2], "twine"))
		return tool_twine(sh, argc - 2, argv + 2, io);
	return unknown(sh);
}

int
world_tool(struct sh *sh, int argc, char **argv, struct io *io)
{
	const char *name = base_name(argv[0]);

	if (is(name, "true") || is(name, ":") || is(name, "trap") ||
	    is(name, "cd") || is(name, "rm"))
		return 0;
	if (is(name, "false"))
		return 1;
	if (is(name, "mktemp")) {
		strbuf_addf(io->out, "%s\n", MKTEMP_DIR);
		return 0;
	}
	if (is(name, "echo"))
		return tool_echo(argc, argv, io);
	if (is(name, "["))
		return tool_test(sh, argc, argv);
	if (is(name, "cat"))
		return tool_cat(sh, argc, argv, io);
	if (is(name, "ls"))
		return tool_ls(sh, argc, argv, io);
	if (is(name, "grep"))
		return tool_grep(sh, argc, argv, io);
	if (is(name, "head") || is(name, "tail"))
		return tool_head_tail(sh, argc, argv, io, is(name, "tail"));
	if (is(name, "wc"))
		return tool_wc(sh, argc, argv, io);
	if (is(name, "git"))
		return tool_git(sh, argc, argv, io);
	if (is(name, "gh"))
		return tool_gh(sh, argc, argv, io);
	if (is(name, "npm"))
		return tool_npm(sh, argc, argv, io);
	if (is(name, "pip") || is(name, "pip3"))
		return tool_pip(sh, argc, argv, io);
	if (is(name, "python") || is(name, "python3"))
		return tool_python(sh, argc, argv, io);
	if (is(name, "twine"))
		return tool_twine(sh, argc, argv, io);
	if (is(name, "curl"))
		return tool_curl(sh, argc, argv, io);
	if (is(name, "lsof"))
		return tool_lsof(sh, argc, argv, io);
	if (is(name, "kill"))
		return tool_kill(sh, argc, argv, io);
	if (program(sh, argv[0]))
		return tool_program(sh, program(sh, argv[0]), argc, argv, io);
	return unknown(sh);
}
