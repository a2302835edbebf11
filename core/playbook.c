/* Playbook loader: reads a JSON runbook, checks it against the rules of
 * playbooks/schema.json plus the cross-references a schema can't express,
 * and converts it into the structs of playbook.h. */
#include "config.h"
#include "playbook.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "clock.h"
#include "clone.h"
#include "err.h"
#include "relimit.h"
#include "sha256.h"
#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

#define PB_FILE_MAX (16 * 1024 * 1024)	/* larger files are refused */
#define PB_PATH_MAX 512			/* room for a JSON path */
#define PB_SHOW_MAX 64			/* bytes of a value quoted */
#define PB_ID_MAX 64			/* ids and variable names */
#define DURATION_MAX_S 999999999	/* integer durations, as the schema */

static const char *const phase_names[PHASE_COUNT + 1] = {
	"assess", "decide", "approve", "execute", "verify", "communicate",
	NULL
};

static const char *const kind_names[STEP_KIND_COUNT + 1] = {
	"check", "run", "probe", "decide", "approve", "input", "message",
	"wait", NULL
};

static const char *const probe_names[PROBE_TYPE_COUNT + 1] = {
	"git_head", "registry_tag", "http", "log_count", NULL
};

static const char *const from_names[] = { "tags", "registry", NULL };
const char *const msg_channel_names[] = {
	[CHANNEL_FILE] = "file",
	[CHANNEL_WEBHOOK] = "webhook",
	[CHANNEL_COMMAND] = "command",
	[CHANNEL_CLIPBOARD] = "clipboard",
	NULL
};

int
msg_channel_parse(const char *name, enum msg_channel *c)
{
	for (int i = 0; name && i < CHANNEL_COUNT; i++)
		if (strcmp(name, msg_channel_names[i]) == 0) {
			*c = (enum msg_channel)i;
			return 0;
		}
	return -1;
}
const char *const webhook_style_names[] = {
	[WEBHOOK_SLACK] = "slack",
	[WEBHOOK_GENERIC] = "generic",
	NULL
};

/* Loader state: where messages point and what has been built so far. */
struct ld {
	const char *name;	/* file name that starts every message */
	struct err *err;
	struct playbook *pb;
	struct pb_step *step;	/* step being parsed, for its matrix */
	char path[PB_PATH_MAX];	/* JSON path of the value being read */
	size_t path_len;
};

/* A value quoted in a message: escaped and clipped. */
struct shown {
	char s[PB_SHOW_MAX * 4 + 8];	/* 4 bytes per escaped byte */
};

/* How one key of an object is read into a struct (see parse_field). */
enum field_type {
	F_SKIP,		/* read by the caller (e.g. a step's "kind") */
	F_STRING,	/* char * */
	F_TEXT,		/* char *, non-empty */
	F_ID,		/* char *, matching the id pattern */
	F_VAR,		/* char *, the name of a declared variable */
	F_ENUM,		/* char *, one of names */
	F_ENUM_ID,	/* int, the index of one of names (an enum) */
	F_OUTPUT,	/* char *, a string or an array of lines */
	F_STRINGS,	/* char ** at off, size_t count at off2 */
	F_REGEX,	/* char * at off, regex_t at off2 (whole: a
			 * struct pb_lazy_re * there) */
	F_BOOL,		/* int */
	F_INT,		/* int in min..max */
	F_DURATION,	/* int64_t µs */
	F_CUSTOM,	/* parse(ld, value, base + off) */
};

struct field {
	const char *key;
	enum field_type type;
	int required;
	size_t off;
	size_t off2;
	int min, max;		/* F_INT range; F_STRINGS minimum count */
	int whole;		/* F_REGEX: must match the whole value */
	const char *const *names;	/* F_ENUM, F_ENUM_ID */
	int (*parse)(struct ld *ld, const cJSON *v, void *base);
};

typedef int (*elem_cb)(struct ld *ld, const cJSON *v, void *elem);

/* ---- messages and JSON paths ------------------------------------------- */


/* Up to PB_SHOW_MAX bytes of S, quoted for a message: control bytes and
 * invalid UTF-8 as \xNN, and with QUOTES (a value shown in double quotes)
 * '"' and '\\' escaped as well. */
static struct shown
show_n(const char *s, size_t n, int quotes)
{
	const unsigned char *u = (const unsigned char *)s;
	struct shown out;
	size_t o = 0, i = 0;

	while (i < n && i < PB_SHOW_MAX) {
		size_t len = utf8_len(u + i, n - i);

		if (quotes && (u[i] == '"' || u[i] == '\\')) {
			o += (size_t)snprintf(out.s + o, 3, "\\%c", u[i]);
		} else if (len == 0 || u[i] < 0x20 || u[i] == 0x7f) {
			o += (size_t)snprintf(out.s + o, 5, "\\x%02x", u[i]);
		} else {
			memcpy(out.s + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		i++;
	}
	memcpy(out.s + o, i < n ? "..." : "", i < n ? 4 : 1);
	return out;
}

static struct shown
show(const char *s)
{
	return show_n(s, strlen(s), 1);
}

/* A pattern as its author wrote it (a backslash stays one backslash),
 * for messages that quote it. */
static struct shown
show_pattern(const char *s)
{
	return show_n(s, strlen(s), 0);
}

static const char *
type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "string";
	if (cJSON_IsNumber(v))
		return "number";
	if (cJSON_IsBool(v))
		return "boolean";
	if (cJSON_IsArray(v))
		return "array";
	if (cJSON_IsObject(v))
		return "object";
	return "null";
}

static size_t
path_add(struct ld *ld, const char *s)
{
	size_t old = ld->path_len;
	size_t room = sizeof(ld->path) - 1 - ld->path_len;
	size_t n = strlen(s);

	if (n > room)
		n = room;
	memcpy(ld->path + ld->path_len, s, n);
	ld->path_len += n;
	ld->path[ld->path_len] = '\0';
	return old;
}

static size_t
path_key(struct ld *ld, const char *key)
{
	size_t old = ld->path_len;

	if (old)
		path_add(ld, ".");
	path_add(ld, show(key).s);
	return old;
}

static size_t
path_index(struct ld *ld, size_t i)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "[%zu]", i);
	return path_add(ld, buf);
}

static void
path_pop(struct ld *ld, size_t saved)
{
	ld->path_len = saved;
	ld->path[saved] = '\0';
}

static int
vfail(struct ld *ld, const char *fmt, va_list ap)
{
	char problem[ERR_MSG_MAX];

	vsnprintf(problem, sizeof(problem), fmt, ap);
	return err_set(ld->err, ERR_INVALID, "%s: %s: %s", ld->name,
		       ld->path_len ? ld->path : "(top level)", problem);
}

/* Report PROBLEM at the current path; returns -1. */
static int __attribute__((format(printf, 2, 3)))
fail(struct ld *ld, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(ld, fmt, ap);
	va_end(ap);
	return -1;
}

/* Report PROBLEM at KEY below the current path; returns -1. */
static int __attribute__((format(printf, 3, 4)))
fail_key(struct ld *ld, const char *key, const char *fmt, ...)
{
	size_t saved = path_key(ld, key);
	va_list ap;

	va_start(ap, fmt);
	vfail(ld, fmt, ap);
	va_end(ap);
	path_pop(ld, saved);
	return -1;
}

/* ---- scalar values ----------------------------------------------------- */

static int
is_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > PB_ID_MAX ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int
is_var_name(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > PB_ID_MAX || !(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

/* The duration grammar of the schema: ^([0-9]{1,6}[hms]){1,3}$ or
 * ^[0-9]{1,9}$; the bounds keep every accepted value within int64 µs. */
static int
is_duration(const char *s)
{
	size_t digits = strspn(s, "0123456789");
	int groups = 0;

	if (digits > 0 && s[digits] == '\0')
		return digits <= 9;
	while (*s) {
		digits = strspn(s, "0123456789");
		if (digits == 0 || digits > 6 || s[digits] == '\0' ||
		    !strchr("hms", s[digits]) || ++groups > 3)
			return 0;
		s += digits + 1;
	}
	return groups > 0;
}

static int
want_string(struct ld *ld, const cJSON *v, char **out)
{
	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	*out = xstrdup(v->valuestring);
	return 0;
}

static int
want_text(struct ld *ld, const cJSON *v, char **out)
{
	if (cJSON_IsString(v) && !*v->valuestring)
		return fail(ld, "expected non-empty string");
	return want_string(ld, v, out);
}

static int
want_id(struct ld *ld, const cJSON *v, char **out)
{
	if (cJSON_IsString(v) && !is_id(v->valuestring))
		return fail(ld, "invalid id \"%s\" (1 to 64 of a-z, 0-9, '.', "
			    "'_', '-', starting with a letter or digit)",
			    show(v->valuestring).s);
	return want_string(ld, v, out);
}

static int
want_var(struct ld *ld, const cJSON *v, char **out)
{
	if (cJSON_IsString(v) && !playbook_find_var(ld->pb, v->valuestring))
		return fail(ld, "unknown variable \"%s\" (declare it under "
			    "variables)", show(v->valuestring).s);
	return want_string(ld, v, out);
}

static void
join_names(struct strbuf *sb, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		strbuf_adds(sb, names[i]);
	}
}

/* Find V among NAMES (NULL-terminated) and store its index in *IDX;
 * WHAT names the kind of value in the message. */
static int
want_enum(struct ld *ld, const cJSON *v, const char *what,
	  const char *const *names, int *idx)
{
	struct strbuf sb = STRBUF_INIT;

	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	for (int i = 0; names[i]; i++) {
		if (strcmp(names[i], v->valuestring) == 0) {
			*idx = i;
			return 0;
		}
	}
	join_names(&sb, names);
	fail(ld, "%s \"%s\" (expected one of: %s)", what,
	     show(v->valuestring).s, strbuf_str(&sb));
	strbuf_done(&sb);
	return -1;
}

static int
want_enum_string(struct ld *ld, const cJSON *v, const char *const *names,
		 char **out)
{
	int idx;

	if (want_enum(ld, v, "invalid value", names, &idx) < 0)
		return -1;
	*out = xstrdup(names[idx]);
	return 0;
}

static int
want_bool(struct ld *ld, const cJSON *v, int *out)
{
	if (!cJSON_IsBool(v))
		return fail(ld, "expected boolean, got %s", type_name(v));
	*out = cJSON_IsTrue(v);
	return 0;
}

static int
range_fail(struct ld *ld, double d, int min, int max)
{
	if (max == INT_MAX)
		return fail(ld, "expected integer >= %d, got %.15g", min, d);
	return fail(ld, "expected integer from %d to %d, got %.15g", min,
		    max, d);
}

static int
want_int(struct ld *ld, const cJSON *v, int min, int max, int *out)
{
	double d;

	if (!cJSON_IsNumber(v))
		return fail(ld, "expected integer, got %s", type_name(v));
	d = v->valuedouble;
	if (!(d >= (double)min && d <= (double)max))
		return range_fail(ld, d, min, max);
	if (d != (double)(long long)d)
		return fail(ld, "expected integer, got %.15g", d);
	*out = (int)d;
	return 0;
}

static int
want_duration(struct ld *ld, const cJSON *v, int64_t *out)
{
	int secs;

	if (cJSON_IsNumber(v)) {
		if (want_int(ld, v, 0, DURATION_MAX_S, &secs) < 0)
			return -1;
		*out = (int64_t)secs * 1000000;
		return 0;
	}
	if (!cJSON_IsString(v))
		return fail(ld, "expected duration (a string like 15m or "
			    "integer seconds), got %s", type_name(v));
	if (!is_duration(v->valuestring) ||
	    clock_parse_duration(v->valuestring, out) < 0)
		return fail(ld, "invalid duration \"%s\" (use e.g. 90s, 15m, "
			    "1h30m)", show(v->valuestring).s);
	return 0;
}

/* A string, or an array of strings joined with newlines. */
static int
want_output(struct ld *ld, const cJSON *v, char **out)
{
	struct strbuf sb = STRBUF_INIT;
	const cJSON *line;
	size_t i = 0;

	if (!cJSON_IsArray(v)) {
		if (cJSON_IsString(v))
			return want_string(ld, v, out);
		return fail(ld, "expected string or array of strings, got %s",
			    type_name(v));
	}
	cJSON_ArrayForEach(line, v) {
		if (!cJSON_IsString(line)) {
			size_t saved = path_index(ld, i);

			fail(ld, "expected string, got %s", type_name(line));
			path_pop(ld, saved);
			strbuf_done(&sb);
			return -1;
		}
		if (i++)
			strbuf_addc(&sb, '\n');
		strbuf_adds(&sb, line->valuestring);
	}
	*out = strbuf_detach(&sb);
	return 0;
}

static int
want_strings(struct ld *ld, const cJSON *v, int min, char ***out, size_t *n)
{
	const cJSON *item;
	size_t i = 0;
	int count;

	if (!cJSON_IsArray(v))
		return fail(ld, "expected array of strings, got %s",
			    type_name(v));
	count = cJSON_GetArraySize(v);
	if (count < min)
		return fail(ld, "expected a non-empty array");
	*out = xcalloc((size_t)count + 1, sizeof(**out));
	cJSON_ArrayForEach(item, v) {
		size_t saved = path_index(ld, i);
		int rc = want_string(ld, item, &(*out)[i]);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
		*n = ++i;
	}
	return 0;
}

/* Compile PATTERN once, as written. A WHOLE pattern keeps match
 * positions, for pattern_matches_whole; it used to be compiled a second
 * time wrapped in "^(...)$", which doubled what the bundled playbook's
 * patterns cost at start (glibc copies "{1,200}" 200 times) and gave a
 * lone ')' a group to close ("a)b" matched "ab)"). */
static int
compile_re(const char *pattern, int whole, regex_t *re, char *msg,
	   size_t size)
{
	int rc = regcomp(re, pattern, REG_EXTENDED |
			 (whole ? 0 : REG_NOSUB | REG_NEWLINE));

	if (rc == 0)
		return 0;
	regerror(rc, re, msg, size);
	return -1;
}

/* Is PATTERN one regcomp takes? Checked on a copy with its counts cut
 * (relimit_shrunk), which regcomp takes exactly when it takes PATTERN. */
static int
check_re(struct ld *ld, const char *pattern, int whole)
{
	char msg[256];
	struct err why = { 0 };
	char *shrunk;
	regex_t re;
	int rc;

	if (relimit_check(pattern, &why) < 0)
		return fail(ld, "regular expression refused: %s", why.msg);
	shrunk = relimit_shrunk(pattern);
	if (!shrunk)
		return fail(ld, "out of memory");
	rc = compile_re(shrunk, whole, &re, msg, sizeof(msg));
	free(shrunk);
	if (rc < 0)
		return fail(ld, "invalid regular expression: %s", msg);
	regfree(&re);
	return 0;
}

struct pb_lazy_re {
	pthread_mutex_t lock;	/* threads may match values too */
	int compiled;
	regex_t re;
};

/* A WHOLE pattern (a variable's) is only checked here, into a
 * pb_lazy_re at *RE, and compiled when first matched: the bundled
 * playbook's "{1,200}" patterns took most of a load. Any other is
 * compiled now into the regex_t at RE. *OUT is set only once the
 * pattern checked. */
static int
want_regex(struct ld *ld, const cJSON *v, int whole, char **out, void *re)
{
	char msg[256];

	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	if (check_re(ld, v->valuestring, whole) < 0)
		return -1;
	if (whole) {
		struct pb_lazy_re *lazy = xcalloc(1, sizeof(*lazy));

		pthread_mutex_init(&lazy->lock, NULL);
		*(struct pb_lazy_re **)re = lazy;
	} else if (compile_re(v->valuestring, 0, re, msg, sizeof(msg)) < 0)
		return fail(ld, "invalid regular expression: %s", msg);
	*out = xstrdup(v->valuestring);
	return 0;
}

static void
free_lazy_re(struct pb_lazy_re *lazy)
{
	if (!lazy)
		return;
	if (lazy->compiled)
		regfree(&lazy->re);
	pthread_mutex_destroy(&lazy->lock);
	free(lazy);
}

/* ---- objects ----------------------------------------------------------- */

static const struct field *
find_field(const struct field *fields, const char *key)
{
	for (; fields && fields->key; fields++)
		if (strcmp(fields->key, key) == 0)
			return fields;
	return NULL;
}

static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[PB_ID_MAX + 1];

	if (la > PB_ID_MAX || lb > PB_ID_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], up;

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* The allowed key closest to KEY, if it looks like a typo of it. */
static const char *
suggest_key(const char *key, const struct field *a, const struct field *b)
{
	const struct field *lists[2] = { a, b };
	const char *best = NULL;
	size_t best_d = 3;

	if (strlen(key) < 3)
		return NULL;
	for (int l = 0; l < 2; l++) {
		for (const struct field *f = lists[l]; f && f->key; f++) {
			size_t d = edit_distance(key, f->key);

			if (d < best_d) {
				best_d = d;
				best = f->key;
			}
		}
	}
	return best;
}

static int
unknown_key(struct ld *ld, const char *key, const struct field *a,
	    const struct field *b, const char *suffix)
{
	const char *hint = suggest_key(key, a, b);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "unknown key \"%s\"", show(key).s);
	if (suffix)
		strbuf_addf(&sb, " %s", suffix);
	if (hint)
		strbuf_addf(&sb, " (did you mean \"%s\"?)", hint);
	fail(ld, "%s", strbuf_str(&sb));
	strbuf_done(&sb);
	return -1;
}

