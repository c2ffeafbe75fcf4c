/*
 * country_pg.c - cdm.country_code: a country written as its English name or
 * its ISO code, as the ISO 3166-1 alpha-2 code (data quality checks of
 * postcodes and phone numbers need the country, sources write it either way).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "country.h"
#include "fold_pg.h"

PG_FUNCTION_INFO_V1(cdm_country_code_sql);

Datum
cdm_country_code_sql(PG_FUNCTION_ARGS)
{
	text	   *f = cdm_fold_text(PG_GETARG_TEXT_PP(0));
	char		code[3];

	if (!cdm_country_code(VARDATA_ANY(f), VARSIZE_ANY_EXHDR(f), code))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(code, 2));
}
