/*
 * country.h - a country written as its name to its ISO 3166-1 alpha-2
 * code, for reading national phone numbers ("Australia" -> "AU").
 *
 * Names are ICU's English display names of every ISO country
 * (uloc_getISOCountries, uloc_getDisplayCountry), folded as cdm_fold folds
 * ASCII; the table is built once per process.  Two-letter codes pass
 * through (upper-cased) when ISO knows them.
 */
#ifndef CDM_COUNTRY_H
#define CDM_COUNTRY_H

#include "cdm_core.h"

/*
 * The alpha-2 code of the folded country name or code s (len bytes,
 * lower-case ASCII words separated by one space, as cdm_fold gives), into
 * code[3]; false when the name is unknown.
 */
extern bool cdm_country_code(const char *s, size_t len, char code[3]);

#endif							/* CDM_COUNTRY_H */
