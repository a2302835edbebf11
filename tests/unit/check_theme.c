/* Theme files without a terminal: the shipped themes, the parser's warnings,
 * colour scaling, and where theme files and the config file are found. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "suites.h"
#include "testutil.h"
#include "theme_file.h"
#include "xalloc.h"

static const char *const shipped[] = {
	"dark", "light", "high-contrast", "colorblind", "mono",
};

struct warnings {
	int n;
	char first[512];
};

static void
collect(const char *msg, void *arg)
{
	struct warnings *w = arg;

	if (w->n++ == 0)
		snprintf(w->first, sizeof(w->first), "%s", msg);
}

static char *
shipped_path(const char *name)
{
	const char *src = getenv("REWIND_SRCDIR");

	return xasprintf("%s/themes/%s.theme", src && *src ? src : ".", name);
}

/* Load shipped theme NAME over the built-in default; no warnings allowed. */
static void
load_shipped(struct theme *t, const char *name)
{
	char *path = shipped_path(name);
	struct warnings w = { 0 };
	int n = theme_load_file(t, path, collect, &w);

	ck_assert_msg(n == 0, "%s: %d warnings, first: %s", path, n, w.first);
	free(path);
}

static int
style_eq(const struct theme_style *a, const struct theme_style *b)
{
	return a->fg.kind == b->fg.kind && a->fg.value == b->fg.value &&
	       a->bg.kind == b->bg.kind && a->bg.value == b->bg.value &&
	       a->attrs == b->attrs;
}

START_TEST(test_theme_roles_have_unique_names_that_look_up_back)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		const char *name = theme_role_name(r);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(strspn(name, "abcdefghijklmnopqrstuvwxyz_"),
				 strlen(name));
		ck_assert_int_eq(theme_role_lookup(name), r);
	}
	ck_assert_int_eq(theme_role_lookup("STEP_FAILED"), ROLE_STEP_FAILED);
	ck_assert_int_eq(theme_role_lookup("step_fail"), -1);
	ck_assert_int_eq(theme_role_lookup(""), -1);
	ck_assert_ptr_null(theme_role_name(-1));
	ck_assert_ptr_null(theme_role_name(ROLE_COUNT));
}
END_TEST

START_TEST(test_theme_defaults_come_from_the_role_table)
{
	struct theme t = { 0 };

	theme_defaults(&t);
	theme_defaults(&t);
	ck_assert_str_eq(t.name, "dark");
	ck_assert_int_eq(t.mono, 0);
	ck_assert_int_eq(t.styles[ROLE_NORMAL].fg.kind, THEME_COLOR_DEFAULT);
	ck_assert_int_eq(t.styles[ROLE_STEP_FAILED].fg.kind,
			 THEME_COLOR_INDEXED);
	ck_assert_int_eq(t.styles[ROLE_STEP_FAILED].fg.value, 203);
	ck_assert_uint_eq(t.styles[ROLE_STEP_FAILED].attrs, THEME_BOLD);
	theme_defaults_mono(&t);
	ck_assert_str_eq(t.name, "mono");
	ck_assert_int_eq(t.mono, 1);
	ck_assert_uint_eq(t.styles[ROLE_CURSOR].attrs, THEME_REVERSE);
	ck_assert_uint_eq(t.styles[ROLE_TITLE_FOCUS].attrs,
			  THEME_REVERSE | THEME_BOLD);
	ck_assert_uint_eq(t.styles[ROLE_MODE_LIVE].attrs,
			  THEME_REVERSE | THEME_BOLD);
	ck_assert_uint_eq(t.styles[ROLE_STEP_FAILED].attrs, THEME_BOLD);
	theme_done(&t);
	ck_assert_ptr_null(t.name);
	theme_done(NULL);
}
END_TEST

START_TEST(test_theme_shipped_file_parses_without_warnings)
{
	struct theme t = { 0 };

	theme_defaults(&t);
	load_shipped(&t, shipped[_i]);
	ck_assert_int_eq(t.mono, strcmp(shipped[_i], "mono") == 0);
	theme_done(&t);
}
END_TEST

/* A shipped theme names every role, so it never silently inherits a dark
 * default that could clash with its own background. */
