/*
 * daitch_mokotoff.h - Daitch-Mokotoff Soundex (Mokotoff & Daitch 1985), all
 * branches of the ambiguous letter groups, as PostgreSQL's daitch_mokotoff().
 *
 * Input: code points, already transliterated by the caller with
 * CDM_TRANSLIT_DAITCH_MOKOTOFF (ASCII letters of either case plus the chart's
 * own letters A/E with ogonek, T with cedilla or comma below).  Everything
 * else is ignored as if absent, so words are run together ("Nowy Targ" is
 * coded as NOWYTARG) and a letter group can span a hyphen or a space.
 */
#ifndef CDM_DAITCH_MOKOTOFF_H
#define CDM_DAITCH_MOKOTOFF_H

#include "cdm_core.h"

/*
 * No input can give more codes than this.  A code is the digits its branch
 * emitted, padded with 0 to six.  0 and 2 are only ever emitted by the first
 * letter group (the chart's "start of a name" column), so after the first
 * digit each of the other five positions holds one of the eight digits
 * 1 3 4 5 6 7 8 9 or is padding, and a digit is never followed by a
 * non-padding 0: distinct branches' digit strings give distinct codes, and
 * there are at most 1 + 8 + 8^2 + ... + 8^6 = 299593 strings of up to six
 * such digits.  (When the first group codes at the start, its at most two
 * alternatives choose the first digit and the bound is 74898; only a name
 * starting with A/E-ogonek, which is not coded at the start, lets all eight
 * digits lead.)  The bound is loose but no small bound exists: runs of the
 * groups that may be coded as nothing (J, A/E-ogonek) between the other
 * ambiguous groups (C, CH, CK, RS, RZ, T-cedilla) reach well over a thousand
 * codes with under 50 letters (test_daitch_mokotoff.c has one with 1292).
 * So callers pass a small buffer first and, on -1, count (codes = NULL) and
 * size the buffer exactly, or use this bound (about 2 MB).
 */
#define CDM_DM_MAX_CODES 299593

/*
 * All distinct six-digit codes of s[0..n), each once, NUL-terminated, in
 * ascending order (PostgreSQL lists the same set in the order its code tree
 * completes them; sorted, equal sets are equal arrays).  Returns how many;
 * 0 when s has no letter at all (PostgreSQL returns NULL then; a name of
 * letters that are never coded, such as "A-ogonek", gives 000000 like it);
 * -1 when there are more than max_codes (codes then holds the first
 * max_codes).  With codes == NULL nothing is stored and the count is
 * returned whatever max_codes is.  Needs no memory beyond codes: it runs
 * one pass over the input per node of the code trie (about 10 to 40 for a
 * name, well under a microsecond in all) and stops a pass as soon as no
 * branch is left on that node's path, so a long name is read only until
 * its branches have six digits.  Input on which some branches never get
 * there (1 MB of "JCJT-cedilla" repeated: 250 codes) is read to the end
 * once per node, several seconds for 1 MB, with CDM_CHECK_INTERRUPTS()
 * throughout.
 */
extern int	cdm_daitch_mokotoff(const cdm_char *s, size_t n,
								char codes[][7], int max_codes);

/*
 * The no-branching variant of commons-codec's DaitchMokotoffSoundex.encode():
 * one code, from the primary alternative of every ambiguous group (C, CH,
 * RS, RZ: 4; CK: 5; J: the vowel reading; A/E-ogonek: not coded;
 * T-cedilla: 3).  It is always one of cdm_daitch_mokotoff()'s codes.
 * Returns 1, or 0 (and code = "") when s has no letter.
 */
extern int	cdm_daitch_mokotoff_first(const cdm_char *s, size_t n, char code[7]);

#endif							/* CDM_DAITCH_MOKOTOFF_H */
