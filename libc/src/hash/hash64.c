// SPDX-License-Identifier: MIT
/*
 * libc_hash64: a fast 64-bit hash of a byte range (see libc.h), for the
 * patch cache's check that a file's code is the code its entry was made
 * from. Not cryptographic: the cache directory is the user's own, and
 * what the hash must catch is a file changed behind the key's back (an
 * edit with its times put back), not a forger.
 *
 * Four independent lanes of multiply-rotate over 8-byte words, so that
 * the multiplies overlap: about 8 bytes a cycle, which makes checking
 * libc's 1.6 MB of code on every start cost tens of microseconds, not
 * hundreds (a byte-at-a-time FNV would be ~2 ms).
 */
#include <libc.h>
#include <string.h>

#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xc2b2ae3d27d4eb4fULL

static uint64_t rotl(uint64_t v, int n)
{
	return (v << n) | (v >> (64 - n));
}

static uint64_t lane(uint64_t h, uint64_t w)
{
	return rotl(h ^ (w * K2), 31) * K1;
}

/* The final mix of MurmurHash3 (fmix64): every input bit reaches every
 * output bit. */
static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

uint64_t libc_hash64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h[4] = {seed ^ K1, seed ^ K2, seed + K1, seed - K2}, w[4];
	size_t i = 0;

	for (; n - i >= 32; i += 32) {
		__builtin_memcpy(w, p + i, 32);
		h[0] = lane(h[0], w[0]);
		h[1] = lane(h[1], w[1]);
		h[2] = lane(h[2], w[2]);
		h[3] = lane(h[3], w[3]);
	}
	uint64_t r = rotl(h[0], 1) + rotl(h[1], 7) + rotl(h[2], 12) + rotl(h[3], 18);
	for (; n - i >= 8; i += 8) {
		__builtin_memcpy(w, p + i, 8);
		r = lane(r, w[0]);
	}
	if (i < n) {
		uint64_t tail = 0;
		memcpy(&tail, p + i, n - i);
		r = lane(r, tail);
	}
	return mix(r ^ n);
}
