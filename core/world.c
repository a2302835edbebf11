/* The drill's world as a tiny shell: a command line is split into
 * pipelines joined by &&, || and ; (with !, redirections into files that
 * exist only here, $VAR and $(...)), and each command is either a shell
 * helper (echo, cat, grep, head, tail, wc, mktemp, true, false) or one of
 * the tools a rollback uses, answered from the scenario's state. Anything
 * else makes the whole line unknown, and the caller falls back. */
#include "config.h"
#include "world.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "registry.h"
#include "strbuf.h"
#include "world_int.h"
#include "xalloc.h"

#define MAX_DEPTH 4

enum tok_kind { T_WORD, T_AND, T_OR, T_SEMI, T_PIPE, T_BANG, T_OUT, T_APPEND,
		T_ERR_TO_OUT, T_ERR_OUT, T_IN, T_UNKNOWN };

struct tok {
	enum tok_kind kind;
	char *text;		/* T_WORD: the word after quotes and $ */
	int quoted;		/* it had quotes: kept even when empty */
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

static void
toks_push(struct toks *t, enum tok_kind kind, char *text, int quoted)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n].kind = kind;
	t->v[t->n].text = text;
	t->v[t->n++].quoted = quoted;
}

static void
toks_free(struct toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
}

/* --- variables and $(...) ---------------------------------------------------------- */

static const char *
sh_var(struct sh *sh, const char *name)
{
	const char *v = cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(sh->vars, name));

	if (v)
		return v;
	if (strcmp(name, "?") == 0)
		return sh->status_text;
	v = sh->var ? sh->var(name, sh->arg) : NULL;
	return v ? v : "";
}

static void
set_var(struct sh *sh, const char *name, const char *value)
{
	cJSON_DeleteItemFromObjectCaseSensitive(sh->vars, name);
	cJSON_AddStringToObject(sh->vars, name, value);
}

static int run_line(struct sh *sh, const char *line, struct strbuf *out);

/* $(...) at P (just after "$("): its output without trailing newlines;
 * *END is set past the ")". */
static void
substitute(struct sh *sh, const char *p, const char **end, struct strbuf *w)
{
	int depth = 1;
	const char *q = p;
	char *inner;
	struct strbuf out = STRBUF_INIT;

	while (*q && depth) {
		depth += *q == '(';
		depth -= *q == ')';
		q++;
	}
	*end = q;
	inner = xstrndup(p, (size_t)(q - p) - (depth == 0));
	if (sh->depth >= MAX_DEPTH)
		sh->unknown = 1;
	else {
		sh->depth++;
		run_line(sh, inner, &out);
		sh->depth--;
	}
	while (out.len && out.buf[out.len - 1] == '\n')
		out.buf[--out.len] = '\0';
	strbuf_adds(w, out.len ? out.buf : "");
	strbuf_done(&out);
	free(inner);
}

/* A $ reference at P (P[0] == '$'): appended to W; returns the text
 * after it. */
static const char *
expand(struct sh *sh, const char *p, struct strbuf *w)
{
	size_t len;
	char *name;

	if (p[1] == '(') {
		const char *end;

		substitute(sh, p + 2, &end, w);
		return end;
	}
	if (p[1] == '{') {
		len = strcspn(p + 2, "}");
		name = xstrndup(p + 2, len);
		strbuf_adds(w, sh_var(sh, name));
		free(name);
		return p + 2 + len + (p[2 + len] == '}');
	}
	if (p[1] == '?') {
		strbuf_adds(w, sh_var(sh, "?"));
		return p + 2;
	}
	for (len = 0; isalnum((unsigned char)p[1 + len]) || p[1 + len] == '_';)
		len++;
	if (!len) {
		strbuf_addc(w, '$');
		return p + 1;
	}
	name = xstrndup(p + 1, len);
	strbuf_adds(w, sh_var(sh, name));
	free(name);
	return p + 1 + len;
}

/* --- the lexer ---------------------------------------------------------------------- */

static const char *
lex_double(struct sh *sh, const char *p, struct strbuf *w)
{
	while (*p && *p != '"') {
		if (*p == '\\' && p[1] && strchr("\"\\$`", p[1])) {
			strbuf_addc(w, p[1]);
			p += 2;
		} else if (*p == '$') {
			p = expand(sh, p, w);
		} else {
			strbuf_addc(w, *p++);
		}
	}
	return *p ? p + 1 : p;
}

