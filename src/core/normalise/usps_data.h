/*
 * usps_data.h - the USPS Publication 28 tables, compiled from data/usps/
 * by scripts/gen_usps.sh into usps_data.c.
 *
 * Each array is sorted by word (byte order) for binary search; words and
 * abbreviations are lower case, as cdm_fold leaves them.
 */
#ifndef CDM_USPS_DATA_H
#define CDM_USPS_DATA_H

#include "cdm_core.h"

typedef struct CdmUspsWord
{
	const char *word;
	const char *abbr;
	bool		range_required; /* unit designators: Pub 28 C2 "requires
								 * secondary range" */
} CdmUspsWord;

/* Appendix C1: every variant, primary name and standard -> standard. */
extern const CdmUspsWord cdm_usps_suffixes[];
extern const size_t cdm_usps_suffixes_n;

/* Appendix C2: every designator name and abbreviation -> abbreviation. */
extern const CdmUspsWord cdm_usps_units[];
extern const size_t cdm_usps_units_n;

/* Section 233: north .. southwest and n .. sw -> n .. sw. */
extern const CdmUspsWord cdm_usps_directionals[];
extern const size_t cdm_usps_directionals_n;

/* The entry for the len bytes at s, or NULL. */
extern const CdmUspsWord *cdm_usps_lookup(const CdmUspsWord *table, size_t n,
										  const char *s, size_t len);

#endif							/* CDM_USPS_DATA_H */
