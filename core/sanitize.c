/* One sanitizer for all untrusted text before it reaches a terminal. */
#include "config.h"
#include "sanitize.h"

#include <stdint.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

/* How many bytes of P (LEN) come out as they are: printable ASCII is
 * taken a byte at a time, the rest decoded. */
static size_t
clean_prefix(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0 || cp < 0x20 || cp == 0x7f ||
		    utf8_is_hidden_format(cp) || utf8_is_invisible(cp))
			break;
		i += n;
	}
	return i;
}

int
sanitize_is_clean(const char *text, size_t len)
{
	return clean_prefix((const unsigned char *)text, len) == len;
}

/* Write the one character at P (it is not clean) as it is shown; returns
 * the bytes it took. */
static size_t
add_escaped(struct strbuf *sb, const unsigned char *p, size_t len)
{
	uint32_t cp;
	size_t n = utf8_decode(p, len, &cp);

	if (n == 0) {
		strbuf_addf(sb, "\\x%02X", p[0]);
		n = 1;
	} else if (cp < 0x20 || cp == 0x7f) {
		strbuf_addc(sb, '^');
		strbuf_addc(sb, cp == 0x7f ? '?' : (char)(cp + '@'));
	} else if (utf8_is_hidden_format(cp)) {
		strbuf_addf(sb, "\\u{%04X}", (unsigned)cp);
	} else {
		/* invisible: shown, not hidden ("a<U+200B>b") */
		strbuf_addf(sb, "<U+%04X>", (unsigned)cp);
	}
	return n;
}

char *
sanitize_text(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	struct strbuf sb = STRBUF_INIT;
	size_t i = clean_prefix(p, len);

	/* Most text is clean: one copy, no buffer grown a piece at a time. */
	if (i == len)
		return xstrndup(text, len);
	strbuf_add(&sb, p, i);
	while (i < len) {
		size_t run;

		i += add_escaped(&sb, p + i, len - i);
		run = clean_prefix(p + i, len - i);
		strbuf_add(&sb, p + i, run);
		i += run;
	}
	return strbuf_detach(&sb);
}