START_TEST(test_theme_shipped_file_sets_every_role)
{
	struct theme t = { 0 };

	for (int r = 0; r < ROLE_COUNT; r++)
		t.styles[r].fg.kind = 99;
	load_shipped(&t, shipped[_i]);
	for (int r = 0; r < ROLE_COUNT; r++)
		ck_assert_msg(t.styles[r].fg.kind != 99, "%s: no %s",
			      shipped[_i], theme_role_name(r));
}
END_TEST

START_TEST(test_theme_dark_and_mono_files_match_built_in_ones)
{
	struct theme built_in = { 0 };
	struct theme file = { 0 };

	for (int mono = 0; mono <= 1; mono++) {
		if (mono) {
			theme_defaults_mono(&built_in);
			theme_defaults_mono(&file);
		} else {
			theme_defaults(&built_in);
			for (int r = 0; r < ROLE_COUNT; r++)
				memset(&file.styles[r], 0,
				       sizeof(file.styles[r]));
		}
		load_shipped(&file, mono ? "mono" : "dark");
		ck_assert_int_eq(file.mono, built_in.mono);
		for (int r = 0; r < ROLE_COUNT; r++)
			ck_assert_msg(style_eq(&file.styles[r],
					       &built_in.styles[r]),
				      "%s: %s differs from THEME_ROLES",
				      mono ? "mono" : "dark",
				      theme_role_name(r));
	}
	theme_done(&built_in);
	theme_done(&file);
}
END_TEST

/* Every shipped colour pair keeps text and background apart on 256, 16 and
 * 8 colours, where scaling could round both to one colour. */
START_TEST(test_theme_shipped_colours_stay_apart_when_scaled)
{
	static const int depths[] = { 256, 16, 8 };
	struct theme t = { 0 };

	theme_defaults(&t);
	load_shipped(&t, shipped[_i]);
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		for (int r = 0; r < ROLE_COUNT; r++) {
			int fg = theme_color_to_index(&t.styles[r].fg,
						      depths[d]);
			int bg = theme_color_to_index(&t.styles[r].bg,
						      depths[d]);

			ck_assert_msg(fg < 0 || fg != bg,
				      "%s: %s is %d on %d with %d colours",
				      shipped[_i], theme_role_name(r), fg, bg,
				      depths[d]);
		}
	}
	theme_done(&t);
}
END_TEST

/* Machado et al. (2009) full-severity simulation matrices, applied in an
 * approximately linear RGB (gamma 2). */
static const double cvd[3][3][3] = {
	{ { 0.152286, 1.052583, -0.204868 },	/* protanopia */
	  { 0.114503, 0.786281, 0.099216 },
	  { -0.003882, -0.048116, 1.051998 } },
	{ { 0.367322, 0.860646, -0.227968 },	/* deuteranopia */
	  { 0.280085, 0.672501, 0.047413 },
	  { -0.011820, 0.042940, 0.968881 } },
	{ { 1.255528, -0.076749, -0.178779 },	/* tritanopia */
	  { -0.078411, 0.930809, 0.148602 },
	  { 0.004733, 0.691367, 0.303900 } },
};

static double
cvd_dist2(int a, int b, int kind)
{
	double la[3], lb[3], sum = 0;

	for (int i = 0; i < 3; i++) {
		la[i] = ((a >> (16 - 8 * i)) & 0xff) / 255.0;
		lb[i] = ((b >> (16 - 8 * i)) & 0xff) / 255.0;
		la[i] *= la[i];
		lb[i] *= lb[i];
	}
	for (int i = 0; i < 3; i++) {
		double d = 0;

		for (int j = 0; j < 3; j++)
			d += cvd[kind][i][j] * (la[j] - lb[j]);
		sum += d * d;
	}
	return sum;
}

