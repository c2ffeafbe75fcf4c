/*
 * nysiis.h - NYSIIS, the New York State Identification and Intelligence
 * System phonetic code (Taft 1970).
 */
#ifndef CDM_NYSIIS_H
#define CDM_NYSIIS_H

#include "cdm_core.h"

/*
 * NYSIIS code of s[0..n) into out, NUL-terminated; returns its length.
 * max_len 0: no truncation (jellyfish, talisman, commons-codec with
 * strict=false); max_len 6: Taft's six-character key (commons-codec's
 * default strict mode).
 *
 * Buffer rule: out needs room for n + 1 bytes whatever max_len is (it
 * holds the working copy of the name; the code is never longer).
 *
 * Only ASCII letters are coded (either case); everything else is dropped
 * before coding ("O'Daniel" = "ODaniel", "Louis XVI" = "LouisXVI").
 * Non-ASCII input should be transliterated first (cdm_translit,
 * CDM_TRANSLIT_ASCII).
 */
/* Bytes cdm_nysiis needs for an input of n code points. */
#define CDM_NYSIIS_OUT_SIZE(n) ((size_t) (n) + 1)

extern size_t cdm_nysiis(const cdm_char *s, size_t n, size_t max_len,
						 char *out);

#endif							/* CDM_NYSIIS_H */
