/* SHA-256 (FIPS 180-4), used for the journal's hash chain and for
 * approval and message digests. */
#ifndef REWIND_CORE_SHA256_H
#define REWIND_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t n_bytes;
	uint8_t block[64];
	size_t n_block;
};

/* Start a new digest in CTX. */
void sha256_init(struct sha256 *ctx);
/* Feed N bytes of DATA. */
void sha256_update(struct sha256 *ctx, const void *data, size_t n);
/* Finish and write the 32-byte digest to OUT. */
void sha256_final(struct sha256 *ctx, uint8_t out[32]);
/* Digest DATA and write 64 lower-case hex digits plus NUL to HEX. */
void sha256_hex(const void *data, size_t n, char hex[65]);
/* Finish CTX and write the hex digest (64 digits plus NUL) to HEX. */
void sha256_final_hex(struct sha256 *ctx, char hex[65]);
/* Use the CPU's SHA instructions when ON and the CPU has them (the
 * default), else the portable C code; returns whether they are now used.
 * For tests and benchmarks that compare the two. */
int sha256_set_accel(int on);

#endif