/* A word's text as the shell gives it to the command: quotes removed,
 * $VAR and $(...) expanded; *QUOTED says it had quotes (so it stays even
 * when empty). Expanded when its command runs, after the assignments
 * before it. */
static char *
expand_word(struct sh *sh, const char *p, int *quoted)
{
	struct strbuf w = STRBUF_INIT;

	*quoted = 0;
	while (*p) {
		if (*p == '\'') {
			size_t len = strcspn(p + 1, "'");

			strbuf_add(&w, p + 1, len);
			p += 1 + len + (p[1 + len] == '\'');
			*quoted = 1;
		} else if (*p == '"') {
			p = lex_double(sh, p + 1, &w);
			*quoted = 1;
		} else if (*p == '\\' && p[1]) {
			strbuf_addc(&w, p[1]);
			p += 2;
		} else if (*p == '$') {
			p = expand(sh, p, &w);
		} else {
			strbuf_addc(&w, *p++);
		}
	}
	if (!w.len)
		strbuf_adds(&w, "");
	return strbuf_detach(&w);
}

/* The end of the word at P: quotes and $(...) may hold spaces. */
static const char *
word_end(const char *p)
{
	while (*p && !isspace((unsigned char)*p) && !strchr(";&|<>()", *p)) {
		if (*p == '\'') {
			p += 1 + strcspn(p + 1, "'");
			p += *p == '\'';
		} else if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				p += *p == '\\' && p[1];
			p += *p == '"';
		} else if (*p == '$' && p[1] == '(') {
			int depth = 0;

			for (p++; *p; p++) {
				depth += *p == '(';
				depth -= *p == ')';
				if (!depth)
					break;
			}
			p += *p == ')';
		} else {
			p += 1 + (*p == '\\' && p[1]);
		}
	}
	return p;
}

static const char *
lex_word(const char *p, struct toks *t)
{
	const char *end = word_end(p);

	toks_push(t, T_WORD, xstrndup(p, (size_t)(end - p)), 0);
	return end;
}

static const struct {
	const char *text;
	enum tok_kind kind;
} ops[] = {
	{ "2>&1", T_ERR_TO_OUT }, { "&&", T_AND }, { "||", T_OR },
	{ ">>", T_APPEND }, { "2>", T_ERR_OUT }, { ";", T_SEMI },
	{ "\n", T_SEMI }, { "|", T_PIPE }, { ">", T_OUT }, { "<", T_IN },
	{ "&", T_UNKNOWN }, { "(", T_UNKNOWN }, { ")", T_UNKNOWN },
};

static const char *
lex_op(const char *p, struct toks *t)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t len = strlen(ops[i].text);

		if (strncmp(p, ops[i].text, len) == 0) {
			toks_push(t, ops[i].kind, NULL, 0);
			return p + len;
		}
	}
	return NULL;
}

static void
lex(const char *p, struct toks *t)
{
	while (*p) {
		const char *next;

		if (*p == ' ' || *p == '\t') {
			p++;
		} else if (*p == '#') {
			p += strcspn(p, "\n");
		} else if ((next = lex_op(p, t)) != NULL) {
			p = next;
		} else if (*p == '!' && (p[1] == ' ' || p[1] == '\t')) {
			toks_push(t, T_BANG, NULL, 0);
			p++;
		} else {
			p = lex_word(p, t);
		}
	}
}

/* --- running commands --------------------------------------------------------------- */

/* Keywords and forms the world does not follow: the line is unknown. */
static int
is_compound(const char *word)
{
	static const char *const kw[] = { "if", "then", "for", "while",
		"until", "case", "do", "done", "fi", "{", "}", "function",
		NULL };

	for (size_t i = 0; kw[i]; i++)
		if (strcmp(word, kw[i]) == 0)
			return 1;
	return 0;
}

static const char *
file_text(struct sh *sh, const char *path)
{
	return cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(sh->files, path));
}

