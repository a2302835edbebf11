/* One sanitizer for all untrusted text before it reaches a terminal. */
#include "config.h"
#include "sanitize.h"

#include <stdint.h>

#include "strbuf.h"
#include "utf8.h"

char *
sanitize_text(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0) {
			strbuf_addf(&sb, "\\x%02X", p[i]);
			n = 1;
		} else if (cp < 0x20 || cp == 0x7f) {
			strbuf_addc(&sb, '^');
			strbuf_addc(&sb, cp == 0x7f ? '?' : (char)(cp + '@'));
		} else if (utf8_is_hidden_format(cp)) {
			strbuf_addf(&sb, "\\u{%04X}", (unsigned)cp);
		} else if (utf8_is_invisible(cp)) {
			/* Shown, not hidden: "a<U+200B>b" */
			strbuf_addf(&sb, "<U+%04X>", (unsigned)cp);
		} else {
			strbuf_add(&sb, p + i, n);
		}
		i += n;
	}
	return strbuf_detach(&sb);
}