static int
check_required(struct ld *ld, const cJSON *obj, const struct field *f)
{
	for (; f && f->key; f++)
		if (f->required && !cJSON_GetObjectItemCaseSensitive(obj, f->key))
			return fail(ld, "missing required key \"%s\"", f->key);
	return 0;
}

/* OBJ must be an object whose keys all appear in A or B, with every
 * required one present. */
static int
check_object(struct ld *ld, const cJSON *obj, const struct field *a,
	     const struct field *b)
{
	const cJSON *c;

	if (!cJSON_IsObject(obj))
		return fail(ld, "expected object, got %s", type_name(obj));
	for (c = obj->child; c; c = c->next)
		if (!find_field(a, c->string) && !find_field(b, c->string))
			return unknown_key(ld, c->string, a, b, NULL);
	if (check_required(ld, obj, a) < 0 || check_required(ld, obj, b) < 0)
		return -1;
	return 0;
}

static int
parse_field(struct ld *ld, const cJSON *v, const struct field *f,
	    void *base)
{
	char *p = base;

	switch (f->type) {
	case F_SKIP:
		return 0;
	case F_STRING:
		return want_string(ld, v, (char **)(p + f->off));
	case F_TEXT:
		return want_text(ld, v, (char **)(p + f->off));
	case F_ID:
		return want_id(ld, v, (char **)(p + f->off));
	case F_VAR:
		return want_var(ld, v, (char **)(p + f->off));
	case F_ENUM:
		return want_enum_string(ld, v, f->names, (char **)(p + f->off));
	case F_ENUM_ID:	/* the enums it fills are int-sized */
		return want_enum(ld, v, "invalid value", f->names,
				 (int *)(p + f->off));
	case F_OUTPUT:
		return want_output(ld, v, (char **)(p + f->off));
	case F_STRINGS:
		return want_strings(ld, v, f->min, (char ***)(p + f->off),
				    (size_t *)(p + f->off2));
	case F_REGEX:
		return want_regex(ld, v, f->whole, (char **)(p + f->off),
				  p + f->off2);
	case F_BOOL:
		return want_bool(ld, v, (int *)(p + f->off));
	case F_INT:
		return want_int(ld, v, f->min, f->max, (int *)(p + f->off));
	case F_DURATION:
		return want_duration(ld, v, (int64_t *)(p + f->off));
	case F_CUSTOM:
		return f->parse(ld, v, p + f->off);
	}
	BUG("unknown field type");
}

/* Read every key of FIELDS present in OBJ into BASE, in table order. */
static int
parse_fields(struct ld *ld, const cJSON *obj, const struct field *fields,
	     void *base)
{
	for (const struct field *f = fields; f->key; f++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
		size_t saved;
		int rc;

		if (!v)
			continue;
		saved = path_key(ld, f->key);
		rc = parse_field(ld, v, f, base);
		path_pop(ld, saved);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
want_object(struct ld *ld, const cJSON *v, const struct field *fields,
	    void *base)
{
	if (check_object(ld, v, fields, NULL) < 0)
		return -1;
	return parse_fields(ld, v, fields, base);
}

/* Allocate zeroed room for the elements of array V (at least MIN); the
 * count is set at once so a partly parsed array is freed whole. */
static void *
new_array(struct ld *ld, const cJSON *v, int min, size_t size, size_t *n)
{
	int count;

	if (!cJSON_IsArray(v)) {
		fail(ld, "expected array, got %s", type_name(v));
		return NULL;
	}
	count = cJSON_GetArraySize(v);
	if (count < min) {
		fail(ld, "expected a non-empty array");
		return NULL;
	}
	*n = (size_t)count;
	return xcalloc(count ? (size_t)count : 1, size);
}

static int
each_elem(struct ld *ld, const cJSON *v, void *arr, size_t size,
	  elem_cb parse)
{
	const cJSON *item;
	size_t i = 0;

	cJSON_ArrayForEach(item, v) {
		size_t saved = path_index(ld, i);
		int rc = parse(ld, item, (char *)arr + i * size);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
		i++;
	}
	return 0;
}

static const char *
name_at(const void *arr, size_t i, size_t size, size_t off)
{
	return *(char *const *)((const char *)arr + i * size + off);
}

/* The string at OFF (key KEY) must differ between all N elements. */
static int
check_unique(struct ld *ld, const void *arr, size_t n, size_t size,
	     size_t off, const char *key)
{
	for (size_t i = 1; i < n; i++) {
		const char *a = name_at(arr, i, size, off);
		size_t saved;
		char *first;

		for (size_t j = 0; a && j < i; j++) {
			if (!name_at(arr, j, size, off) ||
			    strcmp(a, name_at(arr, j, size, off)) != 0)
				continue;
			first = xasprintf("%s[%zu]", ld->path, j);
			saved = path_index(ld, i);
			fail_key(ld, key, "duplicate %s \"%s\" (first at %s)",
				 key, show(a).s, first);
			path_pop(ld, saved);
			free(first);
			return -1;
		}
	}
	return 0;
}

/* The enum at required KEY of OBJ, read before the rest of OBJ because
 * it decides which other keys are allowed. */
static int
want_enum_key(struct ld *ld, const cJSON *obj, const char *key,
	      const char *what, const char *const *names, int *idx)
{
	const cJSON *v;
	size_t saved;
	int rc;

	if (!cJSON_IsObject(obj))
		return fail(ld, "expected object, got %s", type_name(obj));
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!v)
		return fail(ld, "missing required key \"%s\"", key);
	saved = path_key(ld, key);
	rc = want_enum(ld, v, what, names, idx);
	path_pop(ld, saved);
	return rc;
}

static int
want_map(struct ld *ld, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return fail(ld, "expected object, got %s", type_name(v));
	return 0;
}

/* ---- variables and conditions ------------------------------------------ */

static const struct field variable_fields[] = {
	{ .key = "prompt", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_variable, prompt) },
	{ .key = "default", .type = F_STRING,
	  .off = offsetof(struct pb_variable, default_value) },
	{ .key = "pattern", .type = F_REGEX, .whole = 1,
	  .off = offsetof(struct pb_variable, pattern),
	  .off2 = offsetof(struct pb_variable, re) },
	{ .key = "from", .type = F_ENUM, .names = from_names,
	  .off = offsetof(struct pb_variable, from) },
	{ .key = "secret", .type = F_BOOL,
	  .off = offsetof(struct pb_variable, secret) },
	{ .key = "time_of", .type = F_STRINGS, .min = 1,
	  .off = offsetof(struct pb_variable, time_of),
	  .off2 = offsetof(struct pb_variable, n_time_of) },
	{ .key = NULL },
};

/* Does RE (compiled WHOLE) match all of VALUE? POSIX matching takes the
 * leftmost match and, from there, the longest, so a match that spans
 * the whole value is found whenever there is one. */
static int
pattern_matches_whole(const regex_t *re, const char *value)
{
	regmatch_t m[1];

	return regexec(re, value, 1, m, 0) == 0 && m[0].rm_so == 0 &&
	       (size_t)m[0].rm_eo == strlen(value);
}

/* VAR's pattern, compiled on first use (it was checked at load). */
static const regex_t *
var_re(const struct pb_variable *var)
{
	struct pb_lazy_re *lazy = var->re;
	char msg[256];

	pthread_mutex_lock(&lazy->lock);
	if (!lazy->compiled &&
	    compile_re(var->pattern, 1, &lazy->re, msg, sizeof(msg)) < 0)
		BUG("a pattern checked at load does not compile");
	lazy->compiled = 1;
	pthread_mutex_unlock(&lazy->lock);
	return &lazy->re;
}

static int
var_matches(const struct pb_variable *var, const char *value)
{
	return !var->pattern || pattern_matches_whole(var_re(var), value);
}

/* Message text for VALUE of VAR: never a secret's value. */
static struct shown
show_value(const struct pb_variable *var, const char *value)
{
	return var->secret ? show("(secret)") : show(value);
}

static int
parse_variable(struct ld *ld, const cJSON *v, struct pb_variable *var)
{
	if (!is_var_name(v->string))
		return fail(ld, "invalid variable name \"%s\" (1 to 64 of A-Z, "
			    "0-9, '_', starting with a letter, e.g. "
			    "ROLLBACK_VERSION)", show(v->string).s);
	var->name = xstrdup(v->string);
	if (want_object(ld, v, variable_fields, var) < 0)
		return -1;
	if (var->default_value && !var_matches(var, var->default_value))
		return fail_key(ld, "default", "default \"%s\" does not match "
				"pattern \"%s\"",
				show_value(var, var->default_value).s,
				show_pattern(var->pattern).s);
	return 0;
}

