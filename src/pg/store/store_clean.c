/*
 * store_clean.c - cdm._store_clean: the attributes the store matches on,
 * without JSON nulls and blank strings (a source writing "" does not know).
 *
 * It was an SQL function (jsonb_each, jsonb_object_agg), planned on every
 * call: a tenth of an ingest, and once per record in the golden, quality,
 * privacy and check scans.  Same result, same error for a non-object.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/jsonb.h"
#include "match_source.h"

PG_FUNCTION_INFO_V1(cdm_store_clean);

/* Left out: a JSON null, or a string of nothing but spaces (btrim's blank). */
static bool
dropped(const JsonbValue *v)
{
	return v->type == jbvNull || cdm_jsonb_blank(v);
}

/* cdm._store_clean(attrs jsonb) -> jsonb */
Datum
cdm_store_clean(PG_FUNCTION_ARGS)
{
	Jsonb	   *in = PG_GETARG_JSONB_P(0);
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	k,
				v;
	JsonbParseState *st = NULL;
	JsonbValue *res = NULL;
	bool		any = false;

	/* as jsonb_each said it */
	if (!JB_ROOT_IS_OBJECT(in))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot call %s on a non-object", "jsonb_each")));
	/* the common case: nothing to drop, the value itself */
	it = JsonbIteratorInit(&in->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		if (tok == WJB_VALUE && dropped(&v))
		{
			any = true;
			break;
		}
	if (!any)
		PG_RETURN_JSONB_P(in);
	it = JsonbIteratorInit(&in->root);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		switch (tok)
		{
			case WJB_BEGIN_OBJECT:
			case WJB_END_OBJECT:
				res = pushJsonbValue(&st, tok, NULL);
				break;
			case WJB_KEY:
				tok = JsonbIteratorNext(&it, &v, true);
				Assert(tok == WJB_VALUE);
				if (dropped(&v))
					break;
				pushJsonbValue(&st, WJB_KEY, &k);
				pushJsonbValue(&st, WJB_VALUE, &v);
				break;
			default:
				elog(ERROR, "cdm: unexpected jsonb token %d in an object", (int) tok);
		}
	}
	PG_RETURN_JSONB_P(JsonbValueToJsonb(res));
}
