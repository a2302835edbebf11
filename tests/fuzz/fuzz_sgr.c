/* Fuzz target: a line of command output on its way to the screen. The
 * SGR reader splits it into styled runs and the sanitizer makes each run
 * safe. Properties: no control byte (C0, DEL, C1, bidi override) and no
 * invalid UTF-8 comes out of the sanitizer; the runs and the sequences
 * the reader took cover the line exactly once, in order; sgr_strip is the
 * runs joined; colours stay in range. */
#include "config.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "sgr.h"
#include "strbuf.h"

static void
check_safe(const char *text, size_t len)
{
	char *clean = sanitize_text(text, len);

	fuzz_require(fuzz_is_terminal_safe(clean, strlen(clean), NULL),
		     "sanitize_text lets no control byte or invalid UTF-8 out");
	free(clean);
}

static void
check_color(const struct sgr_color *c)
{
	fuzz_require((c->kind == SGR_COLOR_DEFAULT) ||
		     (c->kind == SGR_COLOR_INDEXED && c->value >= 0 &&
		      c->value <= 255) ||
		     (c->kind == SGR_COLOR_RGB && c->value >= 0 &&
		      c->value <= 0xffffff),
		     "an SGR colour is default, 0-255 or 0xrrggbb");
}

/* Skip the sequences between POS and END: each must be one sgr_parse
 * takes. */
static size_t
skip_sequences(const char *text, size_t len, size_t pos, size_t end)
{
	struct sgr_style st = { 0 };

	while (pos < end) {
		size_t n = sgr_parse(text + pos, len - pos, &st);

		fuzz_require(n > 0 && pos + n <= end,
			     "bytes between runs are SGR sequences");
		pos += n;
	}
	return pos;
}

static void
check_runs(const char *text, size_t len, struct strbuf *joined)
{
	struct sgr_iter it;
	struct sgr_run run;
	size_t pos = 0;

	sgr_iter_init(&it, text, len);
	while (sgr_iter_next(&it, &run)) {
		fuzz_require(run.len > 0 && run.off >= pos &&
			     run.off + run.len <= len,
			     "runs are non-empty, in order and inside the line");
		pos = skip_sequences(text, len, pos, run.off) + run.len;
		check_color(&run.style.fg);
		check_color(&run.style.bg);
		check_safe(text + run.off, run.len);
		strbuf_add(joined, text + run.off, run.len);
	}
	skip_sequences(text, len, pos, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct strbuf joined = STRBUF_INIT;
	char *line = fuzz_strndup(data, size);
	size_t line_len = strlen(line);
	char *stripped;

	check_safe(text, size);
	check_runs(text, size, &joined);
	strbuf_reset(&joined);
	check_runs(line, line_len, &joined);
	stripped = sgr_strip(line);
	fuzz_require(strcmp(stripped, joined.buf ? joined.buf : "") == 0,
		     "sgr_strip gives the runs joined");
	fuzz_require(sgr_contains(line, stripped),
		     "a line contains what it shows");
	free(stripped);
	strbuf_done(&joined);
	free(line);
	return 0;
}
