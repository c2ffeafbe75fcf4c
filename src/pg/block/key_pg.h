/*
 * key_pg.h - the cdm.key type in the PostgreSQL skin.
 */
#ifndef CDM_KEY_PG_H
#define CDM_KEY_PG_H

#include "postgres.h"

#include "fmgr.h"

#include "key.h"

/* A cdm.key value: normalised tokens (sorted, distinct, per-field cap). */
typedef struct CdmKey
{
	int32		vl_len_;
	cdm_token	tok[FLEXIBLE_ARRAY_MEMBER];
} CdmKey;

#define CDM_KEY_NTOK(k)	((size_t) ((VARSIZE(k) - VARHDRSZ) / sizeof(cdm_token)))
#define PG_GETARG_CDM_KEY(n) ((CdmKey *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n)))

/* A palloc'd key holding n tokens, already normalised. */
extern CdmKey *cdm_key_make(const cdm_token *tok, size_t n);

/* GUC cdm.key_threshold: the largest distance k1 % k2 accepts (cdm.c). */
extern double cdm_key_threshold;

#endif							/* CDM_KEY_PG_H */
