/* A command's SGR sequences: the parser splits lines into styled runs and
 * leaves every other byte as text; the curses mapping (drawn into a real
 * window on a terminal writing to /dev/null, read back cell by cell) gives
 * colours and attributes, takes no columns and keeps alignment. */
#include "config.h"

#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgr.h"
#include "sgrdraw.h"
#include "strbuf.h"
#include "theme.h"

/* ---- the parser, table-driven ------------------------------------------ */

static void
describe_color(struct strbuf *sb, char tag, const struct sgr_color *c)
{
	if (c->kind == SGR_COLOR_INDEXED)
		strbuf_addf(sb, "%c%d", tag, c->value);
	else if (c->kind == SGR_COLOR_RGB)
		strbuf_addf(sb, "%c#%06x", tag, (unsigned)c->value);
}

/* The runs of TEXT as "<style>text...", style being flag letters (bold,
 * dim, italic, underline, reverse), f<fg> and g<bg>. */
static char *
describe(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	struct sgr_iter it;
	struct sgr_run run;

	sgr_iter_init(&it, text, strlen(text));
	while (sgr_iter_next(&it, &run)) {
		strbuf_addc(&sb, '<');
		for (int b = 0; b < 5; b++)
			if (run.style.flags & (1u << b))
				strbuf_addc(&sb, "bdiur"[b]);
		describe_color(&sb, 'f', &run.style.fg);
		describe_color(&sb, 'g', &run.style.bg);
		strbuf_addc(&sb, '>');
		strbuf_add(&sb, text + run.off, run.len);
	}
	return strbuf_detach(&sb);
}

struct parse_case {
	const char *in;
	const char *runs;
};

static const struct parse_case cases[] = {
	{ "plain", "<>plain" },
	{ "a\033[31mRED\033[0mz", "<>a<f1>RED<>z" },
	{ "\033[1;2;3;4;7mX\033[22mY\033[23;24mZ\033[27mW",
	  "<bdiur>X<iur>Y<r>Z<>W" },
	{ "\033[38;5;208mO\033[39mP", "<f208>O<>P" },
	{ "\033[38;2;255;0;128mT", "<f#ff0080>T" },
	{ "\033[48;2;1;2;3mT\033[49mU", "<g#010203>T<>U" },
	{ "\033[48;5;17;38;5;231mN", "<f231g17>N" },
	{ "\033[91;102mB\033[37;40mC", "<f9g10>B<f7g0>C" },
	{ "\033[mA\033[;1mB\033[1;mC", "<>A<b>B<>C" },
	{ "\033[31m\033[1mX", "<bf1>X" },
	{ "\033[001mX", "<b>X" },
	{ "a\033[31m", "<>a" },
	{ "\033[31m", "" },
	{ "\303\251\033[1m\342\234\223", "<>\303\251<b>\342\234\223" },
	{ "\033\033[31mX", "<>\033<f1>X" },
	/* Codes we take but do not draw: blink, conceal, strike, 58. */
	{ "\033[5;8;9mX", "<>X" },
	{ "\033[58;5;1;4mU", "<u>U" },
	{ "\033[58;2;1;2;3mV", "<>V" },
	/* Everything else stays text, as the sanitizer will show it. */
	{ "home\033[Hclear\033[2Jend", "<>home\033[Hclear\033[2Jend" },
	{ "t\033]0;pwned\007s", "<>t\033]0;pwned\007s" },
	{ "\033P1$r0m\033\\", "<>\033P1$r0m\033\\" },
	{ "x\033[31", "<>x\033[31" },
	{ "x\033[", "<>x\033[" },
	{ "x\033", "<>x\033" },
	{ "\033[1000mX", "<>\033[1000mX" },
	{ "\033[256mX", "<>\033[256mX" },
	{ "\033[108mX", "<>\033[108mX" },
	{ "\033[38;5;256mX", "<>\033[38;5;256mX" },
	{ "\033[38;5mX", "<>\033[38;5mX" },
	{ "\033[38mX", "<>\033[38mX" },
	{ "\033[38;2;1;2mX", "<>\033[38;2;1;2mX" },
	{ "\033[38;3;1mX", "<>\033[38;3;1mX" },
	{ "\033[38:5:1mX", "<>\033[38:5:1mX" },
	{ "\033[?25lX", "<>\033[?25lX" },
	{ "\033[>4;2mX", "<>\033[>4;2mX" },
	{ "\033[1 mX", "<>\033[1 mX" },
	{ "\033[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1mX",
	  "<>\033[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;1mX" },
	{ "\033[1;1;1;1;1;1;1;1;1;1;1;1;1;1;1;4mX", "<bu>X" },
	/* A bad sequence changes nothing, a good one after it still counts. */
	{ "\033[31;999mA\033[32mB", "<>\033[31;999mA<f2>B" },
	{ "\033[1m\033[2JA", "<b>\033[2JA" },
};

