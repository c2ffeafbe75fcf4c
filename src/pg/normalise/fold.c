/*
 * fold.c - SQL wrapper for cdm.fold.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "fold.h"
#include "fold_pg.h"
#include "pg_text.h"
#include "utf8.h"

PG_FUNCTION_INFO_V1(cdm_fold_sql);

#define FOLD_LOCAL 256

text *
cdm_fold_text(const text *t)
{
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	CdmChars	in;
	cdm_char	local[FOLD_LOCAL];
	cdm_char   *out = local;
	size_t		cap;
	ptrdiff_t	m;
	const char *err;
	text	   *result;

	/* Most values are ASCII: no decoding, no ICU, one allocation. */
	if (cdm_is_ascii(s, len))
	{
		result = (text *) palloc(len + VARHDRSZ);
		SET_VARSIZE(result, cdm_fold_ascii(s, len, VARDATA(result)) + VARHDRSZ);
		return result;
	}

	cdm_chars_from_text_unicode(t, &in);
	cap = 2 * in.n + 16;
	if (cap > FOLD_LOCAL)
		out = cdm_alloc_chars(cap);
	else
		cap = FOLD_LOCAL;
	m = cdm_fold(in.cp, in.n, out, cap, &err);
	if (m > (ptrdiff_t) cap)
	{
		if (out != local)
			pfree(out);
		cap = (size_t) m;
		out = cdm_alloc_chars(cap);
		m = cdm_fold(in.cp, in.n, out, cap, &err);
	}
	if (m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU failed to fold %s: %s", cdm_quote_for_message(t), err),
				 errhint("Check that the ICU data files of this server are installed.")));

	result = cdm_text_from_chars(out, (size_t) m);
	if (out != local)
		pfree(out);
	cdm_chars_free(&in);
	return result;
}

Datum
cdm_fold_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cdm_fold_text(cdm_getarg_text(fcinfo, 0)));
}
