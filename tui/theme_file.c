/* The curses-free half of theming: the role table, the .theme parser, colour
 * scaling and the places theme files and the config file are looked up. */
#include "config.h"
#include "theme_file.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "utf8.h"
#include "xalloc.h"

#ifndef REWIND_DATADIR
#define REWIND_DATADIR "/usr/local/share/rewind"
#endif

#define MAX_FIELDS 16			/* role, fg, bg and attributes */
#define THEME_FILE_MAX (1024 * 1024)	/* far above any sane theme */
#define CONFIG_FILE_MAX (64 * 1024)
#define DIRECT_COLORS 0x1000000		/* ncurses' *-direct terminals */

struct role_info {
	const char *name;
	const char *spec;
	unsigned mono;
};

#define THEME_ROLE_ROW(id, name, spec, mono) [id] = { name, spec, mono },
static const struct role_info roles[ROLE_COUNT] = {
	THEME_ROLES(THEME_ROLE_ROW)
};
#undef THEME_ROLE_ROW

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
	{ "bold", THEME_BOLD },		{ "dim", THEME_DIM },
	{ "underline", THEME_UNDERLINE }, { "reverse", THEME_REVERSE },
	{ "italic", THEME_ITALIC },	{ "blink", THEME_BLINK },
};

/* xterm's defaults for the 16 ANSI colours, which terminals may redefine;
 * scaling down only needs them to be roughly right. */
static const int ansi_rgb[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00,
	0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
	0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static const int cube_levels[6] = { 0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff };

struct tok {
	const char *s;
	size_t n;
};

struct parse_ctx {
	const char *file;
	int line;
	theme_warn_cb warn;
	void *arg;
	int n_warnings;
};

static int
tok_is(const struct tok *t, const char *word)
{
	return t->n == strlen(word) && strncasecmp(t->s, word, t->n) == 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* A token shown in a message: at most 32 bytes, control bytes as '?', so a
 * binary file can't garble the status bar. */
static void
tok_show(const struct tok *t, char *buf, size_t size)
{
	size_t n = t->n < 32 ? t->n : 32;
	size_t i;

	for (i = 0; i < n && i + 4 < size; i++)
		buf[i] = (unsigned char)t->s[i] < 0x20 || t->s[i] == 0x7f ?
				 '?' : t->s[i];
	if (n < t->n && i + 4 <= size) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
}

static void warnf(struct parse_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
warnf(struct parse_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	int n;
	va_list ap;

	ctx->n_warnings++;
	if (!ctx->warn)
		return;
	n = snprintf(msg, sizeof(msg), "%s:%d: ", ctx->file, ctx->line);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	ctx->warn(msg, ctx->arg);
}

/* Split [P, END) into blank-separated fields, stopping at a comment. A '#'
 * opens a comment at the start of a line or when a blank follows it, so
 * "#rrggbb" stays a colour. Returns MAX + 1 when there are more fields. */
static int
tokenize(const char *p, const char *end, struct tok *toks, int max)
{
	int n = 0;

	for (;;) {
		while (p < end && is_blank(*p))
			p++;
		if (p == end)
			return n;
		if (*p == '#' && (n == 0 || p + 1 == end || is_blank(p[1])))
			return n;
		if (n == max)
			return max + 1;
		toks[n].s = p;
		while (p < end && !is_blank(*p))
			p++;
		toks[n].n = (size_t)(p - toks[n].s);
		n++;
	}
}

static int
parse_hex(const char *s, size_t len)
{
	int value = 0;

	if (len != 7)
		return -1;
	for (size_t i = 1; i < len; i++) {
		int d = hex_digit_value(s[i]);

		if (d < 0)
			return -1;
		value = value << 4 | d;
	}
	return value;
}

static int
parse_index(const char *s, size_t len)
{
	int value = 0;

	if (len == 0 || len > 3)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	return value <= 255 ? value : -1;
}

static int
parse_color_name(const char *s, size_t len)
{
	int base = 0;

	if (len > 7 && strncasecmp(s, "bright_", 7) == 0) {
		s += 7;
		len -= 7;
		base = 8;
	}
	for (int i = 0; i < 8; i++) {
		if (strlen(color_names[i]) == len &&
		    strncasecmp(s, color_names[i], len) == 0)
			return base + i;
	}
	return -1;
}

int
theme_color_parse(struct theme_color *c, const char *s, size_t len)
{
	struct tok t = { s, len };
	int value;

	if (tok_is(&t, "default")) {
		c->kind = THEME_COLOR_DEFAULT;
		c->value = 0;
		return 0;
	}
	if (len > 0 && s[0] == '#') {
		value = parse_hex(s, len);
		if (value < 0)
			return -1;
		c->kind = THEME_COLOR_RGB;
		c->value = value;
		return 0;
	}
	value = parse_index(s, len);
	if (value < 0)
		value = parse_color_name(s, len);
	if (value < 0)
		return -1;
	c->kind = THEME_COLOR_INDEXED;
	c->value = value;
	return 0;
}

static int
parse_attr(const struct tok *t, unsigned *attrs)
{
	size_t n = sizeof(attr_names) / sizeof(attr_names[0]);

	for (size_t i = 0; i < n; i++) {
		if (tok_is(t, attr_names[i].name)) {
			*attrs |= attr_names[i].bit;
			return 0;
		}
	}
	return -1;
}

/* FG BG [ATTRS...] of ROLE into *OUT; -1 after one warning. */
static int
parse_style(struct parse_ctx *ctx, int role, const struct tok *toks, int n,
	    struct theme_style *out)
{
	const char *name = roles[role].name;
	char shown[40];

	if (n < 2) {
		warnf(ctx, "%s: expected \"ROLE FG BG [ATTRS...]\"", name);
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		struct theme_color *c = i == 0 ? &out->fg : &out->bg;

		if (theme_color_parse(c, toks[i].s, toks[i].n) < 0) {
			tok_show(&toks[i], shown, sizeof(shown));
			warnf(ctx, "%s: bad colour \"%s\" (expected a name, "
				   "default, 0-255 or #rrggbb)", name, shown);
			return -1;
		}
	}
	out->attrs = 0;
	for (int i = 2; i < n; i++) {
		if (parse_attr(&toks[i], &out->attrs) < 0) {
			tok_show(&toks[i], shown, sizeof(shown));
			warnf(ctx, "%s: unknown attribute \"%s\"", name, shown);
			return -1;
		}
	}
	return 0;
}

static int
role_lookup_tok(const struct tok *t)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (tok_is(t, roles[r].name))
			return r;
	}
	return -1;
}

static void
set_mono_styles(struct theme *t)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		memset(&t->styles[r], 0, sizeof(t->styles[r]));
		t->styles[r].fg.kind = THEME_COLOR_DEFAULT;
		t->styles[r].bg.kind = THEME_COLOR_DEFAULT;
		t->styles[r].attrs = roles[r].mono;
	}
	t->mono = 1;
}

