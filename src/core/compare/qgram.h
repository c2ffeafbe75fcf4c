/*
 * qgram.h - q-gram similarity: the Jaccard index of the q-gram SETS of
 * two code-point strings (Ukkonen 1992, "Approximate string-matching with
 * q-grams and maximal matches"; Jaccard 1912 for the index).
 *
 * Each string is padded with q - 1 sentinels at both ends (a value no code
 * point of either string takes, see below; 0x110000 in the abstract: not a
 * Unicode scalar, so it never equals a real character); a string of
 * m >= 1 code points then has m + q - 1 q-grams (q = 1: no padding, the
 * characters themselves).  The result is |A & B| / |A | B| over the sets
 * (duplicates count once).  The empty string has no q-grams: both empty
 * gives 1.0 ('' = '' are identical), exactly one empty gives 0.0.
 * q < 1 is rejected with -1.0 (the skin should raise an error first).
 * Code points must be <= 0x10FFFF.
 *
 * Exactness: when q symbols fit in 64 bits a q-gram is packed losslessly
 * into its key: a symbol takes 1 + the bit width of the largest code point
 * in either string (the sentinel is the next power of two), or 21 bits
 * with the sentinel 0x110000 from U+100000 on.  So always for q <= 3; for
 * ASCII text up to q = 8, Latin-1 q = 7, below U+0800 (Greek, Cyrillic,
 * Hebrew, Arabic) q = 5.  Otherwise a q-gram is represented by a
 * polynomial hash modulo the prime 2^61 - 1 (rolling, so O(1) per q-gram
 * whatever q).  Two different q-grams collide with probability
 * <= (q - 1) / (2^61 - 1) over the choice of base; with N distinct q-grams
 * in all, the chance that any collision affects the result is
 * <= N^2 q / 2^62 (about 1e-14 for two 30-character names at q = 10,
 * 4e-6 for two 1 MB strings at q = 5).  The base is fixed, so inputs
 * crafted against it could collide; a collision can only raise the
 * result.
 *
 * Workspace: cdm_qgram_workspace(m, n, q) bytes, passed as work.
 *   - 0 when m + q - 1 <= 64 and n + q - 1 <= 64 (5.2 KB of stack inside);
 *     work may then be NULL.
 *   - otherwise 16 * ((m + q - 1) + (n + q - 1)) bytes, 8-byte aligned.
 * Cost O(m + n + q) time and space (q-gram count), radix-sorted; calls
 * CDM_CHECK_INTERRUPTS() every CDM_INTERRUPT_STRIDE elements.  The skin
 * should bound q (the q-gram count, hence memory, grows with q).
 */
#ifndef CDM_QGRAM_H
#define CDM_QGRAM_H

#include "cdm_core.h"

extern size_t cdm_qgram_workspace(size_t m, size_t n, int q);

extern double cdm_qgram_similarity(const cdm_char *a, size_t m,
								   const cdm_char *b, size_t n,
								   int q, void *work);

#endif							/* CDM_QGRAM_H */
