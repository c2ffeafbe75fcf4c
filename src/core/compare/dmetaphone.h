/*
 * dmetaphone.h - Double Metaphone (Lawrence Philips, 2000).
 */
#ifndef CDM_DMETAPHONE_H
#define CDM_DMETAPHONE_H

#include "cdm_core.h"

/* Longest code, as every published implementation truncates it. */
#define CDM_DMETAPHONE_MAXLEN 4

/*
 * Primary and alternate codes of the n code points at s, each at most 4
 * characters and NUL-terminated; both empty when s holds no letter.  The
 * alternate equals the primary where no rule offers an alternative.
 *
 * Letters are ASCII (either case) plus Ç/ç; every other code point is a
 * non-letter.  Feed non-ASCII text through cdm_translit(CDM_TRANSLIT_DMETAPHONE)
 * first.  Leading and trailing whitespace/control characters are ignored.
 */
extern void cdm_dmetaphone(const cdm_char *s, size_t n,
						   char primary[CDM_DMETAPHONE_MAXLEN + 1],
						   char alternate[CDM_DMETAPHONE_MAXLEN + 1]);

#endif							/* CDM_DMETAPHONE_H */