static void
write_file(struct sh *sh, const char *path, const char *text, int append)
{
	char *joined;

	if (strcmp(path, "/dev/null") == 0)
		return;
	joined = xasprintf("%s%s", append && file_text(sh, path)
			   ? file_text(sh, path) : "", text);
	cJSON_DeleteItemFromObjectCaseSensitive(sh->files, path);
	cJSON_AddStringToObject(sh->files, path, joined);
	free(joined);
}

struct cmd {
	char **argv;
	int argc;
	const char *out_file;	/* > or >> */
	int append;
	const char *err_file;	/* 2> */
	int err_to_out;		/* 2>&1 */
	const char *in_file;	/* < */
	char **owned;		/* the expanded words */
	int n_owned;
};

/* One simple command from T[*I]; stops at | && || ; or the end. Its
 * words are the raw text; run_cmd expands them. */
static int
parse_cmd(const struct toks *t, size_t *i, struct cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->argv = xcalloc(t->n + 1, sizeof(*c->argv));
	for (; *i < t->n; (*i)++) {
		const struct tok *k = &t->v[*i];
		const char **slot = k->kind == T_OUT || k->kind == T_APPEND
			? &c->out_file : k->kind == T_ERR_OUT ? &c->err_file
			: k->kind == T_IN ? &c->in_file : NULL;

		if (k->kind == T_WORD) {
			c->argv[c->argc++] = k->text;
		} else if (k->kind == T_ERR_TO_OUT) {
			c->err_to_out = 1;
		} else if (slot) {
			if (*i + 1 >= t->n || t->v[*i + 1].kind != T_WORD)
				return -1;
			c->append |= k->kind == T_APPEND;
			*slot = t->v[++*i].text;
		} else if (k->kind == T_UNKNOWN) {
			return -1;
		} else {
			break;
		}
	}
	return 0;
}

/* NAME=VALUE words before the command: shell assignments. */
static int
take_assignments(struct sh *sh, struct cmd *c)
{
	int n = 0;

	while (n < c->argc) {
		const char *eq = strchr(c->argv[n], '=');
		const char *p = c->argv[n];

		if (!eq || eq == p || !(isalpha((unsigned char)*p) || *p == '_'))
			break;
		while (p < eq && (isalnum((unsigned char)*p) || *p == '_'))
			p++;
		if (p != eq)
			break;
		{
			char *name = xstrndup(c->argv[n],
					      (size_t)(eq - c->argv[n]));

			set_var(sh, name, eq + 1);
			free(name);
		}
		n++;
	}
	return n;
}

/* Expand C's words in place (each replaced by a fresh string that
 * c->owned keeps), dropping unquoted words that expand to nothing. */
static void
expand_cmd(struct sh *sh, struct cmd *c)
{
	int n = 0;
	const char **files[] = { &c->out_file, &c->err_file, &c->in_file };

	c->owned = xcalloc((size_t)c->argc + 4, sizeof(*c->owned));
	for (int a = 0; a < c->argc; a++) {
		int quoted;
		char *w = expand_word(sh, c->argv[a], &quoted);

		c->owned[c->n_owned++] = w;
		if (*w || quoted)
			c->argv[n++] = w;
	}
	c->argv[n] = NULL;
	c->argc = n;
	for (size_t f = 0; f < 3; f++) {
		int quoted;

		if (!*files[f])
			continue;
		c->owned[c->n_owned] = expand_word(sh, *files[f], &quoted);
		*files[f] = c->owned[c->n_owned++];
	}
}

static void
cmd_done(struct cmd *c)
{
	for (int i = 0; i < c->n_owned; i++)
		free(c->owned[i]);
	free(c->owned);
	free(c->argv);
}

static int
run_cmd(struct sh *sh, struct cmd *c, const char *in, struct strbuf *out,
	struct strbuf *err)
{
	int skip;
	struct io io = { .in = in, .out = out, .err = err };

	if (c->argc && is_compound(c->argv[0])) {
		sh->unknown = 1;
		return 127;
	}
	expand_cmd(sh, c);
	skip = take_assignments(sh, c);
	if (skip == c->argc)
		return 0;
	if (c->in_file)
		io.in = file_text(sh, c->in_file) ? file_text(sh, c->in_file)
						  : "";
	return world_tool(sh, c->argc - skip, c->argv + skip, &io);
}

