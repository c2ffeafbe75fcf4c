/*
 * bits.h - small helpers shared by the core's algorithms.
 */
#ifndef CDM_BITS_H
#define CDM_BITS_H

#include "cdm_core.h"

/* Index of the lowest set bit; x must not be 0. */
static inline int
cdm_ctz64(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_ctzll(x);
#else
	int			r = 0;

	while ((x & 1) == 0)
	{
		x >>= 1;
		r++;
	}
	return r;
#endif
}

/*
 * Drop the common prefix and suffix of a and b: they never change an edit
 * distance (Levenshtein, OSA or true Damerau), and names often share them.
 */
static inline void
cdm_strip_affixes(const cdm_char **a, size_t *m, const cdm_char **b, size_t *n)
{
	while (*m > 0 && *n > 0 && (*a)[0] == (*b)[0])
	{
		(*a)++;
		(*b)++;
		(*m)--;
		(*n)--;
	}
	while (*m > 0 && *n > 0 && (*a)[*m - 1] == (*b)[*n - 1])
	{
		(*m)--;
		(*n)--;
	}
}

/* Make a the shorter of the two (the pattern of the bit-parallel algorithms). */
static inline void
cdm_shorter_first(const cdm_char **a, size_t *m, const cdm_char **b, size_t *n)
{
	if (*m > *n)
	{
		const cdm_char *ts = *a;
		size_t		tn = *m;

		*a = *b;
		*m = *n;
		*b = ts;
		*n = tn;
	}
}

#endif							/* CDM_BITS_H */
