/* OSC 52, "set the clipboard": the one control sequence rewind writes on
 * purpose. A pure encoder; the console writes the result to the terminal
 * (the core never touches it). */
#ifndef REWIND_CORE_OSC52_H
#define REWIND_CORE_OSC52_H

#include <stddef.h>

#define OSC52_MAX_TEXT (100 * 1024)	/* terminals cap the sequence */

/* The sequence ESC ] 52 ; c ; BASE64(TEXT) BEL for LEN bytes of TEXT
 * (caller frees), or NULL when LEN exceeds OSC52_MAX_TEXT. */
char *osc52_encode(const char *text, size_t len);

/* Standard base64 (with padding) of LEN bytes of DATA; caller frees. */
char *osc52_base64(const void *data, size_t len);

#endif