static int
parse_variables(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;
	const cJSON *c;
	size_t i = 0;

	if (want_map(ld, v) < 0)
		return -1;
	pb->n_variables = (size_t)cJSON_GetArraySize(v);
	pb->variables = xcalloc(pb->n_variables + 1, sizeof(*pb->variables));
	for (c = v->child; c; c = c->next, i++) {
		size_t saved = path_key(ld, c->string);
		int rc = parse_variable(ld, c, &pb->variables[i]);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
parse_cond(struct ld *ld, const cJSON *v, struct pb_cond *cond)
{
	if (!playbook_find_var(ld->pb, v->string))
		return fail(ld, "unknown variable \"%s\" (declare it under "
			    "variables)", show(v->string).s);
	cond->var = xstrdup(v->string);
	if (cJSON_IsString(v)) {
		cond->values = xcalloc(2, sizeof(*cond->values));
		cond->values[0] = xstrdup(v->valuestring);
		cond->n_values = 1;
		return 0;
	}
	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
		return fail(ld, "expected string or non-empty array of "
			    "strings, got %s", cJSON_IsArray(v) ?
			    "an empty array" : type_name(v));
	return want_strings(ld, v, 1, &cond->values, &cond->n_values);
}

static int
parse_when(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_when *when = base;
	const cJSON *c;
	size_t i = 0;

	if (want_map(ld, v) < 0)
		return -1;
	when->n_conds = (size_t)cJSON_GetArraySize(v);
	when->conds = xcalloc(when->n_conds + 1, sizeof(*when->conds));
	for (c = v->child; c; c = c->next, i++) {
		size_t saved = path_key(ld, c->string);
		int rc = parse_cond(ld, c, &when->conds[i]);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A map of declared variables to values that match their patterns. */
static int
want_var_values(struct ld *ld, const cJSON *v, struct pb_kv **out,
		size_t *n)
{
	const struct pb_variable *var;
	const cJSON *c;

	if (want_map(ld, v) < 0)
		return -1;
	*out = xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(**out));
	for (c = v->child; c; c = c->next) {
		var = playbook_find_var(ld->pb, c->string);
		if (!var)
			return fail_key(ld, c->string, "unknown variable \"%s\" "
					"(declare it under variables)",
					show(c->string).s);
		if (!cJSON_IsString(c))
			return fail_key(ld, c->string, "expected string, got %s",
					type_name(c));
		if (!var_matches(var, c->valuestring))
			return fail_key(ld, c->string, "value \"%s\" does not "
					"match pattern \"%s\" of variable %s",
					show_value(var, c->valuestring).s,
					show_pattern(var->pattern).s, var->name);
		(*out)[*n].name = xstrdup(c->string);
		(*out)[(*n)++].value = xstrdup(c->valuestring);
	}
	return 0;
}

/* ---- targets and recovery-time targets ---------------------------------- */

_Static_assert(sizeof(enum reg_type) == sizeof(int), "F_ENUM_ID fills an int");
_Static_assert(sizeof(enum webhook_style) == sizeof(int),
	       "F_ENUM_ID fills an int");

static const struct field registry_fields[] = {
	{ .key = "type", .type = F_ENUM_ID, .required = 1,
	  .names = reg_type_names, .off = offsetof(struct pb_registry, type) },
	{ .key = "name", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_registry, name) },
	{ .key = "channels", .type = F_STRINGS,
	  .off = offsetof(struct pb_registry, channels),
	  .off2 = offsetof(struct pb_registry, n_channels) },
	{ .key = "url", .type = F_STRING,
	  .off = offsetof(struct pb_registry, url) },
	{ .key = NULL },
};

static const struct field log_pattern_fields[] = {
	{ .key = "name", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_log_pattern, name) },
	{ .key = "regex", .type = F_REGEX, .required = 1,
	  .off = offsetof(struct pb_log_pattern, regex),
	  .off2 = offsetof(struct pb_log_pattern, re) },
	{ .key = "threshold", .type = F_INT, .min = 1, .max = INT_MAX,
	  .off = offsetof(struct pb_log_pattern, threshold) },
	{ .key = "window", .type = F_DURATION,
	  .off = offsetof(struct pb_log_pattern, window_us) },
	{ .key = NULL },
};

static const struct field http_fields[] = {
	{ .key = "name", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_http, name) },
	{ .key = "url", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_http, url) },
	{ .key = "status", .type = F_INT, .min = 100, .max = 599,
	  .off = offsetof(struct pb_http, status) },
	{ .key = NULL },
};

static int
parse_registry(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, registry_fields, elem);
}

static int
parse_log_pattern(struct ld *ld, const cJSON *v, void *elem)
{
	struct pb_log_pattern *lp = elem;

	lp->threshold = 1;
	return want_object(ld, v, log_pattern_fields, lp);
}

static int
parse_http(struct ld *ld, const cJSON *v, void *elem)
{
	struct pb_http *h = elem;

	h->status = 200;
	return want_object(ld, v, http_fields, h);
}

static int
parse_registries(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_targets *t = base;

	t->registries = new_array(ld, v, 0, sizeof(*t->registries),
				  &t->n_registries);
	if (!t->registries ||
	    each_elem(ld, v, t->registries, sizeof(*t->registries),
		      parse_registry) < 0)
		return -1;
	return check_unique(ld, t->registries, t->n_registries,
			    sizeof(*t->registries),
			    offsetof(struct pb_registry, name), "name");
}

static int
parse_log_patterns(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_log *log = base;

	log->patterns = new_array(ld, v, 0, sizeof(*log->patterns),
				  &log->n_patterns);
	if (!log->patterns ||
	    each_elem(ld, v, log->patterns, sizeof(*log->patterns),
		      parse_log_pattern) < 0)
		return -1;
	return check_unique(ld, log->patterns, log->n_patterns,
			    sizeof(*log->patterns),
			    offsetof(struct pb_log_pattern, name), "name");
}

static const struct field log_fields[] = {
	{ .key = "name", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_log, name) },
	{ .key = "path", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_log, path) },
	{ .key = "patterns", .type = F_CUSTOM, .parse = parse_log_patterns },
	{ .key = NULL },
};

static int
parse_log(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, log_fields, elem);
}

static int
parse_logs(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_targets *t = base;

	t->logs = new_array(ld, v, 0, sizeof(*t->logs), &t->n_logs);
	if (!t->logs ||
	    each_elem(ld, v, t->logs, sizeof(*t->logs), parse_log) < 0)
		return -1;
	return check_unique(ld, t->logs, t->n_logs, sizeof(*t->logs),
			    offsetof(struct pb_log, name), "name");
}

static int
parse_http_targets(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_targets *t = base;

	t->http = new_array(ld, v, 0, sizeof(*t->http), &t->n_http);
	if (!t->http ||
	    each_elem(ld, v, t->http, sizeof(*t->http), parse_http) < 0)
		return -1;
	return check_unique(ld, t->http, t->n_http, sizeof(*t->http),
			    offsetof(struct pb_http, name), "name");
}

static const struct field git_fields[] = {
	{ .key = "path", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_targets, git_path) },
	{ .key = NULL },
};

static int
parse_git(struct ld *ld, const cJSON *v, void *base)
{
	return want_object(ld, v, git_fields, base);
}

static const struct field targets_fields[] = {
	{ .key = "git", .type = F_CUSTOM, .parse = parse_git },
	{ .key = "registry", .type = F_CUSTOM, .parse = parse_registries },
	{ .key = "logs", .type = F_CUSTOM, .parse = parse_logs },
	{ .key = "http", .type = F_CUSTOM, .parse = parse_http_targets },
	{ .key = "share", .type = F_STRING,
	  .off = offsetof(struct pb_targets, share) },
	{ .key = "share_signers", .type = F_STRING,
	  .off = offsetof(struct pb_targets, share_signers) },
	{ .key = NULL },
};

static const struct field rto_rule_fields[] = {
	{ .key = "when", .type = F_CUSTOM, .parse = parse_when,
	  .off = offsetof(struct pb_rto_rule, when) },
	{ .key = "within", .type = F_DURATION, .required = 1,
	  .off = offsetof(struct pb_rto_rule, within_us) },
	{ .key = "label", .type = F_STRING,
	  .off = offsetof(struct pb_rto_rule, label) },
	{ .key = NULL },
};

static const struct field review_fields[] = {
	{ .key = "line", .type = F_INT, .min = 0, .max = 100000000,
	  .off = offsetof(struct pb_review, line) },
	{ .key = "step", .type = F_ID,
	  .off = offsetof(struct pb_review, step) },
	{ .key = "text", .type = F_TEXT, .required = 1,
	  .off = offsetof(struct pb_review, text) },
	{ .key = NULL },
};

static int
parse_review_point(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, review_fields, elem);
}

/* "review": what an imported draft's author must look at. */
static int
parse_review(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;

	pb->review = new_array(ld, v, 0, sizeof(*pb->review), &pb->n_review);
	if (!pb->review)
		return -1;
	return each_elem(ld, v, pb->review, sizeof(*pb->review),
			 parse_review_point);
}

static const struct field escalation_fields[] = {
	{ .key = "after", .type = F_DURATION, .required = 1,
	  .off = offsetof(struct pb_escalation, after_us) },
	{ .key = "notify", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_escalation, notify) },
	{ .key = NULL },
};

static const struct field rto_phase_fields[] = {
	{ .key = "assess", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, phase_us[PHASE_ASSESS]) },
	{ .key = "decide", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, phase_us[PHASE_DECIDE]) },
	{ .key = "approve", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, phase_us[PHASE_APPROVE]) },
	{ .key = "execute", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, phase_us[PHASE_EXECUTE]) },
	{ .key = "verify", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, phase_us[PHASE_VERIFY]) },
	{ .key = "communicate", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, phase_us[PHASE_COMMUNICATE]) },
	{ .key = NULL },
};

static int
parse_rto_rule(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, rto_rule_fields, elem);
}

static int
parse_escalation(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, escalation_fields, elem);
}

static int
parse_rto_rules(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_rto *rto = base;

	rto->rules = new_array(ld, v, 0, sizeof(*rto->rules), &rto->n_rules);
	if (!rto->rules)
		return -1;
	return each_elem(ld, v, rto->rules, sizeof(*rto->rules),
			 parse_rto_rule);
}

static int
parse_rto_phases(struct ld *ld, const cJSON *v, void *base)
{
	return want_object(ld, v, rto_phase_fields, base);
}

static int
parse_escalations(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_rto *rto = base;

	rto->escalations = new_array(ld, v, 0, sizeof(*rto->escalations),
				     &rto->n_escalations);
	if (!rto->escalations)
		return -1;
	return each_elem(ld, v, rto->escalations, sizeof(*rto->escalations),
			 parse_escalation);
}

static const struct field rto_fields[] = {
	{ .key = "default", .type = F_DURATION,
	  .off = offsetof(struct pb_rto, default_us) },
	{ .key = "rules", .type = F_CUSTOM, .parse = parse_rto_rules },
	{ .key = "phases", .type = F_CUSTOM, .parse = parse_rto_phases },
	{ .key = "escalations", .type = F_CUSTOM, .parse = parse_escalations },
	{ .key = NULL },
};

/* ---- steps ------------------------------------------------------------- */

static int parse_state_patch(struct ld *ld, const cJSON *v, void *base);

static const struct field drill_registry_fields[] = {
	{ .key = "package", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_drill, registry) },
	{ .key = "yanked", .type = F_STRING,
	  .off = offsetof(struct pb_drill, yanked) },
	{ .key = "resolves_not", .type = F_STRING,
	  .off = offsetof(struct pb_drill, resolves_not) },
	{ .key = NULL },
};

/* drill.registry: the package and exactly one of yanked and resolves_not
 * (BASE is the drill block). */
static int
parse_drill_registry(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_drill *drill = base;

	if (want_object(ld, v, drill_registry_fields, drill) < 0)
		return -1;
	if (!drill->yanked == !drill->resolves_not)
		return fail_key(ld, "registry", "needs exactly one of yanked "
				"(the version that must be yanked) and "
				"resolves_not (the version an unpinned install "
				"must no longer resolve)");
	return 0;
}

static const struct field drill_fields[] = {
	{ .key = "state", .type = F_CUSTOM, .parse = parse_state_patch,
	  .off = offsetof(struct pb_drill, state_json) },
	{ .key = "output", .type = F_OUTPUT,
	  .off = offsetof(struct pb_drill, output) },
	{ .key = "exit", .type = F_INT, .min = 0, .max = 255,
	  .off = offsetof(struct pb_drill, exit_code) },
	{ .key = "duration", .type = F_DURATION,
	  .off = offsetof(struct pb_drill, duration_us) },
	{ .key = "real_in_clone", .type = F_BOOL,
	  .off = offsetof(struct pb_drill, real_in_clone) },
	{ .key = "watch", .type = F_STRING,
	  .off = offsetof(struct pb_drill, watch) },
	{ .key = "log", .type = F_STRING,
	  .off = offsetof(struct pb_drill, log) },
	{ .key = "endpoint", .type = F_STRING,
	  .off = offsetof(struct pb_drill, endpoint) },
	{ .key = "fails_on", .type = F_REGEX,
	  .off = offsetof(struct pb_drill, fails_on),
	  .off2 = offsetof(struct pb_drill, fails_re) },
	{ .key = "registry", .type = F_CUSTOM, .parse = parse_drill_registry },
	{ .key = NULL },
};

/* A check's evidence in the world's logs or endpoints: fails_on with
 * one of log and endpoint, or none of them, on a check step only. */
static int
check_drill_log(struct ld *ld, const struct pb_drill *drill)
{
	const char *src = drill->log ? "log" : "endpoint";

	if (drill->registry && ld->step->kind != STEP_KIND_CHECK)
		return fail_key(ld, "registry", "only a check step reads its "
				"evidence from the world's registry");
	if (drill->registry && (drill->log || drill->endpoint ||
				drill->fails_on))
		return fail_key(ld, "registry", "a check reads one of log, "
				"endpoint and registry (a registry check needs "
				"no fails_on)");
	if (!drill->log && !drill->endpoint && !drill->fails_on)
		return 0;
	if (ld->step->kind != STEP_KIND_CHECK)
		return fail_key(ld, drill->fails_on && !drill->log &&
				!drill->endpoint ? "fails_on" : src, "only a "
				"check step reads its evidence from the "
				"world's logs and endpoints");
	if (drill->log && drill->endpoint)
		return fail_key(ld, "endpoint", "a check reads one of log "
				"and endpoint, not both");
	if (!drill->log && !drill->endpoint)
		return fail_key(ld, "fails_on", "needs log or endpoint (the "
				"world's log whose lines, or the endpoint "
				"whose answer, it is matched against)");
	if (!drill->fails_on)
		return fail_key(ld, src, "needs fails_on (the pattern of a "
				"line, or of an answer \"STATUS BODY\", that "
				"contradicts the check, such as \"ERROR\" or "
				"\"^5\")");
	return 0;
}

static int
parse_drill(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_drill *drill = base;
	char why[256];

	drill->present = 1;
	if (want_object(ld, v, drill_fields, drill) < 0)
		return -1;
	if (drill->watch && ld->step->kind != STEP_KIND_WAIT &&
	    ld->step->kind != STEP_KIND_RUN)
		return fail_key(ld, "watch", "only a wait or run step watches");
	if (check_drill_log(ld, drill) < 0)
		return -1;
	if (!drill->real_in_clone)
		return 0;
	if (ld->step->kind != STEP_KIND_RUN)
		return fail_key(ld, "real_in_clone", "only a run step can run "
				"in the drill's clone");
	if (!clone_command_is_read_only(ld->step->run, why, sizeof(why)))
		return fail_key(ld, "real_in_clone", "the command is not "
				"read-only: %s", why);
	return 0;
}

static const struct field expect_fields[] = {
	{ .key = "exit", .type = F_INT, .min = 0, .max = 255,
	  .off = offsetof(struct pb_step, expect_exit) },
	{ .key = "output", .type = F_REGEX,
	  .off = offsetof(struct pb_step, expect_output),
	  .off2 = offsetof(struct pb_step, expect_re) },
	{ .key = NULL },
};

