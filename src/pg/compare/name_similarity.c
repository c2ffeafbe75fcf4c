/*
 * name_similarity.c - SQL wrapper for cdm.name_similarity.
 */
#include "postgres.h"

#include "fmgr.h"

#include "name_similarity.h"
#include "names_pg.h"
#include "pg_text.h"

PG_FUNCTION_INFO_V1(cdm_name_similarity_sql);

Datum
cdm_name_similarity_sql(PG_FUNCTION_ARGS)
{
	CdmName		a,
				b;

	cdm_name_from_text(cdm_getarg_text(fcinfo, 0), &a);
	cdm_name_from_text(cdm_getarg_text(fcinfo, 1), &b);
	PG_RETURN_FLOAT8(cdm_name_similarity(&a, &b));
}
