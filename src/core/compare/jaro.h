/*
 * jaro.h - Jaro (Jaro 1989) and Jaro-Winkler (Winkler 1990) similarity
 * over code points.
 *
 * Definitions (the ones jellyfish, strsim, talisman and Winkler's tables
 * share):
 *   window w = max(floor(max(m, n) / 2) - 1, 0); a[i] matches the first
 *   still-unmatched b[j] == a[i] with |i - j| <= w, taking i left to right;
 *   c = matches, t = floor(k / 2) where k counts the positions at which the
 *   matched characters of a and of b, each read in string order, differ;
 *   Jaro = (c/m + c/n + (c - t)/c) / 3, or 0 when c = 0.
 *   Jaro-Winkler = J + l * 0.1 * (1 - J) when J > 0.7, l = length of the
 *   common prefix capped at 4; otherwise J.  No long-string adjustment.
 * Both empty: 1.0 (identical strings); one empty: 0.0.
 * The 0.7 test is exact (integer arithmetic), so an exact 7/10 ("a"
 * against a 10-character string starting with "a") is not boosted, as
 * Winkler defines it; jellyfish and strsim boost it because their double
 * happens to round to 0.7000000000000001.
 *
 * Workspace: cdm_jaro_workspace(m, n) bytes, to be passed as work.
 *   - 0 when m <= 64 and n <= 64 (the bit-parallel path uses 1.3 KB of its
 *     own stack); work may then be NULL.
 *   - otherwise 8 * (ceil(m / 64) + ceil(n / 64)) + max(8 * S + 4 * n,
 *     16 * (m + n)) bytes, S = the smallest power of two >= max(2n, 16);
 *     8-byte aligned (what palloc returns).  At most about 36 n + 16 m.
 * Preconditions: m, n < 2^31 (PostgreSQL text is below 1 GB anyway), code
 * points <= 0x10FFFF.
 * Cost: O(m + n) for every length and every input -- bit-parallel up to 64
 * code points, a per-character list merge beyond (hash table; input
 * crafted to collide in it exceeds a linear probing budget and is redone
 * by radix sort), see jaro.c -- never O(m * window).  The long path calls
 * CDM_CHECK_INTERRUPTS() every CDM_INTERRUPT_STRIDE steps.
 */
#ifndef CDM_JARO_H
#define CDM_JARO_H

#include "cdm_core.h"

extern size_t cdm_jaro_workspace(size_t m, size_t n);

extern double cdm_jaro(const cdm_char *a, size_t m,
					   const cdm_char *b, size_t n, void *work);

extern double cdm_jaro_winkler(const cdm_char *a, size_t m,
							   const cdm_char *b, size_t n, void *work);

#endif							/* CDM_JARO_H */