START_TEST(test_sgr_splits_lines_into_styled_runs)
{
	char *got = describe(cases[_i].in);

	ck_assert_msg(strcmp(got, cases[_i].runs) == 0,
		      "case %d: got \"%s\", want \"%s\"", _i, got,
		      cases[_i].runs);
	free(got);
}
END_TEST

START_TEST(test_sgr_parse_reads_no_further_than_len)
{
	struct sgr_style st = { 0 };
	char seq[256];

	/* A long run of ";": empty numbers, too many of them. */
	strcpy(seq, "\033[");
	memset(seq + 2, ';', 200);
	strcpy(seq + 202, "m");
	ck_assert_uint_eq(sgr_parse(seq, strlen(seq), &st), 0);
	ck_assert_uint_eq(sgr_parse("\033[1m", 4, &st), 4);
	ck_assert_uint_eq(st.flags, SGR_BOLD);
	/* LEN bounds the read: a sequence cut short is not taken. */
	ck_assert_uint_eq(sgr_parse("\033[4m", 3, &st), 0);
	ck_assert_uint_eq(st.flags, SGR_BOLD);
}
END_TEST

/* Random lines from an alphabet rich in escape bytes: every byte is in
 * exactly one run or one taken sequence, and no run holds a sequence the
 * parser would take. */
