/*
 * translit.h - any script to plain ASCII letters through ICU, for the
 * phonetic codes (and, later, cdm.fold).
 *
 * ICU's "Any-Latin; Latin-ASCII" turns Дмитрий into Dmitrij, Müller into
 * Muller and Straßburg into Strassburg.  Some phonetic algorithms code a few
 * non-ASCII letters natively (Double Metaphone: Ç; Daitch-Mokotoff: ą ę ţ ț),
 * so each profile keeps its own letters out of the transliteration.
 *
 * The transliterators are created once per process and cached (ICU objects,
 * outside any PostgreSQL memory context, on purpose: they live as long as
 * the backend).
 */
#ifndef CDM_TRANSLIT_H
#define CDM_TRANSLIT_H

#include "cdm_core.h"

typedef enum CdmTranslitProfile
{
	CDM_TRANSLIT_ASCII = 0,		/* everything to ASCII */
	CDM_TRANSLIT_DMETAPHONE,	/* keeps Ç ç */
	CDM_TRANSLIT_DAITCH_MOKOTOFF,	/* keeps Ą ą Ę ę Ţ ţ Ț ț */
	CDM_TRANSLIT_LATIN,			/* to Latin only, diacritics kept (fold.c) */
	CDM_TRANSLIT_NPROFILES
} CdmTranslitProfile;

/*
 * Transliterate n code points into out (capacity cap code points).
 * Returns the length of the result; if that is more than cap, nothing
 * useful was written and the caller retries with a larger buffer.
 * Returns -1 if ICU fails (message in *err, a static string).
 */
extern ptrdiff_t cdm_translit(CdmTranslitProfile profile,
							  const cdm_char *in, size_t n,
							  cdm_char *out, size_t cap,
							  const char **err);

/* The ICU version string, e.g. "72.1" (indexes on folded values depend on it). */
extern const char *cdm_icu_version(void);

#endif							/* CDM_TRANSLIT_H */
