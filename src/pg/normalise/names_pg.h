/*
 * names_pg.h - parsed names, for the name
 * functions of the skin (name_parts, name_similarity).
 */
#ifndef CDM_NAMES_PG_H
#define CDM_NAMES_PG_H

#include "postgres.h"

#include "name_parts.h"

/* Parse a text value into *name; buffers are palloc'd (freed with the context). */
extern void cdm_name_from_text(const text *t, CdmName *name);


#endif							/* CDM_NAMES_PG_H */
