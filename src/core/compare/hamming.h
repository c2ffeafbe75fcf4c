/*
 * hamming.h - Hamming distance over code points (equal lengths only).
 */
#ifndef CDM_HAMMING_H
#define CDM_HAMMING_H

#include "cdm_core.h"

/* Positions where a and b differ; -1 when m != n (the caller reports it). */
extern int64_t cdm_hamming(const cdm_char *a, size_t m, const cdm_char *b, size_t n);

#endif							/* CDM_HAMMING_H */
