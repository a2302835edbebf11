/* The console's keymap (tui/keymap.c): one key means one thing across the
 * live console's contexts, and the KEYS section of rewind(1) is the
 * bindings table, so neither can drift. `check_keymap --man-keys` prints
 * that section as it must read. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "strbuf.h"

/* Whether binding I is the first of its action in its context (several
 * keys, one entry). */
static int
first_of_its_action(const struct binding *b, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (b[j].ctx == b[i].ctx && b[j].act == b[i].act)
			return 0;
	return 1;
}

/* The KEYS section's body (from its first .SS on): per context, each
 * action with its keys, as the help overlay lists them. */
static void
man_keys(struct strbuf *sb)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);
	char keys[64];

	for (int ctx = 0; ctx < KM_COUNT; ctx++) {
		strbuf_addf(sb, ".SS %s\n", keymap_ctx_name(ctx));
		for (size_t i = 0; i < n; i++) {
			if ((int)b[i].ctx != ctx || !first_of_its_action(b, i))
				continue;
			keymap_keys_for(b[i].ctx, b[i].act, keys, sizeof(keys));
			strbuf_addf(sb, ".TP\n.B \"%s\"\n%s\n", keys,
				    uiact_help(b[i].act));
		}
	}
}

/* The KEYS section of the man page at PATH, from its first .SS to the
 * next .SH; caller frees. NULL when there is none. */
static char *
read_keys_section(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char line[1024];
	int in_keys = 0, in_body = 0;
	FILE *f = fopen(path, "r");

	ck_assert_msg(f != NULL, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, ".SH", 3) == 0) {
			if (in_keys)
				break;
			in_keys = strcmp(line, ".SH KEYS\n") == 0;
			continue;
		}
		in_body |= in_keys && strncmp(line, ".SS", 3) == 0;
		if (in_body)
			strbuf_adds(&sb, line);
	}
	fclose(f);
	if (sb.len)
		return strbuf_detach(&sb);
	strbuf_done(&sb);
	return NULL;
}

/* A y/N question's answer keys (a dialog's, never a command), and the
 * keys that edit a typed value in a dialog that takes a line (Home, End,
 * Left, Right, Backspace, Ctrl-U, Ctrl-W work in the text as in every
 * line editor, as typed letters are text there, not commands). */
static int
is_answer(enum uiact act)
{
	return act == UI_YES || act == UI_NO || act == UI_INPUT_LEFT ||
	       act == UI_INPUT_RIGHT || act == UI_INPUT_HOME ||
	       act == UI_INPUT_END || act == UI_INPUT_BACKSPACE ||
	       act == UI_INPUT_CLEAR || act == UI_INPUT_DELETE_WORD;
}

START_TEST(test_keymap_one_key_means_one_thing_in_the_console)
{
	size_t n;
	const struct binding *b = keymap_bindings(&n);

	/* The replay console is its own keymap; Enter everywhere acts on
	 * what is selected (a step, a tag, a version, a dialog's answer);
	 * y and n in a y/N question are the answer typed, as text is in
	 * a dialog that takes a line, and so are its editing keys. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (b[i].key != b[j].key || b[i].ctx == KM_REPLAY ||
			    b[j].ctx == KM_REPLAY || b[i].key == '\n' ||
			    is_answer(b[i].act) || is_answer(b[j].act))
				continue;
			ck_assert_msg(b[i].act == b[j].act, "key %s is %s in "
				      "%s but %s in %s", b[i].label,
				      uiact_name(b[i].act),
				      keymap_ctx_name(b[i].ctx),
				      uiact_name(b[j].act),
				      keymap_ctx_name(b[j].ctx));
		}
}
END_TEST

START_TEST(test_keymap_man_page_lists_every_binding)
{
	const char *src = getenv("REWIND_SRCDIR");
	char *path = NULL, *got;
	struct strbuf want = STRBUF_INIT;

	ck_assert_int_gt(asprintf(&path, "%s/doc/rewind.1", src ? src : "."), 0);
	got = read_keys_section(path);
	man_keys(&want);
	ck_assert_msg(got && strcmp(got, want.buf) == 0,
		      "%s: the KEYS section differs from the bindings; it "
		      "must read (tests/unit/check_keymap --man-keys):\n%s",
		      path, want.buf);
	free(got);
	free(path);
	strbuf_done(&want);
}
END_TEST

static Suite *
keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("keymap");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_keymap_one_key_means_one_thing_in_the_console);
	tcase_add_test(tc, test_keymap_man_page_lists_every_binding);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	SRunner *sr;
	int n_failed;

	if (argc > 1 && strcmp(argv[1], "--man-keys") == 0) {
		struct strbuf sb = STRBUF_INIT;

		man_keys(&sb);
		fputs(sb.buf, stdout);
		strbuf_done(&sb);
		return EXIT_SUCCESS;
	}
	sr = srunner_create(keymap_suite());
	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
