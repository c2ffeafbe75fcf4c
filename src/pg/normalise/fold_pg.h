/*
 * fold_pg.h - cdm.fold for other parts of the skin.
 */
#ifndef CDM_FOLD_PG_H
#define CDM_FOLD_PG_H

#include "postgres.h"

/* The folded value, palloc'd, in the server encoding. */
extern text *cdm_fold_text(const text *t);

#endif							/* CDM_FOLD_PG_H */