/* Route a command's output as its redirections say. */
static void
route(struct sh *sh, const struct cmd *c, struct strbuf *out,
      struct strbuf *err, struct strbuf *pipe_or_line, struct strbuf *line)
{
	struct strbuf *o = pipe_or_line;

	if (c->err_to_out && !c->err_file) {
		strbuf_adds(out, err->len ? err->buf : "");
		strbuf_reset(err);
	}
	if (c->out_file)
		write_file(sh, c->out_file, out->len ? out->buf : "", c->append);
	else
		strbuf_adds(o, out->len ? out->buf : "");
	if (c->err_file)
		write_file(sh, c->err_file, err->len ? err->buf : "", 0);
	else
		strbuf_adds(line, err->len ? err->buf : "");
}

/* One pipeline from T[*I]: its exit status (negated by a leading !). */
static int
run_pipeline(struct sh *sh, const struct toks *t, size_t *i,
	     struct strbuf *line)
{
	int bang = 0, status = 0;
	struct strbuf in = STRBUF_INIT;

	if (*i < t->n && t->v[*i].kind == T_BANG) {
		bang = 1;
		(*i)++;
	}
	for (;;) {
		struct cmd c;
		struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
		struct strbuf next = STRBUF_INIT;
		int last;

		if (parse_cmd(t, i, &c) < 0) {
			sh->unknown = 1;
			cmd_done(&c);
			break;
		}
		last = !(*i < t->n && t->v[*i].kind == T_PIPE);
		status = run_cmd(sh, &c, in.len ? in.buf : "", &out, &err);
		route(sh, &c, &out, &err, last ? line : &next, line);
		strbuf_done(&out);
		strbuf_done(&err);
		cmd_done(&c);
		strbuf_done(&in);
		in = next;
		if (last || sh->unknown)
			break;
		(*i)++;
	}
	strbuf_done(&in);
	return bang ? !status : status;
}

static void
set_status(struct sh *sh, int status)
{
	sh->status = status;
	snprintf(sh->status_text, sizeof(sh->status_text), "%d", status);
}

/* Pipelines joined by && || ;: each runs or not as the shell would. */
static int
run_tokens(struct sh *sh, const struct toks *t, struct strbuf *out)
{
	size_t i = 0;
	int skip = 0;

	while (i < t->n && !sh->unknown) {
		enum tok_kind join;

		if (t->v[i].kind == T_SEMI) {
			i++;
			continue;
		}
		if (!skip)
			set_status(sh, run_pipeline(sh, t, &i, out));
		else
			while (i < t->n && t->v[i].kind != T_AND &&
			       t->v[i].kind != T_OR && t->v[i].kind != T_SEMI)
				i++;
		if (i >= t->n)
			break;
		join = t->v[i++].kind;
		skip = join == T_AND ? sh->status != 0
		     : join == T_OR ? sh->status == 0 : 0;
	}
	return sh->status;
}

static int
run_line(struct sh *sh, const char *line, struct strbuf *out)
{
	struct toks t = { 0 };
	int rc;

	lex(line, &t);
	rc = run_tokens(sh, &t, out);
	toks_free(&t);
	return rc;
}

int
world_simulate(cJSON *state, const char *command, world_var_cb *var,
	       const void *arg, struct world_run *run)
{
	struct sh sh = { 0 };
	struct strbuf out = STRBUF_INIT;
	cJSON *orig = cJSON_Duplicate(state, 1);

	world_normalise(orig);
	sh.state = cJSON_Duplicate(orig, 1);
	sh.vars = cJSON_CreateObject();
	sh.files = cJSON_CreateObject();
	sh.var = var;
	sh.arg = arg;
	set_status(&sh, 0);
	run_line(&sh, command, &out);
	cJSON_Delete(sh.vars);
	cJSON_Delete(sh.files);
	if (sh.unknown) {
		cJSON_Delete(orig);
		cJSON_Delete(sh.state);
		strbuf_done(&out);
		return 0;
	}
	run->changed = !cJSON_Compare(orig, sh.state, 1);
	cJSON_Delete(orig);
	if (run->changed)
		world_replace_state(state, sh.state);
	else
		cJSON_Delete(sh.state);
	run->output = strbuf_detach(&out);
	run->exit_code = sh.status;
	return 1;
}