START_TEST(test_sgr_runs_cover_every_byte_once)
{
	static const char alpha[] =
		"\033\033[[;;0123456789m m38:5;2;?]\007\303\251x";
	unsigned seed = 12345;

	for (int round = 0; round < 20000; round++) {
		char line[48];
		size_t len = 0, pos = 0;
		struct sgr_iter it;
		struct sgr_run run;
		struct sgr_style scratch = { 0 };

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % (sizeof(line) - 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			line[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		line[len] = '\0';
		sgr_iter_init(&it, line, len);
		while (sgr_iter_next(&it, &run)) {
			while (pos < run.off) {
				size_t n = sgr_parse(line + pos, len - pos,
						     &scratch);

				ck_assert_msg(n > 0, "byte %zu of \"%s\" lost",
					      pos, line);
				pos += n;
			}
			ck_assert_uint_eq(pos, run.off);
			for (size_t j = run.off; j < run.off + run.len; j++)
				ck_assert_uint_eq(sgr_parse(line + j, len - j,
							    &scratch), 0);
			pos += run.len;
		}
		while (pos < len) {
			size_t n = sgr_parse(line + pos, len - pos, &scratch);

			ck_assert_msg(n > 0, "tail of \"%s\" lost", line);
			pos += n;
		}
	}
}
END_TEST

START_TEST(test_sgr_contains_matches_the_text_as_shown)
{
	char *s = sgr_strip("R\033[1mE\033[0mD \033[2Jx");

	ck_assert_str_eq(s, "RED \033[2Jx");
	free(s);
	ck_assert(sgr_contains("R\033[1mE\033[0mD", "RED"));
	ck_assert(!sgr_contains("R\033[1mE\033[0mD", "[1m"));
	ck_assert(sgr_contains("clear\033[2J", "[2J"));
	ck_assert(sgr_contains("plain text", "in te"));
	ck_assert(!sgr_contains("plain text", "RED"));
}
END_TEST

/* ---- the curses mapping ------------------------------------------------ */

static SCREEN *scr;
static WINDOW *win;

static void
start_terminal(const char *term, int mono)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	char msg[256];

	setlocale(LC_ALL, "C.UTF-8");
	if (mono)
		setenv("NO_COLOR", "1", 1);
	else
		unsetenv("NO_COLOR");
	scr = newterm(term, out, in);
	ck_assert(scr != NULL);
	theme_init(NULL, msg, sizeof(msg));
	win = newwin(24, 80, 0, 0);
}

static void
setup_colour(void)
{
	start_terminal("xterm-256color", 0);
}

static void
setup_eight(void)
{
	start_terminal("xterm", 0);
}

static void
setup_mono(void)
{
	start_terminal("xterm-256color", 1);
}

static void
teardown(void)
{
	delwin(win);
	endwin();
	delscreen(scr);
	theme_end();
}

/* Row Y of the window as text, trailing blanks cut. */
static const char *
row(int y)
{
	static char buf[512];
	int n;

	memset(buf, 0, sizeof(buf));
	mvwinnstr(win, y, 0, buf, 80);
	n = (int)strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return buf;
}

struct cell {
	wchar_t wc[CCHARW_MAX + 1];
	attr_t attrs;
	int fg, bg;		/* the pair's colours; -1: default */
	int pair;
};

static struct cell
cell_at(int y, int x)
{
	struct cell c;
	cchar_t cc;
	short pair;

	memset(&c, 0, sizeof(c));
	mvwin_wch(win, y, x, &cc);
	getcchar(&cc, c.wc, &c.attrs, &pair, NULL);
	c.pair = pair;
	extended_pair_content(pair, &c.fg, &c.bg);
	return c;
}

static int
role_fg(enum theme_role role)
{
	int fg, bg;

	extended_pair_content(PAIR_NUMBER(theme_attr(role)), &fg, &bg);
	return fg;
}

START_TEST(test_sgrdraw_colours_take_no_columns)
{
	int used = sgrdraw_line(win, 0, 0, 80,
				"a\033[31mRED\033[0m \033[1;4mB\033[22;24m"
				"\033[38;5;208mO\033[38;2;255;0;0mT\033[7mR",
				ROLE_LOG);
	struct cell c;

	ck_assert_int_eq(used, 9);
	ck_assert_str_eq(row(0), "aRED BOTR");
	c = cell_at(0, 0);
	ck_assert_int_eq(c.fg, role_fg(ROLE_LOG));
	ck_assert_int_eq(c.pair, PAIR_NUMBER(theme_attr(ROLE_LOG)));
	c = cell_at(0, 1);
	ck_assert_int_eq(c.fg, COLOR_RED);
	ck_assert_int_eq(c.bg, -1);	/* the log role's background */
	ck_assert(!(c.attrs & A_BOLD));
	c = cell_at(0, 5);
	ck_assert(c.attrs & A_BOLD);
	ck_assert(c.attrs & A_UNDERLINE);
	ck_assert_int_eq(c.fg, role_fg(ROLE_LOG));
	c = cell_at(0, 6);
	ck_assert(!(c.attrs & (A_BOLD | A_UNDERLINE)));
	ck_assert_int_eq(c.fg, 208);
	c = cell_at(0, 7);
	ck_assert_int_eq(c.fg, 196);	/* #ff0000 on the 256 palette */
	c = cell_at(0, 8);
	ck_assert(c.attrs & A_REVERSE);
}
END_TEST

START_TEST(test_sgrdraw_hostile_sequences_stay_visible)
{
	sgrdraw_line(win, 0, 0, 80,
		     "\033[31mX\033[2J\033]0;t\007\033[38;5;999mY", ROLE_LOG);
	ck_assert_str_eq(row(0), "X^[[2J^[]0;t^G^[[38;5;999mY");
	/* The red goes on over the text of the sequences it did not take. */
	ck_assert_int_eq(cell_at(0, 1).fg, COLOR_RED);
	ck_assert_int_eq(cell_at(0, 26).fg, COLOR_RED);
}
END_TEST

START_TEST(test_sgrdraw_keeps_wide_and_combining_alignment)
{
	/* U+6F22 (two columns), then e + U+0301 (one column). */
	sgrdraw_line(win, 0, 0, 80,
		     "\033[1m\346\274\242\033[0mx e\033[31m\314\201|",
		     ROLE_LOG);
	ck_assert_str_eq(row(0), "\346\274\242x e\314\201|");
	ck_assert(cell_at(0, 0).attrs & A_BOLD);
	ck_assert_int_eq(cell_at(0, 2).wc[0], L'x');
	ck_assert_int_eq(cell_at(0, 4).wc[0], L'e');
	ck_assert_int_eq(cell_at(0, 4).wc[1], 0x301);
	ck_assert_int_eq(cell_at(0, 5).wc[0], L'|');
	ck_assert_int_eq(cell_at(0, 5).fg, COLOR_RED);
}
END_TEST

START_TEST(test_sgrdraw_clips_at_the_width)
{
	int used;

	/* The wide character does not fit in the one column left, and
	 * nothing after it is drawn either. */
	used = sgrdraw_line(win, 0, 0, 3, "ab\033[31m\346\274\242\033[0mc",
			    ROLE_LOG);
	ck_assert_int_eq(used, 2);
	ck_assert_str_eq(row(0), "ab");
	used = sgrdraw_line(win, 1, 0, 4, "\033[1mabc\033[0mdef", ROLE_LOG);
	ck_assert_int_eq(used, 4);
	ck_assert_str_eq(row(1), "abcd");
	/* A combining mark after the last column still joins its base. */
	used = sgrdraw_line(win, 3, 0, 2, "ae\033[1m\314\201z", ROLE_LOG);
	ck_assert_int_eq(used, 2);
	ck_assert_int_eq(cell_at(3, 1).wc[1], 0x301);
	ck_assert_str_eq(row(3), "ae\314\201");
	/* A search hit: no SGR drawn, one style. */
	used = sgrdraw_plain(win, 2, 0, 80, "R\033[31mE\033[0mD",
			     theme_attr(ROLE_SEARCH_MATCH));
	ck_assert_int_eq(used, 3);
	ck_assert_str_eq(row(2), "RED");
	ck_assert_int_eq(cell_at(2, 1).pair,
			 PAIR_NUMBER(theme_attr(ROLE_SEARCH_MATCH)));
}
END_TEST

START_TEST(test_sgrdraw_wrapped_carries_the_style_across_rows)
{
	int rows = sgrdraw_wrapped(win, 0, 0, 6, 10,
				   "one \033[32mgreen words\033[0m end\n"
				   "\033[1mbold\nplain", ROLE_LOG);

	ck_assert_int_eq(rows, 6);
	ck_assert_str_eq(row(0), "one");
	ck_assert_str_eq(row(1), "green");
	ck_assert_str_eq(row(2), "words");
	ck_assert_str_eq(row(3), "end");
	ck_assert_str_eq(row(4), "bold");
	ck_assert_str_eq(row(5), "plain");
	ck_assert_int_eq(cell_at(0, 0).fg, role_fg(ROLE_LOG));
	ck_assert_int_eq(cell_at(1, 0).fg, COLOR_GREEN);
	ck_assert_int_eq(cell_at(2, 4).fg, COLOR_GREEN);
	ck_assert_int_eq(cell_at(3, 1).fg, role_fg(ROLE_LOG));
	ck_assert(cell_at(4, 0).attrs & A_BOLD);
	/* Only the rows given are used; a style ends with its line. */
	werase(win);
	ck_assert_int_eq(sgrdraw_wrapped(win, 0, 0, 6, 2, "\033[1mbold\n"
					 "plain\nmore", ROLE_LOG), 2);
	ck_assert_str_eq(row(1), "plain");
	ck_assert(!(cell_at(1, 0).attrs & A_BOLD));
	ck_assert_str_eq(row(2), "");
}
END_TEST

START_TEST(test_sgrdraw_falls_back_to_no_colour_when_pairs_run_out)
{
	char line[64];
	int n_coloured = 0;

	for (int i = 0; i < 200; i++) {
		struct cell c;

		snprintf(line, sizeof(line), "\033[1;38;5;%d;48;5;%dmX",
			 16 + i % 216, 16 + i / 2);
		werase(win);
		sgrdraw_line(win, 0, 0, 80, line, ROLE_LOG);
		c = cell_at(0, 0);
		ck_assert(c.attrs & A_BOLD);	/* attributes stay */
		ck_assert_int_lt(c.pair, 256);
		if (c.fg == 16 + i % 216)
			n_coloured++;
		else
			ck_assert_int_eq(c.pair,
					 PAIR_NUMBER(theme_attr(ROLE_LOG)));
	}
	ck_assert_int_ge(n_coloured, 32);
	ck_assert_int_lt(n_coloured, 200);
}
END_TEST

START_TEST(test_sgrdraw_eight_colours_get_the_nearest_of_eight)
{
	ck_assert_int_eq(COLORS, 8);
	sgrdraw_line(win, 0, 0, 80,
		     "\033[31mR\033[38;5;208mO\033[38;2;0;0;238mB"
		     "\033[0;91mH\033[0;48;5;46mG", ROLE_LOG);
	ck_assert_str_eq(row(0), "ROBHG");
	ck_assert_int_eq(cell_at(0, 0).fg, COLOR_RED);
	ck_assert_int_ge(cell_at(0, 1).fg, 0);
	ck_assert_int_lt(cell_at(0, 1).fg, 8);
	ck_assert_int_eq(cell_at(0, 2).fg, COLOR_BLUE);
	/* Bright red: red, made bright by bold. */
	ck_assert_int_eq(cell_at(0, 3).fg, COLOR_RED);
	ck_assert(cell_at(0, 3).attrs & A_BOLD);
	ck_assert_int_eq(cell_at(0, 4).bg, COLOR_GREEN);
}
END_TEST

START_TEST(test_sgrdraw_no_color_keeps_attributes_only)
{
	sgrdraw_line(win, 0, 0, 80,
		     "\033[31;42mR\033[1mB\033[0;4mU\033[38;2;0;255;0;7mV",
		     ROLE_LOG);
	ck_assert_str_eq(row(0), "RBUV");
	for (int x = 0; x < 4; x++)
		ck_assert_int_eq(cell_at(0, x).pair, 0);
	ck_assert(cell_at(0, 1).attrs & A_BOLD);
	ck_assert(cell_at(0, 2).attrs & A_UNDERLINE);
	ck_assert(cell_at(0, 3).attrs & A_REVERSE);
}
END_TEST

static Suite *
sgr_suite(void)
{
	Suite *s = suite_create("sgr");
	TCase *parse = tcase_create("parse");
	TCase *colour = tcase_create("colour");
	TCase *eight = tcase_create("eight");
	TCase *mono = tcase_create("mono");

	tcase_set_timeout(parse, 20);
	tcase_add_loop_test(parse, test_sgr_splits_lines_into_styled_runs, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(parse, test_sgr_parse_reads_no_further_than_len);
	tcase_add_test(parse, test_sgr_runs_cover_every_byte_once);
	tcase_add_test(parse, test_sgr_contains_matches_the_text_as_shown);
	suite_add_tcase(s, parse);

	tcase_set_timeout(colour, 20);
	tcase_add_checked_fixture(colour, setup_colour, teardown);
	tcase_add_test(colour, test_sgrdraw_colours_take_no_columns);
	tcase_add_test(colour, test_sgrdraw_hostile_sequences_stay_visible);
	tcase_add_test(colour, test_sgrdraw_keeps_wide_and_combining_alignment);
	tcase_add_test(colour, test_sgrdraw_clips_at_the_width);
	tcase_add_test(colour,
		       test_sgrdraw_wrapped_carries_the_style_across_rows);
	tcase_add_test(colour,
		       test_sgrdraw_falls_back_to_no_colour_when_pairs_run_out);
	suite_add_tcase(s, colour);

	tcase_set_timeout(eight, 20);
	tcase_add_checked_fixture(eight, setup_eight, teardown);
	tcase_add_test(eight,
		       test_sgrdraw_eight_colours_get_the_nearest_of_eight);
	suite_add_tcase(s, eight);

	tcase_set_timeout(mono, 20);
	tcase_add_checked_fixture(mono, setup_mono, teardown);
	tcase_add_test(mono, test_sgrdraw_no_color_keeps_attributes_only);
	suite_add_tcase(s, mono);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sgr_suite());
	int n_failed;

	srunner_run_all(sr, CK_ENV);
	n_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