static int
parse_expect(struct ld *ld, const cJSON *v, void *base)
{
	return want_object(ld, v, expect_fields, base);
}

static const struct field probe_common_fields[] = {
	{ .key = "type", .type = F_SKIP, .required = 1 },
	{ .key = NULL },
};

static const struct field probe_git_fields[] = {
	{ .key = "tag", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_probe, tag) },
	{ .key = NULL },
};

static const struct field probe_registry_fields[] = {
	{ .key = "package", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_probe, package) },
	{ .key = "tag", .type = F_STRING,
	  .off = offsetof(struct pb_probe, dist_tag) },
	{ .key = "version", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_probe, version) },
	{ .key = "withdrawn", .type = F_BOOL,
	  .off = offsetof(struct pb_probe, withdrawn) },
	{ .key = NULL },
};

static const struct field probe_http_fields[] = {
	{ .key = "url", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_probe, url) },
	{ .key = "status", .type = F_INT, .min = 100, .max = 599,
	  .off = offsetof(struct pb_probe, status) },
	{ .key = "json_field", .type = F_STRING,
	  .off = offsetof(struct pb_probe, json_field) },
	{ .key = "equals", .type = F_STRING,
	  .off = offsetof(struct pb_probe, equals) },
	{ .key = NULL },
};

static const struct field probe_log_fields[] = {
	{ .key = "log", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_probe, log) },
	{ .key = "pattern", .type = F_REGEX, .required = 1,
	  .off = offsetof(struct pb_probe, pattern),
	  .off2 = offsetof(struct pb_probe, re) },
	{ .key = "below", .type = F_INT, .required = 1, .min = 1,
	  .max = INT_MAX, .off = offsetof(struct pb_probe, below) },
	{ .key = "window", .type = F_DURATION,
	  .off = offsetof(struct pb_probe, window_us) },
	{ .key = NULL },
};

static const struct field *const probe_fields[PROBE_TYPE_COUNT] = {
	probe_git_fields, probe_registry_fields, probe_http_fields,
	probe_log_fields,
};

/* OBJ's keys against COMMON plus the variant table TABLES[WHICH] (steps
 * by kind, probes by type); a key that belongs to other variants gets a
 * message naming them, e.g. unknown key "options" (only for kind decide). */
static int
check_variant_keys(struct ld *ld, const cJSON *obj,
		   const struct field *common,
		   const struct field *const *tables,
		   const char *const *names, int which, const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	const cJSON *c;

	for (c = obj->child; c; c = c->next) {
		if (find_field(common, c->string) ||
		    find_field(tables[which], c->string))
			continue;
		for (int k = 0; names[k]; k++) {
			if (!find_field(tables[k], c->string))
				continue;
			if (!sb.len)
				strbuf_addf(&sb, "(only for %s ", label);
			else
				strbuf_adds(&sb, ", ");
			strbuf_adds(&sb, names[k]);
		}
		if (sb.len) {
			strbuf_addc(&sb, ')');
			unknown_key(ld, c->string, NULL, NULL, strbuf_str(&sb));
			strbuf_done(&sb);
			return -1;
		}
	}
	return check_object(ld, obj, common, tables[which]);
}

/* Names a probe refers to must be declared under targets. */
static int
check_probe_refs(struct ld *ld, const struct pb_probe *probe)
{
	const struct pb_targets *t = &ld->pb->targets;
	size_t i;

	if (probe->type == PROBE_REGISTRY_TAG) {
		for (i = 0; i < t->n_registries; i++)
			if (strcmp(t->registries[i].name, probe->package) == 0)
				return 0;
		return fail_key(ld, "package", "unknown package \"%s\" "
				"(declare it under targets.registry)",
				show(probe->package).s);
	}
	if (probe->type == PROBE_LOG_COUNT) {
		for (i = 0; i < t->n_logs; i++)
			if (strcmp(t->logs[i].name, probe->log) == 0)
				return 0;
		return fail_key(ld, "log", "unknown log \"%s\" (declare it "
				"under targets.logs)", show(probe->log).s);
	}
	if (probe->equals && !probe->json_field)
		return fail(ld, "key \"equals\" needs \"json_field\"");
	return 0;
}

static int
parse_probe(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_step *step = base;
	struct pb_probe *probe = &step->probe;
	int idx;

	if (want_enum_key(ld, v, "type", "unknown probe type", probe_names,
			  &idx) < 0)
		return -1;
	probe->type = (enum probe_type)idx;
	probe->status = 200;
	if (check_variant_keys(ld, v, probe_common_fields, probe_fields,
			       probe_names, idx, "type") < 0 ||
	    parse_fields(ld, v, probe_fields[idx], probe) < 0)
		return -1;
	if (probe->type == PROBE_REGISTRY_TAG && !probe->dist_tag)
		probe->dist_tag = xstrdup("latest");
	return check_probe_refs(ld, probe);
}

static int
parse_sets(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_option *opt = base;

	return want_var_values(ld, v, &opt->sets, &opt->n_sets);
}

static const struct field option_fields[] = {
	{ .key = "id", .type = F_ID, .required = 1,
	  .off = offsetof(struct pb_option, id) },
	{ .key = "label", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_option, label) },
	{ .key = "description", .type = F_STRING,
	  .off = offsetof(struct pb_option, description) },
	{ .key = "recommended", .type = F_BOOL,
	  .off = offsetof(struct pb_option, recommended) },
	{ .key = "sets", .type = F_CUSTOM, .parse = parse_sets },
	{ .key = NULL },
};

static int
parse_option(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, option_fields, elem);
}

/* At most one of a step's N options OPTS is the one recommended. */
static int
one_recommended(struct ld *ld, const struct pb_option *opts, size_t n)
{
	size_t first = n;

	for (size_t i = 0; i < n; i++) {
		size_t saved;
		char *at;

		if (!opts[i].recommended)
			continue;
		if (first == n) {
			first = i;
			continue;
		}
		at = xasprintf("%s[%zu]", ld->path, first);
		saved = path_index(ld, i);
		fail_key(ld, "recommended", "a second recommended option "
			 "(the first is at %s)", at);
		path_pop(ld, saved);
		free(at);
		return -1;
	}
	return 0;
}

static int
parse_options(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_step *step = base;

	step->options = new_array(ld, v, 1, sizeof(*step->options),
				  &step->n_options);
	if (!step->options ||
	    each_elem(ld, v, step->options, sizeof(*step->options),
		      parse_option) < 0)
		return -1;
	if (check_unique(ld, step->options, step->n_options,
			 sizeof(*step->options),
			 offsetof(struct pb_option, id), "id") < 0)
		return -1;
	return one_recommended(ld, step->options, step->n_options);
}

/* One axis of a decision matrix, moved into struct pb_matrix once read. */
struct axis {
	char *variable;
	char **values;
	size_t n_values;
};

static const struct field axis_fields[] = {
	{ .key = "variable", .type = F_VAR, .required = 1,
	  .off = offsetof(struct axis, variable) },
	{ .key = "values", .type = F_STRINGS, .required = 1, .min = 1,
	  .off = offsetof(struct axis, values),
	  .off2 = offsetof(struct axis, n_values) },
	{ .key = NULL },
};

static int
want_axis(struct ld *ld, const cJSON *v, struct axis *axis)
{
	size_t saved;

	if (want_object(ld, v, axis_fields, axis) < 0)
		return -1;
	for (size_t i = 1; i < axis->n_values; i++) {
		for (size_t j = 0; j < i; j++) {
			if (strcmp(axis->values[i], axis->values[j]) != 0)
				continue;
			saved = path_key(ld, "values");
			path_index(ld, i);
			fail(ld, "duplicate value \"%s\"",
			     show(axis->values[i]).s);
			path_pop(ld, saved);
			return -1;
		}
	}
	return 0;
}

static int
parse_rows(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_matrix *m = base;
	struct axis axis = { NULL, NULL, 0 };
	int rc = want_axis(ld, v, &axis);

	m->row_var = axis.variable;
	m->rows = axis.values;
	m->n_rows = axis.n_values;
	return rc;
}

static int
parse_cols(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_matrix *m = base;
	struct axis axis = { NULL, NULL, 0 };
	int rc = want_axis(ld, v, &axis);

	m->col_var = axis.variable;
	m->cols = axis.values;
	m->n_cols = axis.n_values;
	return rc;
}

static void
join_options(struct strbuf *sb, const struct pb_step *step)
{
	for (size_t i = 0; i < step->n_options; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		strbuf_adds(sb, step->options[i].id);
	}
}

/* V must name an option of STEP; the message lists the options. */
static int
want_option_of(struct ld *ld, const cJSON *v, const struct pb_step *step,
	       char **out)
{
	struct strbuf sb = STRBUF_INIT;

	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	if (playbook_find_option(step, v->valuestring))
		return want_string(ld, v, out);
	join_options(&sb, step);
	fail(ld, "unknown option \"%s\" of step \"%s\" (options: %s)",
	     show(v->valuestring).s, step->id, strbuf_str(&sb));
	strbuf_done(&sb);
	return -1;
}

static int
parse_cell_row(struct ld *ld, const cJSON *row, size_t n_cols, char **cells)
{
	const cJSON *cell;
	size_t c = 0;

	if (!cJSON_IsArray(row))
		return fail(ld, "expected array, got %s", type_name(row));
	if ((size_t)cJSON_GetArraySize(row) != n_cols)
		return fail(ld, "expected %zu cell%s (one per matrix.cols "
			    "value, or 1 without cols), got %d", n_cols,
			    n_cols == 1 ? "" : "s", cJSON_GetArraySize(row));
	cJSON_ArrayForEach(cell, row) {
		size_t saved = path_index(ld, c);
		int rc = want_option_of(ld, cell, ld->step, &cells[c]);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
		c++;
	}
	return 0;
}

static int
parse_cells(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_matrix *m = base;
	size_t n_cols = m->col_var ? m->n_cols : 1;
	const cJSON *row;
	size_t r = 0;

	if (!cJSON_IsArray(v))
		return fail(ld, "expected array, got %s", type_name(v));
	if ((size_t)cJSON_GetArraySize(v) != m->n_rows)
		return fail(ld, "expected %zu rows of cells (one per "
			    "matrix.rows value), got %d", m->n_rows,
			    cJSON_GetArraySize(v));
	m->cells = xcalloc(m->n_rows * n_cols + 1, sizeof(*m->cells));
	cJSON_ArrayForEach(row, v) {
		size_t saved = path_index(ld, r);
		int rc = parse_cell_row(ld, row, n_cols, m->cells + r * n_cols);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
		r++;
	}
	return 0;
}

static const struct field matrix_fields[] = {
	{ .key = "rows", .type = F_CUSTOM, .required = 1, .parse = parse_rows },
	{ .key = "cols", .type = F_CUSTOM, .parse = parse_cols },
	{ .key = "cells", .type = F_CUSTOM, .required = 1,
	  .parse = parse_cells },
	{ .key = NULL },
};

static int
parse_matrix(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_step *step = base;

	step->matrix = xcalloc(1, sizeof(*step->matrix));
	return want_object(ld, v, matrix_fields, step->matrix);
}

static const struct field role_fields[] = {
	{ .key = "role", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_role, role) },
	{ .key = "count", .type = F_INT, .min = 1, .max = INT_MAX,
	  .off = offsetof(struct pb_role, count) },
	{ .key = NULL },
};

static int
parse_role(struct ld *ld, const cJSON *v, void *elem)
{
	struct pb_role *role = elem;

	role->count = 1;
	return want_object(ld, v, role_fields, role);
}

static int
parse_roles(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_step *step = base;

	step->roles = new_array(ld, v, 1, sizeof(*step->roles),
				&step->n_roles);
	if (!step->roles)
		return -1;
	return each_elem(ld, v, step->roles, sizeof(*step->roles),
			 parse_role);
}

#define STEP_DRILL { .key = "drill", .type = F_CUSTOM, .parse = parse_drill, \
		     .off = offsetof(struct pb_step, drill) }

static const struct field step_fields[] = {
	{ .key = "id", .type = F_ID, .required = 1,
	  .off = offsetof(struct pb_step, id) },
	{ .key = "kind", .type = F_SKIP, .required = 1 },
	{ .key = "title", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_step, title) },
	{ .key = "note", .type = F_STRING,
	  .off = offsetof(struct pb_step, note) },
	{ .key = "when", .type = F_CUSTOM, .parse = parse_when,
	  .off = offsetof(struct pb_step, when) },
	{ .key = "required", .type = F_BOOL,
	  .off = offsetof(struct pb_step, required) },
	{ .key = NULL },
};

static const struct field check_fields[] = {
	{ .key = "follow_up", .type = F_BOOL,
	  .off = offsetof(struct pb_step, follow_up) },
	STEP_DRILL,
	{ .key = NULL },
};

static const struct field run_fields[] = {
	{ .key = "run", .type = F_TEXT, .required = 1,
	  .off = offsetof(struct pb_step, run) },
	{ .key = "cwd", .type = F_STRING,
	  .off = offsetof(struct pb_step, cwd) },
	{ .key = "timeout", .type = F_DURATION,
	  .off = offsetof(struct pb_step, timeout_us) },
	{ .key = "expect", .type = F_CUSTOM, .parse = parse_expect },
	{ .key = "destructive", .type = F_BOOL,
	  .off = offsetof(struct pb_step, destructive) },
	{ .key = "confirm", .type = F_STRING,
	  .off = offsetof(struct pb_step, confirm) },
	{ .key = "interactive", .type = F_BOOL,
	  .off = offsetof(struct pb_step, interactive) },
	{ .key = "parallel", .type = F_BOOL,
	  .off = offsetof(struct pb_step, parallel) },
	{ .key = "predict", .type = F_BOOL,
	  .off = offsetof(struct pb_step, predict) },
	STEP_DRILL,
	{ .key = NULL },
};

static const struct field probe_step_fields[] = {
	{ .key = "probe", .type = F_CUSTOM, .required = 1,
	  .parse = parse_probe },
	STEP_DRILL,
	{ .key = NULL },
};

