/*
 * levenshtein.h - unit-cost edit distances over code points.
 *
 * cdm_levenshtein: Myers' bit-parallel algorithm (Myers 1999, in Hyyrö's
 * formulation for global distance, Hyyrö 2001), one 64-bit word for the
 * shorter string up to 64 code points, Myers' block extension past that.
 * With a bound (max >= 0) a result above max is reported as max + 1, and
 * long inputs switch to Ukkonen's diagonal band (Ukkonen 1985) with early
 * exit, so the bounded call costs O(max * n) instead of O(m * n / 64).
 */
#ifndef CDM_LEVENSHTEIN_H
#define CDM_LEVENSHTEIN_H

#include "cdm_core.h"

/* Bytes of scratch space cdm_levenshtein needs for these lengths. */
extern size_t cdm_levenshtein_workspace(size_t m, size_t n);

/*
 * Edit distance between a[0..m) and b[0..n).  max < 0: exact distance.
 * max >= 0: the exact distance if it is <= max, otherwise max + 1.
 */
extern int64_t cdm_levenshtein(const cdm_char *a, size_t m,
							   const cdm_char *b, size_t n,
							   int64_t max, void *work);

#endif							/* CDM_LEVENSHTEIN_H */