static void
parse_line(struct theme *t, struct parse_ctx *ctx, const char *p,
	   const char *end)
{
	struct tok toks[MAX_FIELDS];
	struct theme_style style;
	char shown[40];
	int n = tokenize(p, end, toks, MAX_FIELDS);
	int role;

	if (n == 0)
		return;
	if (tok_is(&toks[0], "mono")) {
		if (n > 1)
			warnf(ctx, "\"mono\" takes no fields");
		else
			set_mono_styles(t);
		return;
	}
	role = role_lookup_tok(&toks[0]);
	if (role < 0) {
		tok_show(&toks[0], shown, sizeof(shown));
		warnf(ctx, "unknown role \"%s\"", shown);
		return;
	}
	if (n > MAX_FIELDS) {
		warnf(ctx, "%s: too many fields", roles[role].name);
		return;
	}
	if (parse_style(ctx, role, toks + 1, n - 1, &style) == 0)
		t->styles[role] = style;
}

int
theme_parse(struct theme *t, const char *text, size_t len, const char *file,
	    theme_warn_cb warn, void *arg)
{
	struct parse_ctx ctx = { file ? file : "theme", 0, warn, arg, 0 };
	const char *p = text;
	const char *end = text + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		ctx.line++;
		parse_line(t, &ctx, p, eol);
		p = eol < end ? eol + 1 : end;
	}
	return ctx.n_warnings;
}

const char *
theme_role_name(int role)
{
	return role >= 0 && role < ROLE_COUNT ? roles[role].name : NULL;
}

int
theme_role_lookup(const char *name)
{
	struct tok t = { name, strlen(name) };

	return role_lookup_tok(&t);
}

void
theme_defaults(struct theme *t)
{
	struct parse_ctx ctx = { "built-in", 0, NULL, NULL, 0 };
	struct tok toks[MAX_FIELDS];

	theme_done(t);
	memset(t, 0, sizeof(*t));
	for (int r = 0; r < ROLE_COUNT; r++) {
		const char *spec = roles[r].spec;
		int n = tokenize(spec, spec + strlen(spec), toks, MAX_FIELDS);

		if (n > MAX_FIELDS ||
		    parse_style(&ctx, r, toks, n, &t->styles[r]) < 0)
			BUG("malformed default in THEME_ROLES");
	}
	t->name = xstrdup("dark");
}

