/* SHA-256 as specified in FIPS 180-4, written from the standard so core
 * needs no crypto library for the journal's hash chain. On x86-64 CPUs
 * with the SHA extensions the compression function runs on them, which is
 * what keeps opening a journal of 100,000 lines well under 200 ms. */
#include "config.h"
#include "sha256.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void
store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Message schedule W[0..63] of FIPS 180-4 section 6.2.2 step 1. */
static void
expand(const uint8_t *block, uint32_t w[64])
{
	for (int t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (int t = 16; t < 64; t++) {
		uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^
			      (w[t - 15] >> 3);
		uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^
			      (w[t - 2] >> 10);

		w[t] = w[t - 16] + s0 + w[t - 7] + s1;
	}
}

static void
compress_c(uint32_t h[8], const uint8_t *block)
{
	uint32_t w[64];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];

	expand(block, w);
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
			      ((e & f) ^ (~e & g)) + k256[t] + w[t];
		uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
			      ((a & b) ^ (a & c) ^ (b & c));

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

#ifdef HAVE_SHA_NI
#define NI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Rounds T..T+3 with message words MSG. SHA256RNDS2 does two rounds with
 * the low half of MSG + K and returns the new ABEF; the old ABEF becomes
 * the new CDGH, so the two registers swap roles each call. */
/* Always inlined: a debug build would otherwise spend more time passing
 * the registers through the stack than hashing. */
NI_TARGET __attribute__((always_inline)) static inline void
ni_rounds4(__m128i *abef, __m128i *cdgh, __m128i msg, int t)
{
	__m128i wk = _mm_add_epi32(msg,
				   _mm_loadu_si128((const __m128i *)&k256[t]));

	*cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
	wk = _mm_shuffle_epi32(wk, 0x0e);
	*abef = _mm_sha256rnds2_epu32(*abef, *cdgh, wk);
}

NI_TARGET static void
ni_block(__m128i *abef, __m128i *cdgh, const uint8_t *p)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL,
					     0x0405060700010203LL);
	__m128i w[4];

	for (int i = 0; i < 4; i++) {
		w[i] = _mm_shuffle_epi8(
			_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
		ni_rounds4(abef, cdgh, w[i], 4 * i);
	}
	/* W[t] for t >= 16, four at a time in a ring of four registers
	 * (section 6.2.2 step 1): MSG1 adds sigma0 of W[t-15], the alignr
	 * supplies W[t-7], MSG2 adds sigma1 of W[t-2]. */
	for (int i = 4; i < 16; i++) {
		__m128i w7 = _mm_alignr_epi8(w[(i - 1) & 3], w[(i - 2) & 3], 4);
		__m128i x = _mm_sha256msg1_epu32(w[i & 3], w[(i - 3) & 3]);

		w[i & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(x, w7),
						w[(i - 1) & 3]);
		ni_rounds4(abef, cdgh, w[i & 3], 4 * i);
	}
}

/* The SHA-NI compression of N_BLOCKS consecutive blocks. H[0..7] is
 * reshuffled into the ABEF/CDGH register layout SHA256RNDS2 works on. */
NI_TARGET static void
compress_ni(uint32_t h[8], const uint8_t *p, size_t n_blocks)
{
	__m128i cdab = _mm_shuffle_epi32(
		_mm_loadu_si128((const __m128i *)&h[0]), 0xb1);
	__m128i efgh = _mm_shuffle_epi32(
		_mm_loadu_si128((const __m128i *)&h[4]), 0x1b);
	__m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
	__m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
	__m128i feba, dchg;

	for (; n_blocks > 0; n_blocks--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh;

		ni_block(&abef, &cdgh, p);
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	feba = _mm_shuffle_epi32(abef, 0x1b);
	dchg = _mm_shuffle_epi32(cdgh, 0xb1);
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(feba, dchg, 0xf0));
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(dchg, feba, 8));
}

static int
cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
	    !(c & bit_SSE4_1))
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (b & bit_SHA) != 0;
}
#else
static int
cpu_has_sha_ni(void)
{
	return 0;
}
#endif

/* -1 until the CPU is asked, then 1 to use SHA-NI or 0 for the C code. */
static atomic_int use_ni = -1;

int
sha256_set_accel(int on)
{
	atomic_store(&use_ni, on && cpu_has_sha_ni());
	return atomic_load(&use_ni);
}

static void
compress(uint32_t h[8], const uint8_t *p, size_t n_blocks)
{
	int ni = atomic_load_explicit(&use_ni, memory_order_relaxed);

	if (n_blocks == 0)
		return;
	if (ni < 0)
		ni = sha256_set_accel(1);
#ifdef HAVE_SHA_NI
	if (ni) {
		compress_ni(h, p, n_blocks);
		return;
	}
#endif
	for (; n_blocks > 0; n_blocks--, p += 64)
		compress_c(h, p);
}

void
sha256_init(struct sha256 *ctx)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(ctx->h, h0, sizeof(h0));
	ctx->n_bytes = 0;
	ctx->n_block = 0;
}

void
sha256_update(struct sha256 *ctx, const void *data, size_t n)
{
	const uint8_t *p = data;

	if (n == 0)
		return;
	ctx->n_bytes += n;
	if (ctx->n_block > 0) {
		size_t take = 64 - ctx->n_block < n ? 64 - ctx->n_block : n;

		memcpy(ctx->block + ctx->n_block, p, take);
		ctx->n_block += take;
		p += take;
		n -= take;
		if (ctx->n_block < 64)
			return;
		compress(ctx->h, ctx->block, 1);
		ctx->n_block = 0;
	}
	/* Whole blocks are hashed straight from the caller's buffer. */
	compress(ctx->h, p, n / 64);
	p += n - n % 64;
	n %= 64;
	memcpy(ctx->block, p, n);
	ctx->n_block = n;
}

void
sha256_final(struct sha256 *ctx, uint8_t out[32])
{
	uint64_t n_bits = ctx->n_bytes * 8;

	/* Padding (section 5.1.1): 0x80, zeros, then the 64-bit bit length,
	 * spilling into a second block when fewer than 8 bytes remain. */
	ctx->block[ctx->n_block++] = 0x80;
	if (ctx->n_block > 56) {
		memset(ctx->block + ctx->n_block, 0, 64 - ctx->n_block);
		compress(ctx->h, ctx->block, 1);
		ctx->n_block = 0;
	}
	memset(ctx->block + ctx->n_block, 0, 56 - ctx->n_block);
	store_be32(ctx->block + 56, (uint32_t)(n_bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)n_bits);
	compress(ctx->h, ctx->block, 1);
	for (int i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->h[i]);
	sha256_init(ctx);
}

void
sha256_final_hex(struct sha256 *ctx, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t md[32];

	sha256_final(ctx, md);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0x0f];
	}
	hex[64] = '\0';
}

void
sha256_hex(const void *data, size_t n, char hex[65])
{
	struct sha256 ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, n);
	sha256_final_hex(&ctx, hex);
}
