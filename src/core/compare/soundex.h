/*
 * soundex.h - American Soundex (letter + three digits).
 */
#ifndef CDM_SOUNDEX_H
#define CDM_SOUNDEX_H

#include "cdm_core.h"

/*
 * Soundex code of s[0..n) into out (NUL-terminated): the first ASCII letter
 * upper-cased, then three digits, zero-padded ("R163").  Anything that is
 * not an ASCII letter is ignored, wherever it stands; with no ASCII letter
 * at all, out is "" (as PostgreSQL's soundex('')).  Non-ASCII input should
 * be transliterated first (cdm_translit, CDM_TRANSLIT_ASCII).
 */
extern void cdm_soundex(const cdm_char *s, size_t n, char out[5]);

#endif							/* CDM_SOUNDEX_H */