void
theme_defaults_mono(struct theme *t)
{
	theme_done(t);
	memset(t, 0, sizeof(*t));
	set_mono_styles(t);
	t->name = xstrdup("mono");
}

void
theme_done(struct theme *t)
{
	if (!t)
		return;
	free(t->name);
	t->name = NULL;
}

/* The whole of PATH, NUL-terminated; NULL with errno set on failure, EFBIG
 * when it is larger than MAX. */
static char *
slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	int saved;

	if (!f)
		return NULL;
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, f);
	saved = ferror(f) ? EIO : n > max ? EFBIG : 0;
	fclose(f);
	if (saved) {
		free(buf);
		errno = saved;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int
theme_load_file(struct theme *t, const char *path, theme_warn_cb warn,
		void *arg)
{
	size_t len = 0;
	char *text = slurp(path, THEME_FILE_MAX, &len);
	int n;

	if (!text) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s: %s", path,
			 errno == EFBIG ? "larger than 1 MiB"
					 : strerror(errno));
		if (warn)
			warn(msg, arg);
		return -1;
	}
	n = theme_parse(t, text, len, path, warn, arg);
	free(text);
	return n;
}

static int
index_rgb(int v)
{
	int g;

	if (v < 16)
		return ansi_rgb[v];
	if (v < 232) {
		v -= 16;
		return cube_levels[v / 36] << 16 | cube_levels[v / 6 % 6] << 8 |
		       cube_levels[v % 6];
	}
	g = 8 + 10 * (v - 232);
	return g << 16 | g << 8 | g;
}

int
theme_color_rgb(const struct theme_color *c)
{
	switch (c->kind) {
	case THEME_COLOR_INDEXED:
		return index_rgb(c->value);
	case THEME_COLOR_RGB:
		return c->value;
	default:
		return -1;
	}
}

static int
dist2(int a, int b)
{
	int dr = (a >> 16) - (b >> 16);
	int dg = (a >> 8 & 0xff) - (b >> 8 & 0xff);
	int db = (a & 0xff) - (b & 0xff);

	return dr * dr + dg * dg + db * db;
}

static int
nearer(int rgb, int a, int b)
{
	return dist2(ansi_rgb[b], rgb) < dist2(ansi_rgb[a], rgb) ? b : a;
}

/* The ANSI colour for RGB among the first N (8 or 16). Plain RGB distance
 * would turn mid greys yellow and muted greens white, so greys pick among
 * black, grey and white, and other colours keep their hue: one of six 60
 * degree sectors, then the nearer of its normal and bright shade. */
static int
nearest_ansi(int rgb, int n)
{
	static const int sector_ansi[6] = { 1, 3, 2, 6, 4, 5 };
	int r = rgb >> 16, g = rgb >> 8 & 0xff, b = rgb & 0xff;
	int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int min = r < g ? (r < b ? r : b) : (g < b ? g : b);
	int c = max - min;
	int hue, base;

	if (c * 5 < max || max < 0x20) {
		base = nearer(rgb, 0, 7);
		return n < 16 ? base : nearer(rgb, nearer(rgb, base, 8), 15);
	}
	if (max == r)
		hue = 60 * (g - b) / c + 360;
	else if (max == g)
		hue = 120 + 60 * (b - r) / c;
	else
		hue = 240 + 60 * (r - g) / c;
	base = sector_ansi[(hue + 30) / 60 % 6];
	return n < 16 ? base : nearer(rgb, base, base + 8);
}

static int
cube_axis(int v)
{
	if (v < 48)
		return 0;
	if (v < 115)
		return 1;
	return (v - 35) / 40;
}

/* The closer of the 6x6x6 cube entry and the grey ramp entry, as xterm's
 * 256 colours are laid out; the first 16 are left out because terminals
 * commonly redefine them. */
static int
nearest_256(int rgb)
{
	int r = rgb >> 16, g = rgb >> 8 & 0xff, b = rgb & 0xff;
	int qr = cube_axis(r), qg = cube_axis(g), qb = cube_axis(b);
	int cube = 16 + 36 * qr + 6 * qg + qb;
	int avg = (r + g + b) / 3;
	int grey = avg > 238 ? 23 : avg < 3 ? 0 : (avg - 3) / 10;

	if (dist2(index_rgb(cube), rgb) <= dist2(index_rgb(232 + grey), rgb))
		return cube;
	return 232 + grey;
}

