/*
 * cdm.c - module entry: registers the core's interrupt hook and the GUCs.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "utils/builtins.h"
#include "utils/guc.h"

#include "cdm_core.h"
#include "key_pg.h"
#include "translit.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* The core's long loops call this: cancellation reaches them within a stride. */
static void
cdm_pg_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
_PG_init(void)
{
	cdm_check_interrupts = cdm_pg_check_interrupts;

	DefineCustomRealVariable("cdm.key_threshold",
							 "Largest cdm.key distance the % operator accepts.",
							 "Keys at distance (1 - similarity) up to this value match; "
							 "the GiST index cdm.gist_key_ops answers % with it.",
							 &cdm_key_threshold,
							 0.6, 0.0, 1.0,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("cdm");
}

PG_FUNCTION_INFO_V1(cdm_icu_version_sql);

/* Which ICU this backend transliterates with: indexes on phonetic codes depend on it. */
Datum
cdm_icu_version_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(cdm_icu_version()));
}
