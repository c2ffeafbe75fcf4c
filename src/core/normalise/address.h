/*
 * address.h - cdm.address_norm: one comparable form of a US delivery
 * address line, with the standard abbreviations of USPS Publication 28.
 *
 * The input is already folded (cdm_fold: lower case, ASCII where a
 * transliteration exists, words separated by single spaces).  The line is
 * read as Pub 28 writes it:
 *
 *   [house number] [predirectional] street name [suffix] [postdirectional]
 *   [unit designator [range]]...
 *
 * and only the parts in those positions are abbreviated, so that
 * "123 North Main Street Apartment 4", "123 N. Main St., Apt. #4" and
 * "123 north main st apt 4" all become "123 n main st apt 4", while a
 * directional or suffix that is the street name stays ("123 North St",
 * "100 Park Avenue" -> "100 park ave", "123 Avenue of the Americas").
 * The rules, and where they guess, are in address.c.
 */
#ifndef CDM_ADDRESS_H
#define CDM_ADDRESS_H

#include "cdm_core.h"

/* One street suffix variant can gain a letter: AV -> AVE, WY -> WAY. */
#define CDM_ADDRESS_GROWTH 1

/*
 * The most bytes the result of len bytes can take: the suffix above, and
 * one more for every "pobox", which becomes "po box" (a pobox takes 6 bytes
 * with the space after it, so there are at most (len + 1) / 6 of them:
 * "pobox 1 pobox 2" gains 2, test/fuzz/fuzz_address.c found it).
 * Directionals, unit designators and ordinals only ever get shorter.
 */
#define CDM_ADDRESS_OUT_SIZE(len) \
	((size_t) (len) + ((size_t) (len) + 1) / 6 + CDM_ADDRESS_GROWTH)

/* Bytes of scratch space cdm_address_norm_folded needs for len bytes. */
extern size_t cdm_address_workspace(size_t len);

/*
 * Normalise the folded address s (len bytes, any ASCII-compatible encoding:
 * only ASCII words are matched) into out (capacity cap;
 * CDM_ADDRESS_OUT_SIZE(len) is always enough).  Returns the length of the result;
 * if that is more than cap, out holds nothing useful.  ws is scratch space
 * of cdm_address_workspace(len) bytes.  Not NUL-terminated.
 */
extern size_t cdm_address_norm_folded(const char *s, size_t len, char *out,
									  size_t cap, void *ws);

#endif							/* CDM_ADDRESS_H */