int
theme_color_to_index(const struct theme_color *c, int n_colors)
{
	int rgb;

	if (c->kind == THEME_COLOR_DEFAULT || n_colors < 8)
		return -1;
	if (c->kind == THEME_COLOR_INDEXED && c->value < 8)
		return c->value;
	rgb = theme_color_rgb(c);
	/* Direct colour: 0-7 still mean the ANSI colours, so a near-black
	 * RGB value is nudged past them. */
	if (n_colors >= DIRECT_COLORS)
		return rgb < 8 ? 8 : rgb;
	if (n_colors >= 256)
		return c->kind == THEME_COLOR_INDEXED ? c->value
						      : nearest_256(rgb);
	if (n_colors >= 16 && c->kind == THEME_COLOR_INDEXED && c->value < 16)
		return c->value;
	return nearest_ansi(rgb, n_colors >= 16 ? 16 : 8);
}

/* $XDG_CONFIG_HOME/rewind, or ~/.config/rewind; the XDG spec says to ignore
 * a relative XDG_CONFIG_HOME. Caller frees; NULL without a home. */
static char *
config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return xasprintf("%s/rewind", xdg);
	if (home && *home)
		return xasprintf("%s/.config/rewind", home);
	return NULL;
}

char **
theme_dirs_new(void)
{
	char **dirs = xcalloc(6, sizeof(*dirs));
	const char *env = getenv("REWIND_THEMES_DIR");
	char *cfg = config_dir();
	char *exe = paths_program_dir();
	size_t n = 0;

	if (env && *env)
		dirs[n++] = xstrdup(env);
	if (cfg)
		dirs[n++] = xasprintf("%s/themes", cfg);
	env = getenv("REWIND_DATADIR");
	if (env && *env)
		dirs[n++] = xasprintf("%s/themes", env);
	/* Next to the binary comes before the installed copy, so a build
	 * tree never picks up stale themes from an older install. */
	if (exe)
		dirs[n++] = xasprintf("%s/themes", exe);
	dirs[n++] = xstrdup(REWIND_DATADIR "/themes");
	free(cfg);
	free(exe);
	return dirs;
}

void
theme_dirs_free(char **dirs)
{
	if (!dirs)
		return;
	for (char **d = dirs; *d; d++)
		free(*d);
	free(dirs);
}

static int
is_readable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, R_OK) == 0;
}

char *
theme_find_file(const char *name, const char *const *dirs)
{
	const char *suffix = ".theme";
	size_t len;

	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return is_readable_file(name) ? xstrdup(name) : NULL;
	len = strlen(name);
	if (len > 6 && strcmp(name + len - 6, ".theme") == 0)
		suffix = "";
	for (; dirs && *dirs; dirs++) {
		char *path;

		if (!**dirs)
			continue;
		path = xasprintf("%s/%s%s", *dirs, name, suffix);
		if (is_readable_file(path))
			return path;
		free(path);
	}
	return NULL;
}

static void
trim(const char **s, const char **end)
{
	while (*s < *end && is_blank(**s))
		(*s)++;
	while (*end > *s && is_blank((*end)[-1]))
		(*end)--;
}

/* One "key = value" line of the config file; copies the value of KEY,
 * when it fits, into OUT and returns 1. */
static int
config_line(const char *p, const char *end, const char *want, char *out,
	    size_t size)
{
	const char *hash = memchr(p, '#', (size_t)(end - p));
	const char *eq;
	const char *key = p;
	const char *value;
	size_t n;

	if (hash)
		end = hash;
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq)
		return 0;
	p = eq;
	trim(&key, &p);
	value = eq + 1;
	trim(&value, &end);
	if (end - value >= 2 && (*value == '"' || *value == '\'') &&
	    end[-1] == *value) {
		value++;
		end--;
	}
	n = (size_t)(end - value);
	if ((size_t)(p - key) != strlen(want) ||
	    strncmp(key, want, strlen(want)) != 0 || n == 0 || n >= size)
		return 0;
	memcpy(out, value, n);
	out[n] = '\0';
	return 1;
}

int
theme_config_name(char *out, size_t size)
{
	return config_value("theme", out, size);
}

int
config_value(const char *key, char *out, size_t size)
{
	char *dir = config_dir();
	char *path = NULL;
	char *text = NULL;
	const char *p, *end;
	size_t len = 0;
	int found = 0;

	if (!dir)
		goto out;
	path = xasprintf("%s/config", dir);
	text = slurp(path, CONFIG_FILE_MAX, &len);
	if (!text)
		goto out;
	for (p = text, end = text + len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (config_line(p, eol, key, out, size))
			found = 1;
		p = eol < end ? eol + 1 : end;
	}
out:
	free(text);
	free(path);
	free(dir);
	return found;
}
