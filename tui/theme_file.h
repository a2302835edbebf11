/* Colour themes without curses: the semantic roles, the compiled-in dark and
 * monochrome defaults, the .theme text format, colour scaling to what a
 * terminal offers, and where theme files and the config file live. */
#ifndef REWIND_TUI_THEME_FILE_H
#define REWIND_TUI_THEME_FILE_H

#include <stddef.h>

/* Attribute bits of a style: our own, theme.c maps them to curses ones. */
#define THEME_BOLD 0x01u
#define THEME_DIM 0x02u
#define THEME_UNDERLINE 0x04u
#define THEME_REVERSE 0x08u
#define THEME_ITALIC 0x10u
#define THEME_BLINK 0x20u

/* Every role once: id, name in .theme files, the dark default as a .theme
 * spec ("fg bg [attrs...]"), and the monochrome attributes, which must stay
 * legible without any colour (themes/dark.theme and themes/mono.theme are
 * these two columns written out; a unit test keeps them equal). */
#define THEME_ROLES(X)                                                      \
	X(ROLE_NORMAL, "normal", "default default", 0)                      \
	X(ROLE_TITLE, "title", "252 238", THEME_BOLD)                       \
	X(ROLE_TITLE_FOCUS, "title_focus", "231 24 bold",                   \
	  THEME_REVERSE | THEME_BOLD)                                       \
	X(ROLE_HEADER, "header", "153 default bold", THEME_UNDERLINE)       \
	X(ROLE_MODE_LIVE, "mode_live", "231 160 bold",                      \
	  THEME_REVERSE | THEME_BOLD)                                       \
	X(ROLE_MODE_DRILL, "mode_drill", "16 178 bold", THEME_REVERSE)      \
	X(ROLE_MODE_REPLAY, "mode_replay", "231 61 bold", THEME_REVERSE)    \
	X(ROLE_TEST_MODE, "test_mode", "16 207 bold",                       \
	  THEME_REVERSE | THEME_BOLD)                                       \
	X(ROLE_PHASE_DONE, "phase_done", "108 default", 0)                  \
	X(ROLE_PHASE_CURRENT, "phase_current", "117 default bold",          \
	  THEME_BOLD)                                                       \
	X(ROLE_PHASE_AHEAD, "phase_ahead", "244 default", THEME_DIM)        \
	X(ROLE_STEP_OPEN, "step_open", "default default", 0)                \
	X(ROLE_STEP_RUNNING, "step_running", "220 default bold", THEME_BOLD) \
	X(ROLE_STEP_DONE, "step_done", "114 default", 0)                    \
	X(ROLE_STEP_FAILED, "step_failed", "203 default bold", THEME_BOLD)  \
	X(ROLE_STEP_SKIPPED, "step_skipped", "244 default", THEME_DIM)      \
	X(ROLE_CURSOR, "cursor", "231 31 bold", THEME_REVERSE)              \
	X(ROLE_KEYBAR, "keybar", "250 236", 0)                              \
	X(ROLE_KEY, "key", "231 236 bold", THEME_BOLD)                      \
	X(ROLE_DIALOG, "dialog", "252 237", 0)                              \
	X(ROLE_DIALOG_TITLE, "dialog_title", "231 24 bold",                 \
	  THEME_REVERSE | THEME_BOLD)                                       \
	X(ROLE_INPUT, "input", "231 238 underline", THEME_UNDERLINE)        \
	X(ROLE_INPUT_INVALID, "input_invalid", "231 124 bold underline",    \
	  THEME_REVERSE | THEME_UNDERLINE)                                  \
	X(ROLE_ERROR, "error", "203 default bold", THEME_BOLD)              \
	X(ROLE_WARNING, "warning", "214 default", THEME_BOLD)               \
	X(ROLE_OK, "ok", "114 default", 0)                                  \
	X(ROLE_DIM, "dim", "244 default", THEME_DIM)                        \
	X(ROLE_LOG, "log", "250 default", 0)                                \
	X(ROLE_LOG_STDERR, "log_stderr", "216 default", THEME_BOLD)         \
	X(ROLE_SEARCH_MATCH, "search_match", "16 220",                      \
	  THEME_BOLD | THEME_UNDERLINE)                                     \
	X(ROLE_CLOCK, "clock", "152 default", 0)                            \
	X(ROLE_CLOCK_LATE, "clock_late", "203 default bold",                \
	  THEME_REVERSE | THEME_BOLD)                                       \
	X(ROLE_BORDER, "border", "243 default", 0)                          \
	X(ROLE_JOURNAL_TIME, "journal_time", "109 default", THEME_DIM)      \
	X(ROLE_STATUS, "status", "252 236", THEME_REVERSE)                  \
	X(ROLE_ALERT, "alert", "231 160 bold", THEME_REVERSE | THEME_BOLD)

