/*
 * org_name_pg.c - cdm.org_name_norm: an organisation name without its
 * legal forms, in cdm.fold's form (org_name.h has the rules).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "fold_pg.h"
#include "org_name.h"
#include "org_name_pg.h"
#include "pg_text.h"

PG_FUNCTION_INFO_V1(cdm_org_name_norm_sql);

text *
cdm_org_name_norm_text(const text *t)
{
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	size_t		amps = 0;
	text	   *with_and;
	text	   *folded;
	text	   *out;
	size_t		n;

	/* "&" reads as "and" before folding turns it into a blank */
	for (size_t i = 0; i < len; i++)
		amps += s[i] == '&';
	if (amps > 0)
	{
		char	   *d;

		with_and = palloc(VARHDRSZ + len + 4 * amps);
		d = VARDATA(with_and);
		for (size_t i = 0; i < len; i++)
		{
			if (s[i] == '&')
			{
				memcpy(d, " and ", 5);
				d += 5;
			}
			else
				*d++ = s[i];
		}
		SET_VARSIZE(with_and, VARHDRSZ + (d - VARDATA(with_and)));
		folded = cdm_fold_text(with_and);
		pfree(with_and);
	}
	else
		folded = cdm_fold_text(t);
	len = VARSIZE_ANY_EXHDR(folded);
	out = palloc(VARHDRSZ + len + 1);
	n = cdm_org_name_norm_folded(VARDATA_ANY(folded), len, VARDATA(out));
	SET_VARSIZE(out, VARHDRSZ + n);
	pfree(folded);
	return out;
}

Datum
cdm_org_name_norm_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cdm_org_name_norm_text(cdm_getarg_text(fcinfo, 0)));
}