static const struct field decide_fields[] = {
	{ .key = "options", .type = F_CUSTOM, .required = 1,
	  .parse = parse_options },
	{ .key = "variable", .type = F_VAR,
	  .off = offsetof(struct pb_step, variable) },
	{ .key = "matrix", .type = F_CUSTOM, .parse = parse_matrix },
	{ .key = NULL },
};

static const struct field approve_fields[] = {
	{ .key = "roles", .type = F_CUSTOM, .required = 1,
	  .parse = parse_roles },
	{ .key = "gates", .type = F_STRINGS, .min = 1,
	  .off = offsetof(struct pb_step, gates),
	  .off2 = offsetof(struct pb_step, n_gates) },
	{ .key = NULL },
};

static const struct field input_fields[] = {
	{ .key = "variable", .type = F_VAR, .required = 1,
	  .off = offsetof(struct pb_step, variable) },
	{ .key = NULL },
};

static const struct field message_fields[] = {
	{ .key = "template", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_step, template) },
	{ .key = "channel", .type = F_ENUM_ID, .names = msg_channel_names,
	  .off = offsetof(struct pb_step, channel) },
	{ .key = "path", .type = F_STRING,
	  .off = offsetof(struct pb_step, path) },
	{ .key = "folder", .type = F_TEXT,
	  .off = offsetof(struct pb_step, folder) },
	{ .key = "url", .type = F_TEXT,
	  .off = offsetof(struct pb_step, url) },
	{ .key = "url_env", .type = F_TEXT,
	  .off = offsetof(struct pb_step, url_env) },
	{ .key = "style", .type = F_ENUM_ID, .names = webhook_style_names,
	  .off = offsetof(struct pb_step, style) },
	{ .key = "command", .type = F_TEXT,
	  .off = offsetof(struct pb_step, command) },
	{ .key = "timeout", .type = F_DURATION,
	  .off = offsetof(struct pb_step, send_timeout_us) },
	STEP_DRILL,
	{ .key = NULL },
};

static int
is_env_name(const char *s)
{
	if (!*s || (!isalpha((unsigned char)*s) && *s != '_'))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

/* A relative folder that stays inside the repository. */
static int
is_inner_folder(const char *s)
{
	if (s[0] == '/')
		return 0;
	for (const char *p = s; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == s || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return 0;
	return 1;
}

/* What a channel needs besides the template (the schema says the same). */
static int
check_message(struct ld *ld, const struct pb_step *step)
{
	if (step->url_env && !is_env_name(step->url_env))
		return fail_key(ld, "url_env", "expected an environment "
				"variable name, got \"%s\"",
				show(step->url_env).s);
	if (step->folder && !is_inner_folder(step->folder))
		return fail_key(ld, "folder", "expected a relative folder "
				"inside the repository, got \"%s\"",
				show(step->folder).s);
	if (step->channel == CHANNEL_WEBHOOK && !step->url &&
	    !step->url_env)
		return fail(ld, "a webhook message needs \"url_env\" (or "
			    "\"url\")");
	if (step->channel == CHANNEL_COMMAND && !step->command)
		return fail(ld, "a command message needs \"command\"");
	return 0;
}

static const struct field wait_fields[] = {
	{ .key = "duration", .type = F_DURATION, .required = 1,
	  .off = offsetof(struct pb_step, duration_us) },
	{ .key = "probes", .type = F_STRINGS,
	  .off = offsetof(struct pb_step, probes),
	  .off2 = offsetof(struct pb_step, n_probes) },
	STEP_DRILL,
	{ .key = NULL },
};

#undef STEP_DRILL

static const struct field *const kind_fields[STEP_KIND_COUNT] = {
	check_fields, run_fields, probe_step_fields, decide_fields,
	approve_fields, input_fields, message_fields, wait_fields,
};

/* Step ids are unique across the whole playbook. */
static int
check_step_id(struct ld *ld, const struct pb_step *step)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		const struct pb_phase *ph = &ld->pb->phases[p];

		for (size_t s = 0; s < ph->n_steps; s++) {
			if (&ph->steps[s] == step || !ph->steps[s].id ||
			    strcmp(ph->steps[s].id, step->id) != 0)
				continue;
			return fail_key(ld, "id", "duplicate step id \"%s\" "
					"(first at phases[%d].steps[%zu])",
					show(step->id).s, p, s);
		}
	}
	return 0;
}

static void
step_defaults(struct pb_step *step)
{
	if (step->kind == STEP_KIND_APPROVE && !step->gates) {
		step->gates = xcalloc(2, sizeof(*step->gates));
		step->gates[0] = xstrdup("execute");
		step->n_gates = 1;
	}
}

static int
parse_step(struct ld *ld, const cJSON *v, void *elem)
{
	struct pb_step *step = elem;
	int kind;

	if (want_enum_key(ld, v, "kind", "unknown step kind", kind_names,
			  &kind) < 0)
		return -1;
	step->kind = (enum step_kind)kind;
	step->required = 1;
	if (check_variant_keys(ld, v, step_fields, kind_fields, kind_names,
			       kind, "kind") < 0 ||
	    parse_fields(ld, v, step_fields, step) < 0 ||
	    check_step_id(ld, step) < 0)
		return -1;
	ld->step = step;
	if (parse_fields(ld, v, kind_fields[kind], step) < 0)
		return -1;
	step_defaults(step);
	if (step->follow_up && step->required &&
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(v, "required")))
		return fail_key(ld, "required", "a follow-up is never required "
				"(it is work for after the incident)");
	if (step->follow_up)
		step->required = 0;
	if (step->kind == STEP_KIND_MESSAGE)
		return check_message(ld, step);
	return 0;
}

/* ---- phases and references between steps ------------------------------ */

static int
parse_steps(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_phase *phase = base;

	phase->steps = new_array(ld, v, 0, sizeof(*phase->steps),
				 &phase->n_steps);
	if (!phase->steps)
		return -1;
	return each_elem(ld, v, phase->steps, sizeof(*phase->steps),
			 parse_step);
}

static const struct field phase_fields[] = {
	{ .key = "id", .type = F_SKIP, .required = 1 },
	{ .key = "title", .type = F_STRING,
	  .off = offsetof(struct pb_phase, title) },
	{ .key = "steps", .type = F_CUSTOM, .required = 1,
	  .parse = parse_steps },
	{ .key = NULL },
};

static int
check_phase_id(struct ld *ld, const cJSON *v, enum phase_id want)
{
	struct strbuf sb = STRBUF_INIT;
	enum phase_id got;

	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	if (playbook_phase_parse(v->valuestring, &got) < 0) {
		join_names(&sb, phase_names);
		fail(ld, "unknown phase \"%s\" (expected one of: %s)",
		     show(v->valuestring).s, strbuf_str(&sb));
		strbuf_done(&sb);
		return -1;
	}
	if (got != want)
		return fail(ld, "expected phase \"%s\", got \"%s\"",
			    phase_names[want], phase_names[got]);
	return 0;
}

static int
parse_phase(struct ld *ld, const cJSON *v, struct pb_phase *phase)
{
	const char *name = phase_names[phase->id];
	size_t saved;
	int rc;

	if (check_object(ld, v, phase_fields, NULL) < 0)
		return -1;
	saved = path_key(ld, "id");
	rc = check_phase_id(ld, cJSON_GetObjectItemCaseSensitive(v, "id"),
			    phase->id);
	path_pop(ld, saved);
	if (rc < 0 || parse_fields(ld, v, phase_fields, phase) < 0)
		return -1;
	if (!phase->title) {
		phase->title = xstrdup(name);
		phase->title[0] = (char)(phase->title[0] - 'a' + 'A');
	}
	return 0;
}

/* Gates name a phase or a step; a wait repeats probe steps. */
static int
check_step_refs(struct ld *ld, const struct pb_step *step)
{
	const struct pb_step *other;
	enum phase_id ph;
	size_t saved;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < step->n_gates; i++) {
		if (playbook_phase_parse(step->gates[i], &ph) == 0 ||
		    playbook_find_step(ld->pb, step->gates[i], NULL, NULL))
			continue;
		saved = path_key(ld, "gates");
		path_index(ld, i);
		rc = fail(ld, "unknown phase or step \"%s\"",
			  show(step->gates[i]).s);
		path_pop(ld, saved);
	}
	for (size_t i = 0; rc == 0 && i < step->n_probes; i++) {
		other = playbook_find_step(ld->pb, step->probes[i], NULL, NULL);
		if (other && other->kind == STEP_KIND_PROBE)
			continue;
		saved = path_key(ld, "probes");
		path_index(ld, i);
		if (!other)
			rc = fail(ld, "unknown step \"%s\"",
				  show(step->probes[i]).s);
		else
			rc = fail(ld, "step \"%s\" is a %s step, not a probe",
				  other->id, kind_names[other->kind]);
		path_pop(ld, saved);
	}
	return rc;
}

