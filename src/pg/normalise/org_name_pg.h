/*
 * org_name_pg.h - cdm.org_name_norm for other parts of the skin (the match
 * records of organisations).
 */
#ifndef CDM_ORG_NAME_PG_H
#define CDM_ORG_NAME_PG_H

#include "postgres.h"

/* The comparable form of an organisation name, palloc'd (may be empty). */
extern text *cdm_org_name_norm_text(const text *t);

#endif							/* CDM_ORG_NAME_PG_H */
