/* Making untrusted text (command output, registry JSON, tag messages, log
 * lines) safe for a terminal: no control sequence survives. */
#ifndef REWIND_CORE_SANITIZE_H
#define REWIND_CORE_SANITIZE_H

#include <stddef.h>

/* Return a copy of LEN bytes of TEXT (caller frees) in which every C0
 * control (tab, CR, LF and BS included), DEL, C1 control (U+0080-U+009F),
 * bidirectional override (U+202A-U+202E, U+2066-U+2069), invisible
 * character (utf8_is_invisible: zero-width space, ...) and invalid UTF-8
 * byte is replaced by a visible form: ^X for C0 and DEL, \u{XXXX} for C1
 * and bidi, <U+XXXX> for invisible ones, \xNN for invalid bytes. Valid
 * printable UTF-8 is kept. */
char *sanitize_text(const char *text, size_t len);

/* Whether sanitize_text would return LEN bytes of TEXT unchanged. */
int sanitize_is_clean(const char *text, size_t len);

#endif
