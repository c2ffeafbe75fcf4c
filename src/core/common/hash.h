/*
 * hash.h - the fixed hash functions of the core: FNV-1a 64 and the
 * splitmix64 finaliser.  Fixed (no seed), so what is hashed on one machine
 * hashes the same on every other: keys and blocking values are portable.
 */
#ifndef CDM_HASH_H
#define CDM_HASH_H

#include "cdm_core.h"

#define CDM_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define CDM_FNV_PRIME UINT64_C(0x100000001b3)

/* One FNV-1a step. */
static inline uint64_t
cdm_fnv_step(uint64_t h, uint32_t v)
{
	return (h ^ v) * CDM_FNV_PRIME;
}

/* FNV-1a of bytes, each as an unsigned value. */
static inline uint64_t
cdm_fnv_bytes(const char *s, size_t n)
{
	uint64_t	h = CDM_FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = cdm_fnv_step(h, (unsigned char) s[i]);
	return h;
}

/* FNV-1a of code points (ASCII text hashes as its bytes do). */
static inline uint64_t
cdm_fnv_chars(const cdm_char *s, size_t n)
{
	uint64_t	h = CDM_FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = cdm_fnv_step(h, s[i]);
	return h;
}

/* splitmix64's finaliser: every input bit reaches every output bit. */
static inline uint64_t
cdm_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

#endif							/* CDM_HASH_H */