START_TEST(test_theme_colorblind_states_stay_apart_for_colour_blind_eyes)
{
	static const int pairs[][2] = {
		{ ROLE_OK, ROLE_ERROR },
		{ ROLE_STEP_DONE, ROLE_STEP_FAILED },
		{ ROLE_STEP_RUNNING, ROLE_STEP_FAILED },
		{ ROLE_STEP_DONE, ROLE_STEP_RUNNING },
		{ ROLE_WARNING, ROLE_ERROR },
		{ ROLE_PHASE_DONE, ROLE_PHASE_CURRENT },
	};
	static const char *const kinds[] = { "protan", "deutan", "tritan" };
	struct theme t = { 0 };

	theme_defaults(&t);
	load_shipped(&t, "colorblind");
	for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		int a = theme_color_rgb(&t.styles[pairs[p][0]].fg);
		int b = theme_color_rgb(&t.styles[pairs[p][1]].fg);

		ck_assert_int_ge(a, 0);
		ck_assert_int_ge(b, 0);
		for (int k = 0; k < 3; k++)
			ck_assert_msg(cvd_dist2(a, b, k) > 0.5 * 0.5,
				      "%s and %s look alike (%s)",
				      theme_role_name(pairs[p][0]),
				      theme_role_name(pairs[p][1]), kinds[k]);
	}
	theme_done(&t);
}
END_TEST

#define BAD_COLOUR(tok)                                                     \
	"title: bad colour \"" tok "\" (expected a name, default, 0-255 or " \
	"#rrggbb)"

static const struct {
	const char *line;
	const char *warning;	/* after "t.theme:2: " */
} malformed[] = {
	{ "titel red blue", "unknown role \"titel\"" },
	{ "title", "title: expected \"ROLE FG BG [ATTRS...]\"" },
	{ "title red", "title: expected \"ROLE FG BG [ATTRS...]\"" },
	{ "title rot blue", BAD_COLOUR("rot") },
	{ "title red 256", BAD_COLOUR("256") },
	{ "title #12345 blue", BAD_COLOUR("#12345") },
	{ "title #12345g blue", BAD_COLOUR("#12345g") },
	{ "title bright_ blue", BAD_COLOUR("bright_") },
	{ "title -1 blue", BAD_COLOUR("-1") },
	{ "title red\x01 blue", BAD_COLOUR("red?") },
	{ "title red blue blod", "title: unknown attribute \"blod\"" },
	{ "title red blue bold blod", "title: unknown attribute \"blod\"" },
	{ "title red blue bold#x", "title: unknown attribute \"bold#x\"" },
	{ "mono please", "\"mono\" takes no fields" },
	{ "title red blue bold bold bold bold bold bold bold bold bold bold "
	  "bold bold bold bold",
	  "title: too many fields" },
	{ "tttttttttttttttttttttttttttttttttttttttttt red blue",
	  "unknown role \"tttttttttttttttttttttttttttttttt...\"" },
};

START_TEST(test_theme_malformed_line_warns_with_file_and_line)
{
	char *text = xasprintf("normal red blue\n%s\nstep_done 1 2\n",
			       malformed[_i].line);
	char *expected = xasprintf("t.theme:2: %s", malformed[_i].warning);
	struct theme t = { 0 };
	struct theme defaults = { 0 };
	struct warnings w = { 0 };

	theme_defaults(&t);
	theme_defaults(&defaults);
	ck_assert_int_eq(theme_parse(&t, text, strlen(text), "t.theme",
				     collect, &w),
			 1);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.first, expected);
	ck_assert_int_eq(t.mono, 0);
	ck_assert(style_eq(&t.styles[ROLE_TITLE],
			   &defaults.styles[ROLE_TITLE]));
	ck_assert_int_eq(t.styles[ROLE_NORMAL].fg.value, 1);
	ck_assert_int_eq(t.styles[ROLE_NORMAL].bg.value, 4);
	ck_assert_int_eq(t.styles[ROLE_STEP_DONE].fg.value, 1);
	ck_assert_int_eq(t.styles[ROLE_STEP_DONE].bg.value, 2);
	ck_assert_int_eq(theme_parse(&t, text, strlen(text), NULL, NULL, NULL),
			 1);
	theme_done(&t);
	theme_done(&defaults);
	free(text);
	free(expected);
}
END_TEST

