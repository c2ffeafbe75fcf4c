/*
 * damerau.h - Damerau-Levenshtein distances over code points.
 *
 * cdm_damerau_levenshtein: the true (unrestricted) distance, where a
 * transposed pair may be edited further ('ca' -> 'abc' = 2), by the
 * Lowrance-Wagner algorithm (JACM 22(2), 1975).  It needs the whole
 * (m+2) x (n+2) matrix, so inputs are limited to CDM_DAMERAU_MAX_CELLS.
 *
 * cdm_osa_distance: optimal string alignment (restricted Damerau, no
 * substring edited twice: 'ca' -> 'abc' = 3), bit-parallel after Hyyrö
 * ("A bit-vector algorithm for computing Levenshtein and Damerau edit
 * distances", Nordic J. Computing 10, 2003) for a shorter string of up to
 * 64 code points, a three-row DP (linear memory, no limit) beyond.
 */
#ifndef CDM_DAMERAU_H
#define CDM_DAMERAU_H

#include "cdm_core.h"

/* Largest (m+2)*(n+2) after common prefix/suffix removal: 256 MB of int32. */
#define CDM_DAMERAU_MAX_CELLS (INT64_C(64) * 1024 * 1024)

/* Bytes of scratch space; 0 when the inputs exceed CDM_DAMERAU_MAX_CELLS. */
extern size_t cdm_damerau_workspace(const cdm_char *a, size_t m,
									const cdm_char *b, size_t n);

/* True Damerau-Levenshtein distance; -1 if over CDM_DAMERAU_MAX_CELLS. */
extern int64_t cdm_damerau_levenshtein(const cdm_char *a, size_t m,
									   const cdm_char *b, size_t n,
									   void *work);

extern size_t cdm_osa_workspace(size_t m, size_t n);
extern int64_t cdm_osa_distance(const cdm_char *a, size_t m,
								const cdm_char *b, size_t n, void *work);

#endif							/* CDM_DAMERAU_H */
