/*
 * metaphone.h - Lawrence Philips' Metaphone (1990), commons-codec dialect.
 */
#ifndef CDM_METAPHONE_H
#define CDM_METAPHONE_H

#include "cdm_core.h"

/*
 * Metaphone code of s[0..n) into out, NUL-terminated; returns its length.
 * max_len > 0 truncates the code to max_len characters (commons-codec's
 * default is 4, PostgreSQL's metaphone() takes it as an argument);
 * max_len 0 means no limit.
 *
 * Buffer rule: out needs room for 2 * n + 1 bytes (X codes as KS, so a
 * letter yields at most two characters); when max_len > 0, max_len + 1
 * bytes are always enough.
 *
 * Only ASCII letters are coded (either case); anything else is skipped and
 * ends a word for the "at the end" rules.  Non-ASCII input should be
 * transliterated first (cdm_translit, CDM_TRANSLIT_ASCII).
 */
/* Bytes cdm_metaphone needs for an input of n code points, any max_len. */
#define CDM_METAPHONE_OUT_SIZE(n) (2 * (size_t) (n) + 1)

extern size_t cdm_metaphone(const cdm_char *s, size_t n, size_t max_len,
							char *out);

#endif							/* CDM_METAPHONE_H */