START_TEST(test_theme_parse_changes_only_the_roles_it_names)
{
	static const char text[] = "cursor #FF8700 default reverse Bold\n"
				   "cursor 1 2\n";
	struct theme t = { 0 };
	struct theme defaults = { 0 };
	const struct theme_style *c = &t.styles[ROLE_CURSOR];
	size_t first_line;

	theme_defaults(&t);
	theme_defaults(&defaults);
	first_line = (size_t)(strchr(text, '\n') - text);
	ck_assert_int_eq(theme_parse(&t, text, first_line, "x", NULL, NULL), 0);
	ck_assert_int_eq(c->fg.kind, THEME_COLOR_RGB);
	ck_assert_int_eq(c->fg.value, 0xff8700);
	ck_assert_int_eq(c->bg.kind, THEME_COLOR_DEFAULT);
	ck_assert_uint_eq(c->attrs, THEME_REVERSE | THEME_BOLD);
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (r != ROLE_CURSOR)
			ck_assert(style_eq(&t.styles[r], &defaults.styles[r]));
	}
	ck_assert_int_eq(theme_parse(&t, text, sizeof(text) - 1, "x", NULL,
				     NULL),
			 0);
	ck_assert_int_eq(c->fg.value, 1);
	ck_assert_uint_eq(c->attrs, 0);
	theme_done(&t);
	theme_done(&defaults);
}
END_TEST

START_TEST(test_theme_parse_skips_comments_blank_lines_and_crlf)
{
	static const char text[] = "# a comment\r\n"
				   "\r\n"
				   "   \t  # indented comment\n"
				   "title #00ff00 black # trailing comment\r\n"
				   "ok\tgreen\tdefault\tbold\t#\r\n"
				   "error red default";
	struct theme t = { 0 };
	struct warnings w = { 0 };

	theme_defaults(&t);
	ck_assert_int_eq(theme_parse(&t, text, sizeof(text) - 1, "c.theme",
				     collect, &w),
			 0);
	ck_assert_int_eq(t.styles[ROLE_TITLE].fg.value, 0x00ff00);
	ck_assert_int_eq(t.styles[ROLE_TITLE].bg.value, 0);
	ck_assert_int_eq(t.styles[ROLE_OK].fg.value, 2);
	ck_assert_uint_eq(t.styles[ROLE_OK].attrs, THEME_BOLD);
	ck_assert_int_eq(t.styles[ROLE_ERROR].fg.value, 1);
	ck_assert_uint_eq(t.styles[ROLE_ERROR].attrs, 0);
	theme_done(&t);
}
END_TEST

START_TEST(test_theme_mono_line_starts_from_built_in_mono)
{
	static const char text[] = "mono\ncursor default default underline\n";
	struct theme t = { 0 };
	struct theme mono = { 0 };

	theme_defaults(&t);
	theme_defaults_mono(&mono);
	ck_assert_int_eq(theme_parse(&t, text, sizeof(text) - 1, "m", NULL,
				     NULL),
			 0);
	ck_assert_int_eq(t.mono, 1);
	ck_assert_str_eq(t.name, "dark");
	ck_assert_uint_eq(t.styles[ROLE_CURSOR].attrs, THEME_UNDERLINE);
	ck_assert(style_eq(&t.styles[ROLE_STEP_FAILED],
			   &mono.styles[ROLE_STEP_FAILED]));
	theme_done(&t);
	theme_done(&mono);
}
END_TEST

static const struct {
	const char *text;
	int kind;		/* -1: rejected */
	int value;
} colors[] = {
	{ "default", THEME_COLOR_DEFAULT, 0 },
	{ "Default", THEME_COLOR_DEFAULT, 0 },
	{ "black", THEME_COLOR_INDEXED, 0 },
	{ "red", THEME_COLOR_INDEXED, 1 },
	{ "green", THEME_COLOR_INDEXED, 2 },
	{ "yellow", THEME_COLOR_INDEXED, 3 },
	{ "blue", THEME_COLOR_INDEXED, 4 },
	{ "magenta", THEME_COLOR_INDEXED, 5 },
	{ "cyan", THEME_COLOR_INDEXED, 6 },
	{ "WHITE", THEME_COLOR_INDEXED, 7 },
	{ "bright_black", THEME_COLOR_INDEXED, 8 },
	{ "bright_red", THEME_COLOR_INDEXED, 9 },
	{ "Bright_White", THEME_COLOR_INDEXED, 15 },
	{ "0", THEME_COLOR_INDEXED, 0 },
	{ "007", THEME_COLOR_INDEXED, 7 },
	{ "255", THEME_COLOR_INDEXED, 255 },
	{ "#FF8700", THEME_COLOR_RGB, 0xff8700 },
	{ "#0a0b0c", THEME_COLOR_RGB, 0x0a0b0c },
	{ "", -1, 0 },
	{ "256", -1, 0 },
	{ "1000", -1, 0 },
	{ "-1", -1, 0 },
	{ "0x10", -1, 0 },
	{ "#fff", -1, 0 },
	{ "#ff87000", -1, 0 },
	{ "#gg0000", -1, 0 },
	{ "bright_", -1, 0 },
	{ "bright_default", -1, 0 },
	{ "grey", -1, 0 },
	{ "redd", -1, 0 },
};

