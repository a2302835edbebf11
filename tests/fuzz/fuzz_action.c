/* Fuzz target: the batch language (stdin of `rewind --batch`, and the
 * action of `rewind approve`). The input is split into lines as batch mode
 * splits stdin, and each line is parsed. Property: an action written back
 * in the language (every argument quoted) parses to the same action, so
 * the parser loses and invents nothing. */
#include "config.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "err.h"
#include "strbuf.h"

static void
add_quoted(struct strbuf *out, const char *word)
{
	strbuf_adds(out, " \"");
	for (const char *p = word; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addc(out, '\\');
		strbuf_addc(out, *p);
	}
	strbuf_addc(out, '"');
}

/* A's arguments in the order the kind's usage line lists them. */
static void
format_action(const struct action *a, struct strbuf *out)
{
	const char *args[4] = { NULL, NULL, NULL, NULL };

	switch (a->kind) {
	case ACT_SET:
		args[0] = a->name;
		args[1] = a->value;
		break;
	case ACT_CHOOSE:
		args[0] = a->step;
		args[1] = a->option;
		args[2] = a->text;
		break;
	case ACT_APPROVE:
		args[0] = a->step;
		args[1] = a->role;
		args[2] = a->name;
		args[3] = a->text;
		break;
	case ACT_NOTE:
		args[0] = a->text;
		break;
	default:
		args[0] = a->step;
		args[1] = a->text;
		break;
	}
	strbuf_adds(out, action_name(a->kind));
	for (int i = 0; i < 4 && args[i]; i++)
		add_quoted(out, args[i]);
}

static int
same_field(const char *x, const char *y)
{
	return (!x && !y) || (x && y && strcmp(x, y) == 0);
}

static int
same_action(const struct action *a, const struct action *b)
{
	return a->kind == b->kind && same_field(a->step, b->step) &&
	       same_field(a->name, b->name) && same_field(a->value, b->value) &&
	       same_field(a->option, b->option) &&
	       same_field(a->role, b->role) && same_field(a->text, b->text);
}

static void
check_line(const char *line)
{
	struct action a, b;
	struct err err = { 0 };
	struct strbuf again = STRBUF_INIT;
	int rc = action_parse(line, &a, &err);

	fuzz_require(rc >= -1 && rc <= 1, "action_parse returns -1, 0 or 1");
	fuzz_require(rc != -1 || err.msg[0], "a refused line says why");
	if (rc != 1)
		return;
	format_action(&a, &again);
	rc = action_parse(again.buf, &b, &err);
	fuzz_require(rc == 1 && same_action(&a, &b),
		     "an action written back parses to the same action");
	action_done(&b);
	action_done(&a);
	strbuf_done(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	char *line = text;

	/* As batch mode reads stdin: lines end at '\n', a final '\r' goes. */
	while (line) {
		char *nl = strchr(line, '\n');
		size_t len;

		if (nl)
			*nl = '\0';
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		check_line(line);
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	return 0;
}
