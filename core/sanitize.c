/* One sanitizer for all untrusted text before it reaches a terminal. */
#include "config.h"
#include "sanitize.h"

#include <stdint.h>

#include "strbuf.h"

/* Decode one UTF-8 sequence at P (N bytes left): returns its length and
 * sets *CP, or 0 when the bytes are not valid UTF-8. */
static size_t
decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, v = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, v = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, v = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))) ||
	    (len == 4 && (v < 0x10000 || v > 0x10ffff)))
		return 0;
	*cp = v;
	return len;
}

static int
is_hidden_format(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

char *
sanitize_text(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = decode(p + i, len - i, &cp);

		if (n == 0) {
			strbuf_addf(&sb, "\\x%02X", p[i]);
			n = 1;
		} else if (cp < 0x20 || cp == 0x7f) {
			strbuf_addc(&sb, '^');
			strbuf_addc(&sb, cp == 0x7f ? '?' : (char)(cp + '@'));
		} else if (is_hidden_format(cp)) {
			strbuf_addf(&sb, "\\u{%04X}", (unsigned)cp);
		} else {
			strbuf_add(&sb, p + i, n);
		}
		i += n;
	}
	return strbuf_detach(&sb);
}