START_TEST(test_theme_color_parse_table)
{
	struct theme_color c = { 42, 42 };
	int rc = theme_color_parse(&c, colors[_i].text,
				   strlen(colors[_i].text));

	if (colors[_i].kind < 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_int_eq(c.kind, 42);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(c.kind, colors[_i].kind);
	ck_assert_int_eq(c.value, colors[_i].value);
}
END_TEST

static const struct {
	const char *color;
	int n_colors;
	int index;
} scaled[] = {
	{ "default", 256, -1 },
	{ "default", 8, -1 },
	{ "#ff0000", 256, 196 },
	{ "#ff0000", 16, 9 },
	{ "#ff0000", 8, 1 },
	{ "#ff0000", 88, 9 },		/* between 16 and 256: as 16 */
	{ "#ff0000", 2, -1 },		/* too few to use */
	{ "#000000", 256, 16 },
	{ "#ffffff", 256, 231 },
	{ "#5f87af", 256, 67 },		/* exactly on the cube */
	{ "#56b4e9", 256, 74 },
	{ "#d55e00", 256, 166 },
	{ "#808080", 256, 244 },	/* greys go to the ramp */
	{ "#080808", 256, 232 },
	{ "#eeeeee", 256, 255 },
	{ "#ff8700", 8, 3 },		/* hue kept: orange is yellow */
	{ "#d55e00", 8, 1 },
	{ "#56b4e9", 16, 6 },
	{ "#f0e442", 8, 3 },
	{ "108", 8, 2 },		/* a muted green stays green */
	{ "#808080", 8, 7 },		/* a grey never turns yellow */
	{ "#303030", 16, 0 },
	{ "#c0c0c0", 16, 7 },
	{ "#f8f8f8", 16, 15 },
	{ "red", 8, 1 },
	{ "red", 256, 1 },
	{ "bright_red", 256, 9 },
	{ "bright_red", 16, 9 },
	{ "bright_red", 8, 1 },
	{ "bright_black", 8, 7 },	/* grey reads better as white */
	{ "196", 256, 196 },
	{ "196", 16, 9 },
	{ "196", 8, 1 },
	{ "244", 16, 8 },
	{ "244", 8, 7 },
	{ "236", 8, 0 },
	{ "21", 8, 4 },
	{ "#ff0000", 16777216, 0xff0000 },	/* direct colour */
	{ "196", 16777216, 0xff0000 },
	{ "1", 16777216, 1 },
	{ "#000000", 16777216, 8 },	/* 0-7 are ANSI there */
};

START_TEST(test_theme_color_to_index_table)
{
	struct theme_color c = { 0, 0 };

	ck_assert_int_eq(theme_color_parse(&c, scaled[_i].color,
					   strlen(scaled[_i].color)),
			 0);
	ck_assert_msg(theme_color_to_index(&c, scaled[_i].n_colors) ==
			      scaled[_i].index,
		      "%s on %d: got %d, want %d", scaled[_i].color,
		      scaled[_i].n_colors,
		      theme_color_to_index(&c, scaled[_i].n_colors),
		      scaled[_i].index);
}
END_TEST

START_TEST(test_theme_load_file_warns_when_unreadable)
{
	char *dir = tu_mkdtemp();
	char *path = xasprintf("%s/missing.theme", dir);
	char *expected = xasprintf("%s: No such file or directory", path);
	struct theme t = { 0 };
	struct warnings w = { 0 };

	theme_defaults(&t);
	ck_assert_int_eq(theme_load_file(&t, path, collect, &w), -1);
	ck_assert_int_eq(w.n, 1);
	ck_assert_str_eq(w.first, expected);
	ck_assert_int_eq(theme_load_file(&t, path, NULL, NULL), -1);
	theme_done(&t);
	tu_rmtree(dir);
	free(dir);
	free(path);
	free(expected);
}
END_TEST

START_TEST(test_theme_find_file_takes_the_first_dir_that_has_it)
{
	char *d1 = tu_mkdtemp();
	char *d2 = tu_mkdtemp();
	char *dir_theme = xasprintf("%s/c.theme", d1);
	const char *const dirs[] = { "", d1, d2, NULL };
	char *files[4];
	char *found;

	files[0] = tu_write_file(d2, "a.theme", "", 0);
	files[1] = tu_write_file(d1, "b.theme", "", 0);
	files[2] = tu_write_file(d2, "b.theme", "", 0);
	files[3] = tu_write_file(d2, "c.theme", "", 0);
	ck_assert_int_eq(mkdir(dir_theme, 0700), 0);

	found = theme_find_file("a", dirs);
	ck_assert_str_eq(found, files[0]);
	free(found);
	found = theme_find_file("b", dirs);
	ck_assert_str_eq(found, files[1]);
	free(found);
	found = theme_find_file("b.theme", dirs);
	ck_assert_str_eq(found, files[1]);
	free(found);
	found = theme_find_file("c", dirs);	/* a directory is skipped */
	ck_assert_str_eq(found, files[3]);
	free(found);
	found = theme_find_file(files[2], NULL);	/* a path as is */
	ck_assert_str_eq(found, files[2]);
	free(found);
	ck_assert_ptr_null(theme_find_file("missing", dirs));
	ck_assert_ptr_null(theme_find_file("", dirs));
	ck_assert_ptr_null(theme_find_file(NULL, dirs));
	ck_assert_ptr_null(theme_find_file("a", NULL));
	ck_assert_ptr_null(theme_find_file(dir_theme, NULL));

	for (int i = 0; i < 4; i++)
		free(files[i]);
	tu_rmtree(d1);
	tu_rmtree(d2);
	free(d1);
	free(d2);
	free(dir_theme);
}
END_TEST

START_TEST(test_theme_dirs_put_environment_and_user_first)
{
	char **dirs;
	size_t n = 0;

	setenv("REWIND_THEMES_DIR", "/override", 1);
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("REWIND_DATADIR", "/data", 1);
	dirs = theme_dirs_new();
	while (dirs[n])
		n++;
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(dirs[0], "/override");
	ck_assert_str_eq(dirs[1], "/cfg/rewind/themes");
	ck_assert_str_eq(dirs[2], "/data/themes");
	ck_assert_ptr_nonnull(strstr(dirs[3], "/themes"));
	ck_assert_str_eq(dirs[4], REWIND_DATADIR "/themes");
	theme_dirs_free(dirs);

	unsetenv("REWIND_THEMES_DIR");
	unsetenv("REWIND_DATADIR");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/op", 1);
	dirs = theme_dirs_new();
	ck_assert_str_eq(dirs[0], "/home/op/.config/rewind/themes");
	theme_dirs_free(dirs);
	theme_dirs_free(NULL);
}
END_TEST

static const struct {
	const char *text;
	const char *name;	/* NULL: not found */
} configs[] = {
	{ "theme = light\n", "light" },
	{ "theme=mono", "mono" },
	{ "  theme\t=\t high-contrast  # mine\n", "high-contrast" },
	{ "theme = light\r\n", "light" },
	{ "theme = \"colorblind\"\n", "colorblind" },
	{ "editor = vi\ntheme = light\ntheme = dark\n", "dark" },
	{ "# theme = light\n", NULL },
	{ "themes = light\nmytheme = x\n", NULL },
	{ "theme\n", NULL },
	{ "theme =\n", NULL },
	{ "theme = \"\"\n", NULL },
	{ "theme = a-name-far-too-long-for-the-buffer\n", NULL },
	{ "", NULL },
};

START_TEST(test_theme_config_name_table)
{
	char *home = tu_mkdtemp();
	char *dir = xasprintf("%s/rewind", home);
	char *path;
	char out[32];

	ck_assert_int_eq(mkdir(dir, 0700), 0);
	path = tu_write_file(dir, "config", configs[_i].text,
			     strlen(configs[_i].text));
	setenv("XDG_CONFIG_HOME", home, 1);
	strcpy(out, "untouched");
	if (configs[_i].name) {
		ck_assert_int_eq(theme_config_name(out, sizeof(out)), 1);
		ck_assert_str_eq(out, configs[_i].name);
	} else {
		ck_assert_int_eq(theme_config_name(out, sizeof(out)), 0);
	}
	tu_rmtree(home);
	free(home);
	free(dir);
	free(path);
}
END_TEST

START_TEST(test_theme_config_name_falls_back_to_home_dot_config)
{
	char *home = tu_mkdtemp();
	char *dir = xasprintf("%s/.config/rewind", home);
	char *sub = xasprintf("%s/.config", home);
	char *path;
	char out[32];

	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", home, 1);
	ck_assert_int_eq(theme_config_name(out, sizeof(out)), 0);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	path = tu_write_file(dir, "config", "theme = light\n", 14);
	ck_assert_int_eq(theme_config_name(out, sizeof(out)), 1);
	ck_assert_str_eq(out, "light");
	unsetenv("HOME");
	ck_assert_int_eq(theme_config_name(out, sizeof(out)), 0);
	tu_rmtree(home);
	free(home);
	free(dir);
	free(sub);
	free(path);
}
END_TEST

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *
theme_suite(void)
{
	Suite *s = suite_create("theme");
	TCase *roles = tcase_create("roles");
	TCase *files = tcase_create("shipped");
	TCase *parse = tcase_create("parse");
	TCase *scale = tcase_create("colours");
	TCase *lookup = tcase_create("lookup");

	tcase_set_timeout(roles, 10);
	tcase_add_test(roles, test_theme_roles_have_unique_names_that_look_up_back);
	tcase_add_test(roles, test_theme_defaults_come_from_the_role_table);
	suite_add_tcase(s, roles);

	tcase_set_timeout(files, 10);
	tcase_add_loop_test(files, test_theme_shipped_file_parses_without_warnings,
			    0, N_OF(shipped));
	tcase_add_loop_test(files, test_theme_shipped_file_sets_every_role, 0,
			    N_OF(shipped));
	tcase_add_test(files, test_theme_dark_and_mono_files_match_built_in_ones);
	tcase_add_loop_test(files,
			    test_theme_shipped_colours_stay_apart_when_scaled,
			    0, N_OF(shipped));
	tcase_add_test(files,
		       test_theme_colorblind_states_stay_apart_for_colour_blind_eyes);
	suite_add_tcase(s, files);

	tcase_set_timeout(parse, 10);
	tcase_add_loop_test(parse, test_theme_malformed_line_warns_with_file_and_line,
			    0, N_OF(malformed));
	tcase_add_test(parse, test_theme_parse_changes_only_the_roles_it_names);
	tcase_add_test(parse, test_theme_parse_skips_comments_blank_lines_and_crlf);
	tcase_add_test(parse, test_theme_mono_line_starts_from_built_in_mono);
	tcase_add_test(parse, test_theme_load_file_warns_when_unreadable);
	suite_add_tcase(s, parse);

	tcase_set_timeout(scale, 10);
	tcase_add_loop_test(scale, test_theme_color_parse_table, 0, N_OF(colors));
	tcase_add_loop_test(scale, test_theme_color_to_index_table, 0,
			    N_OF(scaled));
	suite_add_tcase(s, scale);

	tcase_set_timeout(lookup, 10);
	tcase_add_test(lookup, test_theme_find_file_takes_the_first_dir_that_has_it);
	tcase_add_test(lookup, test_theme_dirs_put_environment_and_user_first);
	tcase_add_loop_test(lookup, test_theme_config_name_table, 0,
			    N_OF(configs));
	tcase_add_test(lookup,
		       test_theme_config_name_falls_back_to_home_dot_config);
	suite_add_tcase(s, lookup);
	return s;
}