#define THEME_ROLE_ENUM(id, name, spec, mono) id,
enum theme_role {
	THEME_ROLES(THEME_ROLE_ENUM)
	ROLE_COUNT
};
#undef THEME_ROLE_ENUM

enum theme_color_kind {
	THEME_COLOR_DEFAULT,	/* the terminal's own fg or bg */
	THEME_COLOR_INDEXED,	/* value 0-255: the xterm palette */
	THEME_COLOR_RGB,	/* value 0xrrggbb */
};

struct theme_color {
	int kind;		/* enum theme_color_kind */
	int value;
};

struct theme_style {
	struct theme_color fg, bg;
	unsigned attrs;		/* THEME_BOLD | ... */
};

struct theme {
	char *name;		/* owned: "dark", "mono" or as asked for */
	struct theme_style styles[ROLE_COUNT];
	int mono;		/* attributes only: colours are ignored */
};

/* Called with each parse warning ("FILE:LINE: cause") and the caller's ARG,
 * which stays borrowed. */
typedef void (*theme_warn_cb)(const char *msg, void *arg);

/* The .theme name of ROLE (a static string); NULL if ROLE is out of range. */
const char *theme_role_name(int role);

/* The role called NAME (case-insensitive), or -1 when there is none. */
int theme_role_lookup(const char *name);

/* Fill T with the compiled-in dark theme, named "dark"; T must be zeroed or
 * hold an earlier theme, whose name is freed. Aborts (BUG) only if the
 * compiled-in table itself is malformed. */
void theme_defaults(struct theme *t);

/* Like theme_defaults, with the compiled-in monochrome theme, named "mono". */
void theme_defaults_mono(struct theme *t);

/* Free T's name and reset it; T may be NULL. */
void theme_done(struct theme *t);

/* Apply the LEN bytes of .theme TEXT on top of T: "ROLE FG BG [ATTRS...]"
 * lines, "#" comments (a whole line, or "#" followed by a blank), blank
 * lines, and a "mono" line that makes T monochrome and resets every role to
 * the monochrome default. A bad line warns through WARN (may be NULL) as
 * "FILE:LINE: cause", leaves its role untouched, and parsing goes on.
 * Returns the number of warnings. */
int theme_parse(struct theme *t, const char *text, size_t len,
		const char *file, theme_warn_cb warn, void *arg);

/* Read PATH and theme_parse it into T; returns the number of warnings, or
 * -1 (after warning "PATH: cause") when the file can't be read. */
int theme_load_file(struct theme *t, const char *path, theme_warn_cb warn,
		    void *arg);

/* Parse one colour token of LEN bytes into *C; 0, or -1 if it is not a name,
 * "default", 0-255 or #rrggbb (C is then untouched). */
int theme_color_parse(struct theme_color *c, const char *s, size_t len);

/* C as 0xrrggbb using xterm's default palette, or -1 for "default". */
int theme_color_rgb(const struct theme_color *c);

/* The colour number to use on a terminal with N_COLORS colours: xterm's
 * 6x6x6 cube and grey ramp on 256, the nearest ANSI colour on 16 or 8, the
 * RGB value itself on direct-colour terminals (2^24). -1 means the
 * terminal's default, also the answer when N_COLORS is below 8. */
int theme_color_to_index(const struct theme_color *c, int n_colors);

/* The search path for theme files: $REWIND_THEMES_DIR, the user's
 * $XDG_CONFIG_HOME/rewind/themes (or ~/.config/rewind/themes),
 * $REWIND_DATADIR/themes, "themes" next to the running executable, then the
 * installed REWIND_DATADIR/themes. A NULL-ended array the caller releases
 * with theme_dirs_free; never NULL. */
char **theme_dirs_new(void);

/* Free an array from theme_dirs_new; DIRS may be NULL. */
void theme_dirs_free(char **dirs);

/* The readable regular file for theme NAME: NAME itself when it contains a
 * '/', else the first DIR/NAME.theme in the NULL-ended DIRS (".theme" is not
 * added twice). Caller frees; NULL when not found. */
char *theme_find_file(const char *name, const char *const *dirs);

/* Copy the value of "theme = NAME" from $XDG_CONFIG_HOME/rewind/config (or
 * ~/.config/rewind/config) into OUT; the last such line wins, other keys
 * and "#" comments are ignored. 1 if found, 0 if not, no file, or too long
 * for SIZE. */
int theme_config_name(char *out, size_t size);
/* The same for any KEY ("time = local"). */
int config_value(const char *key, char *out, size_t size);

#endif
