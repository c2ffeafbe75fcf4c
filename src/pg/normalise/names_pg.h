/*
 * names_pg.h - parsed names and code points as text, for the name
 * functions of the skin (name_parts, name_similarity).
 */
#ifndef CDM_NAMES_PG_H
#define CDM_NAMES_PG_H

#include "postgres.h"

#include "name_parts.h"

/* Parse a text value into *name; buffers are palloc'd (freed with the context). */
extern void cdm_name_from_text(const text *t, CdmName *name);

/* Code points as a text value in the server encoding. */
extern text *cdm_text_from_chars(const cdm_char *cp, size_t n);

#endif							/* CDM_NAMES_PG_H */
