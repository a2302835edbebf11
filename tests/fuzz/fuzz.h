/* What every fuzz target shares: the libFuzzer entry point each one
 * defines, the property check that stays on in release builds (assert()
 * is compiled out with NDEBUG), and scratch files for parsers that read
 * from disk. */
#ifndef REWIND_TESTS_FUZZ_H
#define REWIND_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Feed one input to the parser under test; always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort, printing WHAT (a property that did not hold), unless OK: the
 * fuzzer and the regression driver both report an abort as a finding. */
void fuzz_require(int ok, const char *what);

/* DATA (SIZE bytes) as a new NUL-ended string; caller frees. */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* A private scratch directory made once per process and removed at exit;
 * borrowed. */
const char *fuzz_scratch_dir(void);

/* Replace DIR/NAME with SIZE bytes of DATA; aborts when it cannot. */
void fuzz_write_file(const char *dir, const char *name, const void *data,
		     size_t size);

/* Whether TEXT (SIZE bytes) is valid UTF-8 holding no C0 control but
 * those in ALLOW, no DEL, no C1 control and no bidi override. */
int fuzz_is_terminal_safe(const char *text, size_t size, const char *allow);

#endif
