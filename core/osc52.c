/* OSC 52 clipboard sequences: base64 of the text between the introducer
 * and BEL. Base64 output holds no control byte, so whatever the text is,
 * nothing in it can end the sequence early or start another. */
#include "config.h"
#include "osc52.h"

#include <stdint.h>
#include <stdlib.h>

#include "xalloc.h"

char *
osc52_base64(const void *data, size_t len)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char *out = xmalloc((len + 2) / 3 * 4 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = digits[(v >> 18) & 63];
		out[o++] = digits[(v >> 12) & 63];
		out[o++] = i + 1 < len ? digits[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? digits[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}

char *
osc52_encode(const char *text, size_t len)
{
	char *b64, *seq;

	if (len > OSC52_MAX_TEXT)
		return NULL;
	b64 = osc52_base64(text, len);
	seq = xasprintf("\033]52;c;%s\a", b64);
	free(b64);
	return seq;
}
