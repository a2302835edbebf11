/* Parsing the text form of actions: shell-like words with a free-text
 * tail, so a note or reason never needs quoting. */
#include "config.h"
#include "action.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "strbuf.h"
#include "xalloc.h"

struct action_info {
	const char *name;
	const char *usage;
	int min_args;	/* words after the action name that must be present */
	int rest;	/* 1: the last argument takes the rest of the line */
};

static const struct action_info infos[ACT_COUNT] = {
#define X(id, name, usage, min_args, rest) [id] = { name, usage, min_args, rest },
	ACTION_LIST(X)
#undef X
};

/* How many positional words an action has, the tail included. */
static const int max_args[ACT_COUNT] = {
	[ACT_SET] = 2, [ACT_TICK] = 2, [ACT_NA] = 2, [ACT_REOPEN] = 2, [ACT_UNTICK] = 2,
	[ACT_RUN] = 1,
	[ACT_CANCEL] = 1, [ACT_CONFIRM] = 2, [ACT_CHOOSE] = 3,
	[ACT_APPROVE] = 4, [ACT_SEND] = 1, [ACT_NOTE] = 1, [ACT_NEXT] = 0,
	[ACT_QUIT] = 0, [ACT_PREDICT] = 2, [ACT_INJECT] = 1,
	[ACT_HANDOVER] = 1, [ACT_WITHDRAW_HANDOVER] = 0,
};

const char *
action_name(enum action_kind kind)
{
	return kind < ACT_COUNT ? infos[kind].name : "?";
}

const char *
action_usage(enum action_kind kind)
{
	return kind < ACT_COUNT ? infos[kind].usage : "?";
}

static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Read one word at *P into OUT: a quoted string or a run of non-blanks. */
static int
read_word(const char **p, struct strbuf *out, struct err *err)
{
	const char *s = *p;

	if (*s != '"') {
		while (*s && *s != ' ' && *s != '\t')
			strbuf_addc(out, *s++);
		*p = s;
		return 0;
	}
	for (s++; *s && *s != '"'; s++) {
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
			s++;
		strbuf_addc(out, *s);
	}
	if (*s != '"')
		return err_set(err, ERR_PARSE, "unterminated double quote");
	*p = s + 1;
	return 0;
}

/* The free-text tail: the rest of the line, unquoted when it is exactly
 * one quoted word, so `note "x"` and `note x` mean the same. */
static int
read_tail(const char *p, struct strbuf *out, struct err *err)
{
	const char *q = p;
	struct strbuf word = STRBUF_INIT;

	if (*p == '"' && read_word(&q, &word, NULL) == 0 &&
	    *skip_blanks(q) == '\0') {
		strbuf_adds(out, strbuf_str(&word));
		strbuf_done(&word);
		return 0;
	}
	strbuf_done(&word);
	strbuf_adds(out, p);
	while (out->len && isspace((unsigned char)out->buf[out->len - 1]))
		out->buf[--out->len] = '\0';
	(void)err;
	return 0;
}

static int
lookup_kind(const char *name, enum action_kind *kind)
{
	for (int k = 0; k < ACT_COUNT; k++) {
		if (strcmp(infos[k].name, name) == 0) {
			*kind = (enum action_kind)k;
			return 0;
		}
	}
	return -1;
}

static int
unknown_action(const char *name, struct err *err)
{
	struct strbuf names = STRBUF_INIT;

	for (int k = 0; k < ACT_COUNT; k++)
		strbuf_addf(&names, "%s%s", k ? ", " : "", infos[k].name);
	err_set(err, ERR_PARSE, "unknown action \"%s\" (expected one of %s)",
		name, strbuf_str(&names));
	strbuf_done(&names);
	return -1;
}

/* Move the positional words into the fields the kind uses. */
static void
assign_args(struct action *a, char **args)
{
	switch (a->kind) {
	case ACT_SET:
		a->name = args[0];
		a->value = args[1];
		break;
	case ACT_CHOOSE:
		a->step = args[0];
		a->option = args[1];
		a->text = args[2];
		break;
	case ACT_APPROVE:
		a->step = args[0];
		a->role = args[1];
		a->name = args[2];
		a->text = args[3];
		break;
	case ACT_NOTE:
		a->text = args[0];
		break;
	case ACT_INJECT: case ACT_HANDOVER:
		a->name = args[0];
		break;
	default:
		a->step = args[0];
		a->text = args[1];
		break;
	}
}

static int
parse_args(const char *p, struct action *a, char **args, struct err *err)
{
	const struct action_info *info = &infos[a->kind];
	int n = max_args[a->kind];
	int i;

	for (i = 0; i < n; i++) {
		struct strbuf w = STRBUF_INIT;

		p = skip_blanks(p);
		if (*p == '\0')
			break;
		if (info->rest && i == n - 1)
			read_tail(p, &w, err);
		else if (read_word(&p, &w, err) < 0) {
			strbuf_done(&w);
			return err_prefix(err, "%s", info->name);
		}
		if (info->rest && i == n - 1)
			p += strlen(p);
		args[i] = strbuf_detach(&w);
	}
	if (i < info->min_args)
		return err_set(err, ERR_PARSE, "%s: missing argument (usage: %s)",
			       info->name, info->usage);
	if (*skip_blanks(p) != '\0')
		return err_set(err, ERR_PARSE, "%s: too many arguments (usage: %s)",
			       info->name, info->usage);
	return 0;
}

int
action_parse(const char *line, struct action *a, struct err *err)
{
	struct strbuf word = STRBUF_INIT;
	char *args[4] = { NULL, NULL, NULL, NULL };
	const char *p = skip_blanks(line);

	memset(a, 0, sizeof(*a));
	if (*p == '\0' || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	if (read_word(&p, &word, err) < 0) {
		strbuf_done(&word);
		return -1;
	}
	if (lookup_kind(strbuf_str(&word), &a->kind) < 0) {
		unknown_action(strbuf_str(&word), err);
		strbuf_done(&word);
		return -1;
	}
	strbuf_done(&word);
	if (parse_args(p, a, args, err) < 0) {
		for (int i = 0; i < 4; i++)
			free(args[i]);
		return -1;
	}
	assign_args(a, args);
	return 1;
}

void
action_done(struct action *a)
{
	if (!a)
		return;
	free(a->step);
	free(a->name);
	free(a->value);
	free(a->option);
	free(a->role);
	free(a->text);
	memset(a, 0, sizeof(*a));
}
