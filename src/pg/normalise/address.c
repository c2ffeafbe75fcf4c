/*
 * address.c - SQL wrapper for cdm.address_norm.
 */
#include "postgres.h"

#include "fmgr.h"

#include "address.h"
#include "fold_pg.h"
#include "pg_text.h"

PG_FUNCTION_INFO_V1(cdm_address_norm_sql);

/* Room on the stack for the words of an address of about 250 bytes. */
#define ADDRESS_LOCAL_WS 3072

Datum
cdm_address_norm_sql(PG_FUNCTION_ARGS)
{
	text	   *folded = cdm_fold_text(cdm_getarg_text(fcinfo, 0));
	const char *s = VARDATA_ANY(folded);
	size_t		len = VARSIZE_ANY_EXHDR(folded);
	size_t		cap = CDM_ADDRESS_OUT_SIZE(len);
	uint64		local[ADDRESS_LOCAL_WS / sizeof(uint64)];
	void	   *ws = cdm_workspace(cdm_address_workspace(len), local, sizeof(local));
	text	   *result = (text *) palloc(cap + VARHDRSZ);
	size_t		m = cdm_address_norm_folded(s, len, VARDATA(result), cap, ws);

	/* address.h promises the bound; a longer result is a bug, not bad input */
	if (m > cap)
		elog(ERROR, "cdm.address_norm: result of %zu bytes exceeds the bound of %zu",
			 m, cap);
	SET_VARSIZE(result, m + VARHDRSZ);
	cdm_workspace_free(ws, local);
	pfree(folded);
	PG_RETURN_TEXT_P(result);
}
