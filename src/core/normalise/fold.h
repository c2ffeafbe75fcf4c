/*
 * fold.h - one comparable form of a name or any text: cdm.fold.
 *
 * NFKC with case folding (ICU's NFKC_Casefold), then ICU "Any-Latin;
 * Latin-ASCII", then every character that is not a letter, digit or mark
 * becomes a separator; separators collapse to one ASCII space and the ends
 * are trimmed.  "  José MUÑOZ-García " -> "jose munoz garcia",
 * "Дмитрий" -> "dmitrij", "ＡＢＣ１" -> "abc1".
 *
 * Letters no transliterator knows stay (case-folded); decimal digits of any
 * script become ASCII digits.
 */
#ifndef CDM_FOLD_H
#define CDM_FOLD_H

#include "cdm_core.h"

/*
 * Fold pure-ASCII bytes: out needs len bytes.  Returns the result length.
 * The same result as cdm_fold on the same characters, without ICU.
 */
extern size_t cdm_fold_ascii(const char *s, size_t len, char *out);

/*
 * Fold n code points into out (capacity cap).  Returns the length of the
 * result; if that is more than cap, out holds nothing useful and the caller
 * retries with at least that much room.  Returns -1 if ICU fails (message
 * in *err, a static string).  A capacity of 2 * n + 16 is nearly always
 * enough (transliteration of Han, for one, grows the text).
 */
extern ptrdiff_t cdm_fold(const cdm_char *in, size_t n, cdm_char *out,
						  size_t cap, const char **err);

/*
 * Latin letters with diacritics go through a table built from ICU's own
 * results; tests switch it off to check that it agrees with ICU.
 */
extern bool cdm_fold_use_tables;

/*
 * Words ICU folded recently are remembered per process (see fold.c); tests
 * switch the cache off to check that a hit replays exactly what ICU gives.
 */
extern bool cdm_fold_use_cache;

#endif							/* CDM_FOLD_H */