static int
resolve_refs(struct ld *ld)
{
	for (size_t p = 0; p < PHASE_COUNT; p++) {
		const struct pb_phase *phase = &ld->pb->phases[p];

		for (size_t s = 0; s < phase->n_steps; s++) {
			size_t saved = path_index(ld, p);
			int rc;

			path_key(ld, "steps");
			path_index(ld, s);
			rc = check_step_refs(ld, &phase->steps[s]);
			path_pop(ld, saved);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

static int
parse_phases(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;
	const cJSON *item;
	size_t i = 0;

	if (!cJSON_IsArray(v))
		return fail(ld, "expected array, got %s", type_name(v));
	if (cJSON_GetArraySize(v) != PHASE_COUNT)
		return fail(ld, "expected %d phases (assess, decide, approve, "
			    "execute, verify, communicate), got %d",
			    PHASE_COUNT, cJSON_GetArraySize(v));
	cJSON_ArrayForEach(item, v) {
		size_t saved = path_index(ld, i);
		int rc = parse_phase(ld, item, &pb->phases[i]);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
		i++;
	}
	return resolve_refs(ld);
}

/* ---- scenarios --------------------------------------------------------- */

static const struct field scenario_expect_fields[] = {
	{ .key = "step", .type = F_SKIP, .required = 1 },
	{ .key = "option", .type = F_SKIP, .required = 1 },
	{ .key = "rationale", .type = F_SKIP },
	{ .key = "then", .type = F_SKIP },
	{ .key = NULL },
};

static int
want_decide_step(struct ld *ld, const cJSON *v, const struct pb_step **out)
{
	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	*out = playbook_find_step(ld->pb, v->valuestring, NULL, NULL);
	if (!*out)
		return fail(ld, "unknown step \"%s\"", show(v->valuestring).s);
	if ((*out)->kind != STEP_KIND_DECIDE)
		return fail(ld, "step \"%s\" is a %s step, not a decide step",
			    (*out)->id, kind_names[(*out)->kind]);
	return 0;
}

/* expect.then: decide step -> one of its options, each a later choice
 * of the expected path (not the expected step itself). */
static int
parse_expect_then(struct ld *ld, const cJSON *v, struct pb_scenario *sc)
{
	const cJSON *c;

	if (want_map(ld, v) < 0)
		return -1;
	sc->expect_then = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
				  sizeof(*sc->expect_then));
	for (c = v->child; c; c = c->next) {
		const struct pb_step *step = NULL;
		size_t saved = path_key(ld, c->string);
		struct pb_kv *kv = &sc->expect_then[sc->n_expect_then];
		int rc = 0;

		if (strcmp(c->string, sc->expect_step) == 0)
			rc = fail(ld, "the expected decision itself (its option "
				  "is expect.option)");
		if (rc == 0) {
			cJSON name = { .type = cJSON_String,
				       .valuestring = c->string };

			rc = want_decide_step(ld, &name, &step);
		}
		if (rc == 0)
			rc = want_option_of(ld, c, step, &kv->value);
		path_pop(ld, saved);
		if (rc < 0)
			return -1;
		kv->name = xstrdup(step->id);
		sc->n_expect_then++;
	}
	return 0;
}

static int
parse_scenario_expect(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;
	const struct pb_step *step = NULL;
	size_t saved;
	int rc;

	if (check_object(ld, v, scenario_expect_fields, NULL) < 0)
		return -1;
	saved = path_key(ld, "step");
	rc = want_decide_step(ld, cJSON_GetObjectItemCaseSensitive(v, "step"),
			      &step);
	path_pop(ld, saved);
	if (rc < 0)
		return -1;
	sc->expect_step = xstrdup(step->id);
	saved = path_key(ld, "option");
	rc = want_option_of(ld, cJSON_GetObjectItemCaseSensitive(v, "option"),
			    step, &sc->expect_option);
	path_pop(ld, saved);
	if (rc == 0 && cJSON_GetObjectItemCaseSensitive(v, "then")) {
		saved = path_key(ld, "then");
		rc = parse_expect_then(ld, cJSON_GetObjectItemCaseSensitive(
					       v, "then"), sc);
		path_pop(ld, saved);
	}
	if (rc < 0 || !cJSON_GetObjectItemCaseSensitive(v, "rationale"))
		return rc;
	saved = path_key(ld, "rationale");
	rc = want_text(ld, cJSON_GetObjectItemCaseSensitive(v, "rationale"),
		       &sc->expect_rationale);
	path_pop(ld, saved);
	return rc;
}

static int
parse_scenario_vars(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;

	return want_var_values(ld, v, &sc->vars, &sc->n_vars);
}

static int
parse_scenario_answers(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;

	return want_var_values(ld, v, &sc->answers, &sc->n_answers);
}

/* Answer variable -> the passage of the drill (briefing, alert, output,
 * world) a trainee works the answer out from; rule
 * scenario-answer-evidence checks that the drill shows it. */
static int
parse_scenario_evidence(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;
	const cJSON *c;

	if (want_map(ld, v) < 0)
		return -1;
	sc->evidence = xcalloc((size_t)cJSON_GetArraySize(v) + 1,
			       sizeof(*sc->evidence));
	for (c = v->child; c; c = c->next) {
		if (!playbook_find_var(ld->pb, c->string))
			return fail_key(ld, c->string, "unknown variable \"%s\" "
					"(declare it under variables)",
					show(c->string).s);
		if (!cJSON_IsString(c) || !*c->valuestring)
			return fail_key(ld, c->string, "expected a passage the "
					"drill shows, got %s", type_name(c));
		sc->evidence[sc->n_evidence].name = xstrdup(c->string);
		sc->evidence[sc->n_evidence++].value =
			xstrdup(c->valuestring);
	}
	return 0;
}

static const struct field outcome_fields[] = {
	{ .key = "exit", .type = F_INT, .min = 0, .max = 255,
	  .off = offsetof(struct pb_outcome, exit_code) },
	{ .key = "output", .type = F_OUTPUT,
	  .off = offsetof(struct pb_outcome, output) },
	{ .key = "duration", .type = F_DURATION,
	  .off = offsetof(struct pb_outcome, duration_us) },
	{ .key = "timed_out", .type = F_BOOL,
	  .off = offsetof(struct pb_outcome, timed_out) },
	{ .key = "runs", .type = F_INT, .min = 1, .max = 1000,
	  .off = offsetof(struct pb_outcome, runs) },
	{ .key = NULL },
};

static int
parse_outcome(struct ld *ld, const cJSON *v, struct pb_outcome *out)
{
	if (!playbook_find_step(ld->pb, v->string, NULL, NULL))
		return fail(ld, "unknown step \"%s\"", show(v->string).s);
	out->step = xstrdup(v->string);
	return want_object(ld, v, outcome_fields, out);
}

/* The check steps whose evidence the scenario's briefing gives: each
 * must name a check step. */
static int
parse_briefing_shows(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;

	if (want_strings(ld, v, 1, &sc->briefing_shows,
			 &sc->n_briefing_shows) < 0)
		return -1;
	for (size_t i = 0; i < sc->n_briefing_shows; i++) {
		const struct pb_step *st = playbook_find_step(
			ld->pb, sc->briefing_shows[i], NULL, NULL);

		if (!st)
			return fail(ld, "unknown step \"%s\"",
				    show(sc->briefing_shows[i]).s);
		if (st->kind != STEP_KIND_CHECK)
			return fail(ld, "step \"%s\" is not a check (only a "
				    "check's evidence can be the briefing)",
				    show(sc->briefing_shows[i]).s);
	}
	return 0;
}

static int
parse_outcomes(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;
	const cJSON *c;
	size_t i = 0;

	if (want_map(ld, v) < 0)
		return -1;
	sc->n_outcomes = (size_t)cJSON_GetArraySize(v);
	sc->outcomes = xcalloc(sc->n_outcomes + 1, sizeof(*sc->outcomes));
	for (c = v->child; c; c = c->next, i++) {
		size_t saved = path_key(ld, c->string);
		int rc = parse_outcome(ld, c, &sc->outcomes[i]);

		path_pop(ld, saved);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A free-form object kept as compact JSON text in *BASE. */
static int
parse_state_patch(struct ld *ld, const cJSON *v, void *base)
{
	char **out = base;
	char *text;

	if (want_map(ld, v) < 0)
		return -1;
	text = cJSON_PrintUnformatted(v);
	if (!text)
		fatal("out of memory printing %s", ld->path);
	*out = xstrdup(text);
	cJSON_free(text);
	return 0;
}

static int
parse_state(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;

	return parse_state_patch(ld, v, &sc->state_json);
}

static const struct field inject_fields[] = {
	{ .key = "id", .type = F_ID, .required = 1,
	  .off = offsetof(struct pb_inject, id) },
	{ .key = "at", .type = F_DURATION,
	  .off = offsetof(struct pb_inject, at_us) },
	{ .key = "after", .type = F_ID,
	  .off = offsetof(struct pb_inject, after) },
	{ .key = "alert", .type = F_TEXT,
	  .off = offsetof(struct pb_inject, alert) },
	{ .key = "state", .type = F_CUSTOM, .parse = parse_state_patch,
	  .off = offsetof(struct pb_inject, state_json) },
	{ .key = "log", .type = F_ID,
	  .off = offsetof(struct pb_inject, log) },
	{ .key = "lines", .type = F_OUTPUT,
	  .off = offsetof(struct pb_inject, log_lines) },
	{ .key = NULL },
};

/* Exactly one of at / after; something to inject; log goes with lines. */
static int
check_inject(struct ld *ld, const cJSON *v, const struct pb_inject *in)
{
	int at = cJSON_GetObjectItemCaseSensitive(v, "at") != NULL;

	if (at == (in->after != NULL))
		return fail(ld, "give exactly one of \"at\" (a time since the "
			    "start) and \"after\" (a step id)");
	if (in->after && !playbook_find_step(ld->pb, in->after, NULL, NULL))
		return fail_key(ld, "after", "unknown step \"%s\"",
				show(in->after).s);
	if (!in->alert && !in->state_json && !in->log_lines)
		return fail(ld, "an injection needs \"alert\", \"state\" or "
			    "\"lines\"");
	if (in->log && !in->log_lines)
		return fail_key(ld, "log", "\"log\" names where \"lines\" "
				"arrive; give \"lines\"");
	return 0;
}

static int
parse_inject(struct ld *ld, const cJSON *v, void *elem)
{
	if (want_object(ld, v, inject_fields, elem) < 0)
		return -1;
	return check_inject(ld, v, elem);
}

static int
parse_injects(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_scenario *sc = base;

	sc->injects = new_array(ld, v, 0, sizeof(*sc->injects),
				&sc->n_injects);
	if (!sc->injects ||
	    each_elem(ld, v, sc->injects, sizeof(*sc->injects),
		      parse_inject) < 0)
		return -1;
	return check_unique(ld, sc->injects, sc->n_injects,
			    sizeof(*sc->injects),
			    offsetof(struct pb_inject, id), "id");
}

static const struct field scenario_fields[] = {
	{ .key = "id", .type = F_ID, .required = 1,
	  .off = offsetof(struct pb_scenario, id) },
	{ .key = "title", .type = F_STRING, .required = 1,
	  .off = offsetof(struct pb_scenario, title) },
	{ .key = "description", .type = F_STRING,
	  .off = offsetof(struct pb_scenario, description) },
	{ .key = "briefing", .type = F_STRING,
	  .off = offsetof(struct pb_scenario, briefing) },
	{ .key = "expect", .type = F_CUSTOM, .parse = parse_scenario_expect },
	{ .key = "vars", .type = F_CUSTOM, .parse = parse_scenario_vars },
	{ .key = "answers", .type = F_CUSTOM, .parse = parse_scenario_answers },
	{ .key = "evidence", .type = F_CUSTOM,
	  .parse = parse_scenario_evidence },
	{ .key = "outcomes", .type = F_CUSTOM, .parse = parse_outcomes },
	{ .key = "state", .type = F_CUSTOM, .parse = parse_state },
	{ .key = "briefing_shows", .type = F_CUSTOM,
	  .parse = parse_briefing_shows },
	{ .key = "inject", .type = F_CUSTOM, .parse = parse_injects },
	{ .key = "rto", .type = F_DURATION,
	  .off = offsetof(struct pb_scenario, rto_us) },
	{ .key = "rto_label", .type = F_STRING,
	  .off = offsetof(struct pb_scenario, rto_label) },
	{ .key = NULL },
};

static int
parse_scenario(struct ld *ld, const cJSON *v, void *elem)
{
	return want_object(ld, v, scenario_fields, elem);
}

static int
parse_scenarios(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;

	pb->scenarios = new_array(ld, v, 0, sizeof(*pb->scenarios),
				  &pb->n_scenarios);
	if (!pb->scenarios ||
	    each_elem(ld, v, pb->scenarios, sizeof(*pb->scenarios),
		      parse_scenario) < 0)
		return -1;
	return check_unique(ld, pb->scenarios, pb->n_scenarios,
			    sizeof(*pb->scenarios),
			    offsetof(struct pb_scenario, id), "id");
}

/* ---- the whole playbook ------------------------------------------------ */

static int
parse_targets(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;

	return want_object(ld, v, targets_fields, &pb->targets);
}

static int
parse_rto(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;

	return want_object(ld, v, rto_fields, &pb->rto);
}

static const struct field communicate_fields[] = {
	{ .key = "cadence", .type = F_DURATION, .required = 1,
	  .off = offsetof(struct pb_communicate, cadence_us) },
	{ .key = "step", .type = F_ID, .required = 1,
	  .off = offsetof(struct pb_communicate, step) },
	{ .key = NULL },
};

/* Reminders offer a message step again: it must be one. */
static int
parse_communicate(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_communicate *c = base;
	const struct pb_step *st;

	if (want_object(ld, v, communicate_fields, c) < 0)
		return -1;
	st = playbook_find_step(ld->pb, c->step, NULL, NULL);
	if (!st)
		return fail_key(ld, "step", "unknown step \"%s\"",
				show(c->step).s);
	if (st->kind != STEP_KIND_MESSAGE)
		return fail_key(ld, "step", "step \"%s\" is a %s step, not a "
				"message", st->id, kind_names[st->kind]);
	return 0;
}

static const struct field header_fields[] = {
	{ .key = "from", .type = F_VAR,
	  .off = offsetof(struct pb_header, from) },
	{ .key = "to", .type = F_VAR,
	  .off = offsetof(struct pb_header, to) },
	{ .key = NULL },
};

/* The header's versions: declared variables, at least one, two apart. */
static int
parse_header(struct ld *ld, const cJSON *v, void *base)
{
	struct pb_header *h = base;

	if (want_object(ld, v, header_fields, h) < 0)
		return -1;
	if (!h->from && !h->to)
		return fail(ld, "name the variable of the bad version (\"from\"), "
			    "of the good one (\"to\"), or both");
	if (h->from && h->to && strcmp(h->from, h->to) == 0)
		return fail_key(ld, "to", "\"%s\" is \"from\" too: the "
				"versions rolled back from and to are two "
				"variables", h->to);
	return 0;
}

static int
parse_pb_world(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;

	return parse_state_patch(ld, v, &pb->drill_state_json);
}

/* drill.approvers: role -> the names of the people who may sign for it
 * in a drill (the game master plays them); a sign-off by anyone else
 * never counts on the score card. */
static int
parse_pb_approvers(struct ld *ld, const cJSON *v, void *base)
{
	struct playbook *pb = base;
	const cJSON *role, *name;
	size_t n = 0;

	if (want_map(ld, v) < 0)
		return -1;
	cJSON_ArrayForEach(role, v) {
		if (!cJSON_IsArray(role) || !cJSON_GetArraySize(role))
			return fail_key(ld, role->string, "expected a non-empty "
					"array of names, got %s",
					type_name(role));
		n += (size_t)cJSON_GetArraySize(role);
	}
	pb->drill_approvers = xcalloc(n + 1, sizeof(*pb->drill_approvers));
	cJSON_ArrayForEach(role, v)
		cJSON_ArrayForEach(name, role) {
			if (!cJSON_IsString(name) || !*name->valuestring)
				return fail_key(ld, role->string, "expected "
						"names (strings), got %s",
						type_name(name));
			pb->drill_approvers[pb->n_drill_approvers].name =
				xstrdup(role->string);
			pb->drill_approvers[pb->n_drill_approvers++].value =
				xstrdup(name->valuestring);
		}
	return 0;
}

static const struct field pb_drill_fields[] = {
	{ .key = "predict", .type = F_BOOL,
	  .off = offsetof(struct playbook, drill_predict) },
	{ .key = "state", .type = F_CUSTOM, .parse = parse_pb_world },
	{ .key = "approvers", .type = F_CUSTOM, .parse = parse_pb_approvers },
	{ .key = NULL },
};

/* Playbook-wide drill settings. */
static int
parse_pb_drill(struct ld *ld, const cJSON *v, void *base)
{
	return want_object(ld, v, pb_drill_fields, base);
}

/* "$schema" lets editors find playbooks/schema.json; it is not kept. */
static int
parse_schema_ref(struct ld *ld, const cJSON *v, void *base)
{
	(void)base;
	if (!cJSON_IsString(v))
		return fail(ld, "expected string, got %s", type_name(v));
	return 0;
}

/* Table order matters: variables and targets are read before the steps
 * and rules that refer to them, steps before the scenarios. */
static const struct field playbook_fields[] = {
	{ .key = "$schema", .type = F_CUSTOM, .parse = parse_schema_ref },
	{ .key = "id", .type = F_ID, .required = 1,
	  .off = offsetof(struct playbook, id) },
	{ .key = "title", .type = F_STRING, .required = 1,
	  .off = offsetof(struct playbook, title) },
	{ .key = "summary", .type = F_STRING,
	  .off = offsetof(struct playbook, summary) },
	{ .key = "source", .type = F_STRING,
	  .off = offsetof(struct playbook, source) },
	{ .key = "draft", .type = F_BOOL,
	  .off = offsetof(struct playbook, draft) },
	{ .key = "review", .type = F_CUSTOM, .parse = parse_review },
	{ .key = "variables", .type = F_CUSTOM, .parse = parse_variables },
	{ .key = "header", .type = F_CUSTOM, .parse = parse_header,
	  .off = offsetof(struct playbook, header) },
	{ .key = "targets", .type = F_CUSTOM, .parse = parse_targets },
	{ .key = "targets_rto", .type = F_CUSTOM, .parse = parse_rto },
	{ .key = "phases", .type = F_CUSTOM, .required = 1,
	  .parse = parse_phases },
	{ .key = "communicate", .type = F_CUSTOM, .parse = parse_communicate,
	  .off = offsetof(struct playbook, communicate) },
	{ .key = "drill", .type = F_CUSTOM, .parse = parse_pb_drill },
	{ .key = "scenarios", .type = F_CUSTOM, .parse = parse_scenarios },
	{ .key = NULL },
};

static int
cmp_keys(const void *a, const void *b)
{
	const cJSON *const *x = a;
	const cJSON *const *y = b;

	return strcmp((*x)->string, (*y)->string);
}

/* A key OBJ holds twice, or NULL. Small objects are compared pairwise;
 * larger ones sorted, so that a huge object costs n log n, not n². */
static const char *
repeated_key(const cJSON *obj)
{
	size_t n = (size_t)cJSON_GetArraySize(obj), i = 0;
	const cJSON **keys, *c, *d;
	const char *dup = NULL;

	if (n <= 16) {
		for (c = obj->child; c && !dup; c = c->next)
			for (d = c->next; d && !dup; d = d->next)
				if (strcmp(c->string, d->string) == 0)
					dup = d->string;
		return dup;
	}
	keys = xcalloc(n, sizeof(*keys));
	for (c = obj->child; c; c = c->next)
		keys[i++] = c;
	qsort(keys, n, sizeof(*keys), cmp_keys);
	for (i = 1; i < n && !dup; i++)
		if (strcmp(keys[i - 1]->string, keys[i]->string) == 0)
			dup = keys[i]->string;
	free(keys);
	return dup;
}

/* Where the walk for repeated keys is: the path is written out only for
 * the object that has one (building it for every node cost more than
 * the rest of a load). */
struct json_at {
	const struct json_at *up;
	const cJSON *node;	/* a member when IN_OBJECT, else an element */
	size_t index;
	int in_object;
};

static void
path_to(struct ld *ld, const struct json_at *at)
{
	if (!at)
		return;
	path_to(ld, at->up);
	if (at->in_object)
		path_key(ld, at->node->string);
	else
		path_index(ld, at->index);
}

/* cJSON keeps both copies of a repeated key; we refuse them anywhere. */
static int
check_duplicates(struct ld *ld, const cJSON *v, const struct json_at *up)
{
	const char *dup = cJSON_IsObject(v) ? repeated_key(v) : NULL;
	const cJSON *c;
	size_t i = 0;

	if (dup) {
		path_to(ld, up);
		return fail(ld, "duplicate key \"%s\"", show(dup).s);
	}
	for (c = v->child; c; c = c->next, i++) {
		struct json_at here = { up, c, i, cJSON_IsObject(v) };

		if (check_duplicates(ld, c, &here) < 0)
			return -1;
	}
	return 0;
}

/* ---- JSON text --------------------------------------------------------- */

static int
is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
line_col(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* "PATH: line L, column C: PROBLEM" for a fault in the JSON text. */
static int
text_fail(struct ld *ld, const char *text, size_t off, const char *problem)
{
	int line, col;

	line_col(text, off, &line, &col);
	return err_set(ld->err, ERR_PARSE, "%s: line %d, column %d: %s",
		       ld->name, line, col, problem);
}

/* Bracket depth at the end of TEXT and where an unterminated string
 * starts (LEN when none): together they tell a truncated file. */
static void
text_balance(const char *text, size_t len, int *depth, int *max_depth,
	     size_t *open_string)
{
	*depth = 0;
	*max_depth = 0;
	*open_string = len;
	for (size_t i = 0; i < len; i++) {
		if (*open_string < len) {
			if (text[i] == '\\')
				i++;
			else if (text[i] == '"')
				*open_string = len;
		} else if (text[i] == '"') {
			*open_string = i;
		} else if (text[i] == '{' || text[i] == '[') {
			if (++*depth > *max_depth)
				*max_depth = *depth;
		} else if (text[i] == '}' || text[i] == ']') {
			(*depth)--;
		}
	}
}

static int
json_fail(struct ld *ld, const char *text, size_t len, size_t off)
{
	size_t n = 0, last = len, open_string;
	int depth, max_depth, rc;
	char *problem;

	while (last > 0 && is_json_space(text[last - 1]))
		last--;
	/* cJSON may point just past the offending byte, or at the end */
	while (off > 0 && (off >= len || is_json_space(text[off])))
		off--;
	text_balance(text, len, &depth, &max_depth, &open_string);
	if (max_depth > CJSON_NESTING_LIMIT) {
		problem = xasprintf("invalid JSON: nested deeper than %d "
				    "levels", CJSON_NESTING_LIMIT);
	} else if ((depth > 0 || open_string < len) &&
		   (off + 1 >= last || off >= open_string)) {
		problem = xstrdup("invalid JSON: unexpected end of file");
		off = len;
	} else {
		while (off + n < len && text[off + n] != '\n' &&
		       (n < 24 || ((unsigned char)text[off + n] & 0xc0) == 0x80))
			n++;
		problem = xasprintf("invalid JSON near '%s'",
				    show_n(text + off, n, 0).s);
	}
	rc = text_fail(ld, text, off, problem);
	free(problem);
	return rc;
}

/* What cJSON lets through but JSON forbids or a C string can't hold:
 * invalid UTF-8, raw control characters in strings and \u0000. */
static int
scan_text(struct ld *ld, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	int in_string = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_len(s + i, len - i);

		if (n == 0)
			return text_fail(ld, text, i, "invalid UTF-8");
		if (s[i] == '"')
			in_string = !in_string;
		else if (in_string && s[i] < 0x20)
			return text_fail(ld, text, i, "control character in a "
					 "string (write it as an escape, "
					 "e.g. \\n)");
		else if (in_string && s[i] == '\\') {
			if (len - i >= 6 && memcmp(text + i, "\\u0000", 6) == 0)
				return text_fail(ld, text, i, "\\u0000 (NUL) "
						 "in a string");
			n = 2;
		}
		i += n;
	}
	return 0;
}

static int
parse_json(struct ld *ld, const char *text, size_t len, cJSON **out)
{
	const char *end = NULL;
	size_t off = 0;

	while (off < len && is_json_space(text[off]))
		off++;
	if (off == len)
		return err_set(ld->err, ERR_PARSE, "%s: empty file", ld->name);
	*out = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!*out)
		return json_fail(ld, text, len,
				 end ? (size_t)(end - text) : 0);
	for (off = (size_t)(end - text); off < len; off++) {
		if (is_json_space(text[off]))
			continue;
		cJSON_Delete(*out);
		return text_fail(ld, text, off, "invalid JSON: text after the "
				 "end of the document");
	}
	if (scan_text(ld, text, len) < 0) {
		cJSON_Delete(*out);
		return -1;
	}
	return 0;
}

/* ---- loading and freeing ----------------------------------------------- */

static struct playbook *
playbook_alloc(const char *name)
{
	struct playbook *pb = xcalloc(1, sizeof(*pb));

	pb->path = xstrdup(name);
	for (int p = 0; p < PHASE_COUNT; p++)
		pb->phases[p].id = (enum phase_id)p;
	return pb;
}

/* Each variable's time_of names steps (steps are read after the
 * variables, so this is checked once everything is). */
static int
check_time_of(struct ld *ld, const struct playbook *pb)
{
	for (size_t i = 0; i < pb->n_variables; i++) {
		const struct pb_variable *v = &pb->variables[i];

		for (size_t k = 0; k < v->n_time_of; k++) {
			size_t saved;

			if (playbook_find_step(pb, v->time_of[k], NULL, NULL))
				continue;
			saved = path_key(ld, "variables");
			path_key(ld, v->name);
			path_key(ld, "time_of");
			path_index(ld, k);
			fail(ld, "unknown step \"%s\"", show(v->time_of[k]).s);
			path_pop(ld, saved);
			return -1;
		}
	}
	return 0;
}

struct playbook *
playbook_load_buffer(const char *text, size_t len, const char *name,
		     struct err *err)
{
	struct ld ld = { .name = name, .err = err };
	struct playbook *pb;
	cJSON *root = NULL;
	char hex[65];
	int rc;

	if (parse_json(&ld, text, len, &root) < 0)
		return NULL;
	pb = playbook_alloc(name);
	ld.pb = pb;
	rc = check_duplicates(&ld, root, NULL);
	if (rc == 0)
		rc = want_object(&ld, root, playbook_fields, pb);
	if (rc == 0)
		rc = check_time_of(&ld, pb);
	if (rc == 0)
		rc = playbook_keep_templates(pb, err);
	cJSON_Delete(root);
	if (rc < 0) {
		playbook_free(pb);
		return NULL;
	}
	sha256_hex(text, len, hex);
	pb->sha256 = xstrdup(hex);
	return pb;
}

char *
playbook_read_text(const char *path, size_t *len, struct err *err)
{
	struct strbuf sb = STRBUF_INIT;

	if (strbuf_read_file(&sb, path, PB_FILE_MAX, err) < 0) {
		strbuf_done(&sb);
		return NULL;
	}
	*len = sb.len;
	return strbuf_detach(&sb);
}

struct playbook *
playbook_load_file(const char *path, struct err *err)
{
	struct playbook *pb;
	size_t len = 0;
	char *text = playbook_read_text(path, &len, err);

	if (!text)
		return NULL;
	pb = playbook_load_buffer(text, len, path, err);
	free(text);
	return pb;
}

static void
free_strings(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

static void
free_kvs(struct pb_kv *kv, size_t n)
{
	for (size_t i = 0; kv && i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}

static void
free_when(struct pb_when *when)
{
	for (size_t i = 0; when->conds && i < when->n_conds; i++) {
		free(when->conds[i].var);
		free_strings(when->conds[i].values, when->conds[i].n_values);
	}
	free(when->conds);
}

static void
free_probe(struct pb_probe *probe)
{
	free(probe->tag);
	free(probe->package);
	free(probe->dist_tag);
	free(probe->version);
	free(probe->url);
	free(probe->json_field);
	free(probe->equals);
	free(probe->log);
	if (probe->pattern)
		regfree(&probe->re);
	free(probe->pattern);
}

static void
free_matrix(struct pb_matrix *m)
{
	size_t n_cells;

	if (!m)
		return;
	n_cells = m->n_rows * (m->col_var ? m->n_cols : 1);
	free_strings(m->cells, m->cells ? n_cells : 0);
	free(m->row_var);
	free_strings(m->rows, m->n_rows);
	free(m->col_var);
	free_strings(m->cols, m->n_cols);
	free(m);
}

static void
free_decide(struct pb_step *step)
{
	for (size_t i = 0; step->options && i < step->n_options; i++) {
		free(step->options[i].id);
		free(step->options[i].label);
		free(step->options[i].description);
		free_kvs(step->options[i].sets, step->options[i].n_sets);
	}
	free(step->options);
	free_matrix(step->matrix);
}

static void
free_step(struct pb_step *step)
{
	free(step->id);
	free(step->title);
	free(step->note);
	free_when(&step->when);
	free(step->run);
	free(step->cwd);
	if (step->expect_output)
		regfree(&step->expect_re);
	free(step->expect_output);
	free(step->confirm);
	free(step->drill.output);
	free(step->drill.state_json);
	free(step->drill.watch);
	free(step->drill.log);
	free(step->drill.endpoint);
	free(step->drill.registry);
	free(step->drill.yanked);
	free(step->drill.resolves_not);
	if (step->drill.fails_on)
		regfree(&step->drill.fails_re);
	free(step->drill.fails_on);
	free_probe(&step->probe);
	free_decide(step);
	for (size_t i = 0; step->roles && i < step->n_roles; i++)
		free(step->roles[i].role);
	free(step->roles);
	free_strings(step->gates, step->n_gates);
	free(step->variable);
	free(step->template);
	free(step->path);
	free(step->folder);
	free(step->url);
	free(step->url_env);
	free(step->command);
	free_strings(step->probes, step->n_probes);
}

static void
free_targets(struct pb_targets *t)
{
	free(t->git_path);
	free(t->share);
	free(t->share_signers);
	for (size_t i = 0; t->registries && i < t->n_registries; i++) {
		free(t->registries[i].name);
		free_strings(t->registries[i].channels,
			     t->registries[i].n_channels);
		free(t->registries[i].url);
	}
	free(t->registries);
	for (size_t i = 0; t->logs && i < t->n_logs; i++) {
		struct pb_log *log = &t->logs[i];

		for (size_t j = 0; log->patterns && j < log->n_patterns; j++) {
			free(log->patterns[j].name);
			if (log->patterns[j].regex)
				regfree(&log->patterns[j].re);
			free(log->patterns[j].regex);
		}
		free(log->patterns);
		free(log->name);
		free(log->path);
	}
	free(t->logs);
	for (size_t i = 0; t->http && i < t->n_http; i++) {
		free(t->http[i].name);
		free(t->http[i].url);
	}
	free(t->http);
}

static void
free_rto(struct pb_rto *rto)
{
	for (size_t i = 0; rto->rules && i < rto->n_rules; i++) {
		free_when(&rto->rules[i].when);
		free(rto->rules[i].label);
	}
	free(rto->rules);
	for (size_t i = 0; rto->escalations && i < rto->n_escalations; i++)
		free(rto->escalations[i].notify);
	free(rto->escalations);
}

static void
free_scenario(struct pb_scenario *sc)
{
	free(sc->id);
	free(sc->title);
	free(sc->description);
	free(sc->briefing);
	free(sc->rto_label);
	free(sc->expect_rationale);
	free(sc->expect_step);
	free(sc->expect_option);
	free_kvs(sc->vars, sc->n_vars);
	free_kvs(sc->answers, sc->n_answers);
	free_kvs(sc->evidence, sc->n_evidence);
	free_kvs(sc->expect_then, sc->n_expect_then);
	for (size_t i = 0; sc->outcomes && i < sc->n_outcomes; i++) {
		free(sc->outcomes[i].step);
		free(sc->outcomes[i].output);
	}
	free(sc->outcomes);
	free(sc->state_json);
	free_strings(sc->briefing_shows, sc->n_briefing_shows);
	for (size_t i = 0; sc->injects && i < sc->n_injects; i++) {
		free(sc->injects[i].id);
		free(sc->injects[i].after);
		free(sc->injects[i].alert);
		free(sc->injects[i].state_json);
		free(sc->injects[i].log);
		free(sc->injects[i].log_lines);
	}
	free(sc->injects);
}

static void
free_variable(struct pb_variable *var)
{
	free(var->name);
	free(var->prompt);
	free(var->default_value);
	free_lazy_re(var->re);
	free(var->pattern);
	free(var->from);
	free_strings(var->time_of, var->n_time_of);
}

void
playbook_free(struct playbook *pb)
{
	if (!pb)
		return;
	for (size_t i = 0; pb->variables && i < pb->n_variables; i++)
		free_variable(&pb->variables[i]);
	free(pb->variables);
	free(pb->drill_state_json);
	free_kvs(pb->drill_approvers, pb->n_drill_approvers);
	free_targets(&pb->targets);
	free_rto(&pb->rto);
	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t s = 0; pb->phases[p].steps &&
		     s < pb->phases[p].n_steps; s++)
			free_step(&pb->phases[p].steps[s]);
		free(pb->phases[p].steps);
		free(pb->phases[p].title);
	}
	for (size_t i = 0; pb->scenarios && i < pb->n_scenarios; i++)
		free_scenario(&pb->scenarios[i]);
	free(pb->scenarios);
	for (size_t i = 0; pb->review && i < pb->n_review; i++) {
		free(pb->review[i].step);
		free(pb->review[i].text);
	}
	free(pb->review);
	free(pb->communicate.step);
	free(pb->header.from);
	free(pb->header.to);
	free(pb->path);
	free(pb->id);
	free(pb->title);
	free(pb->summary);
	free(pb->source);
	free(pb->sha256);
	playbook_free_templates(pb);
	free(pb);
}

/* ---- queries ----------------------------------------------------------- */

const struct pb_step *
playbook_find_step(const struct playbook *pb, const char *id,
		   enum phase_id *phase, size_t *index)
{
	for (int p = 0; p < PHASE_COUNT; p++) {
		for (size_t s = 0; s < pb->phases[p].n_steps; s++) {
			const struct pb_step *step = &pb->phases[p].steps[s];

			if (!step->id || strcmp(step->id, id) != 0)
				continue;
			if (phase)
				*phase = (enum phase_id)p;
			if (index)
				*index = s;
			return step;
		}
	}
	return NULL;
}

const struct pb_variable *
playbook_find_var(const struct playbook *pb, const char *name)
{
	for (size_t i = 0; i < pb->n_variables; i++)
		if (pb->variables[i].name &&
		    strcmp(pb->variables[i].name, name) == 0)
			return &pb->variables[i];
	return NULL;
}

int
playbook_var_index(const struct playbook *pb, const char *name)
{
	const struct pb_variable *v = playbook_find_var(pb, name);

	return v ? (int)(v - pb->variables) : -1;
}

int
playbook_is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int
playbook_text_refs(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text ? strchr(text, '$') : NULL; p;
	     p = strchr(p + 1, '$')) {
		if (p[1] == '{' && strncmp(p + 2, name, n) == 0 &&
		    p[2 + n] == '}')
			return 1;
		if (strncmp(p + 1, name, n) == 0 &&
		    !playbook_is_name_char(p[1 + n]))
			return 1;
	}
	return 0;
}

size_t
playbook_var_ref(const char *p, size_t *skip)
{
	int braced = p[1] == '{';
	const char *n = p + 1 + braced;
	size_t len = 0;

	if (n[0] != '_' && !isalpha((unsigned char)n[0]))
		return 0;
	while (playbook_is_name_char(n[len]))
		len++;
	if (braced && n[len] != '}')
		return 0;
	*skip = 1 + (size_t)braced + len + (size_t)braced;
	return len;
}

char *
playbook_subst_refs(const char *text, playbook_lookup_cb value,
		    const void *arg)
{
	struct strbuf out = STRBUF_INIT;

	for (const char *p = text; *p;) {
		size_t skip, len = *p == '$' ? playbook_var_ref(p, &skip) : 0;
		char *name = len ? xstrndup(p + 1 + (p[1] == '{'), len) : NULL;
		const char *v = name ? value(name, arg) : NULL;

		free(name);
		if (!v) {
			strbuf_add(&out, p, len ? skip : 1);
			p += len ? skip : 1;
			continue;
		}
		strbuf_adds(&out, v);
		p += skip;
	}
	return strbuf_detach(&out);
}

const struct pb_scenario *
playbook_find_scenario(const struct playbook *pb, const char *id)
{
	if (!id)	/* a drill without a scenario */
		return NULL;
	for (size_t i = 0; i < pb->n_scenarios; i++)
		if (pb->scenarios[i].id && strcmp(pb->scenarios[i].id, id) == 0)
			return &pb->scenarios[i];
	return NULL;
}

const struct pb_option *
playbook_find_option(const struct pb_step *step, const char *id)
{
	for (size_t i = 0; i < step->n_options; i++)
		if (step->options[i].id && strcmp(step->options[i].id, id) == 0)
			return &step->options[i];
	return NULL;
}

/* Whether HEAD followed by the end of EXAMPLE from some point matches
 * VAR's pattern: HEAD can still lead to a value like EXAMPLE. */
static int
leads_like(const struct pb_variable *var, const char *head, size_t k,
	   const char *example)
{
	size_t n = strlen(example);

	for (size_t j = 0; j <= n; j++) {
		char *t = xasprintf("%.*s%s", (int)k, head, example + j);
		int ok = var_matches(var, t);

		free(t);
		if (ok)
			return 1;
	}
	return 0;
}

/* How many characters of VALUE lead somewhere VAR's pattern allows: with
 * a default that matches (the example), the longest start that the rest
 * of the example can complete; without one, the longest start the pattern
 * matches whole. */
static size_t
good_start(const struct pb_variable *var, const char *value,
	   const char *example)
{
	size_t len = strlen(value);

	for (size_t k = len; k > 0; k--) {
		char *t = xasprintf("%.*s", (int)k, value);
		int ok = example ? leads_like(var, value, k, example)
				 : var_matches(var, t);

		free(t);
		if (ok)
			return k;
	}
	return 0;
}

/* Characters (not bytes) in the first K bytes of S. */
static size_t
chars_in(const char *s, size_t k)
{
	size_t n = 0;

	for (size_t i = 0; i < k; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

int
playbook_var_explain(const struct pb_variable *var, const char *value,
		     char *buf, size_t size)
{
	const char *example = var->default_value &&
			      var_matches(var, var->default_value)
			      ? var->default_value : NULL;
	size_t k;

	if (!var->pattern || var->secret || var_matches(var, value) ||
	    !*value)
		return -1;
	k = good_start(var, value, example);
	if (example && k < strlen(value)) {
		size_t bad = utf8_len((const unsigned char *)value + k,
				      strlen(value + k));
		char *c = xasprintf("%.*s", (int)(bad ? bad : 1), value + k);

		snprintf(buf, size, "\"%s\": character %zu '%s' is not "
			 "allowed here; expected like %s", show(value).s,
			 chars_in(value, k) + 1, show(c).s, show(example).s);
		free(c);
	}
	else if (example)
		snprintf(buf, size, "\"%s\" ends too soon; expected like %s",
			 show(value).s, show(example).s);
	else if (k > 0) {
		char *head = xasprintf("%.*s", (int)k, value);

		snprintf(buf, size, "\"%s\" does not match pattern \"%s\": "
			 "only its first %zu character%s (\"%s\") match",
			 show(value).s, show_pattern(var->pattern).s, k,
			 k == 1 ? "" : "s", show(head).s);
		free(head);
		return 1;
	} else
		return -1;
	return 0;
}

int
playbook_var_validate(const struct pb_variable *var, const char *value,
		      struct err *err)
{
	char why[400];
	int rc;

	if (var_matches(var, value))
		return 0;
	rc = playbook_var_explain(var, value, why, sizeof(why));
	if (rc == 0)
		return err_set(err, ERR_INVALID, "variable %s: value %s (pattern "
			       "\"%s\")", var->name, why,
			       show_pattern(var->pattern).s);
	if (rc == 1)
		return err_set(err, ERR_INVALID, "variable %s: value %s",
			       var->name, why);
	if (var->secret)
		return err_set(err, ERR_INVALID, "variable %s: the value does "
			       "not match pattern \"%s\"", var->name,
			       show_pattern(var->pattern).s);
	return err_set(err, ERR_INVALID, "variable %s: value \"%s\" does not "
		       "match pattern \"%s\"", var->name, show(value).s,
		       show_pattern(var->pattern).s);
}

const char *
playbook_phase_name(enum phase_id id)
{
	if ((int)id < 0 || id >= PHASE_COUNT)
		return "?";
	return phase_names[id];
}

const char *
playbook_kind_name(enum step_kind kind)
{
	if ((int)kind < 0 || kind >= STEP_KIND_COUNT)
		return "?";
	return kind_names[kind];
}

int
playbook_phase_parse(const char *name, enum phase_id *out)
{
	for (int i = 0; i < PHASE_COUNT; i++) {
		if (strcmp(phase_names[i], name) == 0) {
			*out = (enum phase_id)i;
			return 0;
		}
	}
	return -1;
}

int
playbook_kind_parse(const char *name, enum step_kind *out)
{
	for (int i = 0; i < STEP_KIND_COUNT; i++) {
		if (strcmp(kind_names[i], name) == 0) {
			*out = (enum step_kind)i;
			return 0;
		}
	}
	return -1;
}

static int
cond_holds(const struct pb_cond *cond, const char *value)
{
	if (!value)
		return 0;
	for (size_t i = 0; i < cond->n_values; i++)
		if (strcmp(cond->values[i], value) == 0)
			return 1;
	return 0;
}

int
playbook_when_holds(const struct pb_when *when,
		    const char *(*lookup)(const char *name,
				  const void *arg),
		    const void *arg)
{
	for (size_t i = 0; when && i < when->n_conds; i++)
		if (!cond_holds(&when->conds[i], lookup(when->conds[i].var, arg)))
			return 0;
	return 1;
}

const struct pb_cond *
playbook_when_waiting_on(const struct pb_when *when,
			 const char *(*lookup)(const char *name,
					       const void *arg),
			 const void *arg)
{
	const struct pb_cond *first_unset = NULL;

	for (size_t i = 0; when && i < when->n_conds; i++) {
		const char *value = lookup(when->conds[i].var, arg);

		if (!value && !first_unset)
			first_unset = &when->conds[i];
		else if (value && !cond_holds(&when->conds[i], value))
			return NULL;	/* decided: it can no longer hold */
	}
	return first_unset;
}

static int
axis_index(char *const *values, size_t n, const char *value, size_t *out)
{
	for (size_t i = 0; value && i < n; i++) {
		if (strcmp(values[i], value) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

const struct pb_option *
playbook_recommend(const struct pb_step *step,
		   const char *(*lookup)(const char *name,
				 const void *arg),
		   const void *arg)
{
	const struct pb_matrix *m = step->matrix;
	size_t r, c = 0;

	for (size_t i = 0; !m && i < step->n_options; i++)
		if (step->options[i].recommended)
			return &step->options[i];
	if (!m || axis_index(m->rows, m->n_rows, lookup(m->row_var, arg),
			     &r) < 0)
		return NULL;
	if (m->col_var && axis_index(m->cols, m->n_cols,
				     lookup(m->col_var, arg), &c) < 0)
		return NULL;
	return playbook_find_option(step,
				    m->cells[r * (m->col_var ? m->n_cols : 1)
					     + c]);
}

int64_t
playbook_rto_within(const struct playbook *pb,
		    const char *(*lookup)(const char *name,
				  const void *arg),
		    const void *arg)
{
	if (pb->rto.drill_us)
		return pb->rto.drill_us;
	for (size_t i = 0; i < pb->rto.n_rules; i++)
		if (playbook_when_holds(&pb->rto.rules[i].when, lookup, arg))
			return pb->rto.rules[i].within_us;
	return pb->rto.default_us;
}

void
playbook_use_scenario_rto(struct playbook *pb, const char *id)
{
	const struct pb_scenario *sc = id ? playbook_find_scenario(pb, id)
					  : NULL;

	if (!sc || !sc->rto_us)
		return;
	pb->rto.drill_us = sc->rto_us;
	pb->rto.drill_label = sc->rto_label;
}

const char *
playbook_rto_label(const struct playbook *pb,
		   const char *(*lookup)(const char *name, const void *arg),
		   const void *arg)
{
	if (pb->rto.drill_us)
		return pb->rto.drill_label;
	for (size_t i = 0; i < pb->rto.n_rules; i++)
		if (playbook_when_holds(&pb->rto.rules[i].when, lookup, arg))
			return pb->rto.rules[i].label;
	return NULL;
}

int
playbook_outcome_always_fails(const struct playbook *pb, const char *scenario,
			      const struct pb_step *st)
{
	const struct pb_scenario *sc = scenario
		? playbook_find_scenario(pb, scenario) : NULL;

	for (size_t i = 0; sc && i < sc->n_outcomes; i++) {
		const struct pb_outcome *o = &sc->outcomes[i];

		if (strcmp(o->step, st->id) == 0 && !o->runs &&
		    (o->exit_code != st->expect_exit || o->timed_out))
			return 1;
	}
	return 0;
}

enum pb_proof
playbook_step_proof(const struct playbook *pb, const char *scenario,
		    enum phase_id phase, const struct pb_step *st)
{
	if (!st->required)
		return PB_PROOF_NONE;
	if (phase == PHASE_EXECUTE)
		return st->kind == STEP_KIND_RUN && st->destructive &&
		       !playbook_outcome_always_fails(pb, scenario, st)
		       ? PB_PROOF_DONE : PB_PROOF_NONE;
	if (phase == PHASE_VERIFY && (st->kind == STEP_KIND_RUN ||
				      st->kind == STEP_KIND_PROBE ||
				      st->kind == STEP_KIND_WAIT))
		return PB_PROOF_VERIFIED;
	return PB_PROOF_NONE;
}

const struct pb_scenario *
playbook_scenario_ref(const struct playbook *pb, const char *ref)
{
	const struct pb_scenario *sc = playbook_find_scenario(pb, ref);
	char *end;
	unsigned long n;

	if (sc || !ref || !isdigit((unsigned char)ref[0]))
		return sc;
	errno = 0;
	n = strtoul(ref, &end, 10);
	if (errno || *end || n < 1 || n > pb->n_scenarios)
		return NULL;
	return &pb->scenarios[n - 1];
}

size_t
playbook_scenario_number(const struct playbook *pb,
			 const struct pb_scenario *sc)
{
	return sc ? (size_t)(sc - pb->scenarios) + 1 : 0;
}
