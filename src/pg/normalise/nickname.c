/*
 * nickname.c - SQL wrappers for cdm.nickname_root, cdm.nickname_roots and
 * cdm.nickname_pairs.
 *
 * The argument is folded (cdm.fold) and looked up whole: "Mary Ann" is the
 * key "mary ann", not two names.  A folded value that is not in the table
 * (or not ASCII, which no key is) stands for itself, so the results are
 * usable as grouping keys; an argument that folds to nothing gives NULL.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "fold_pg.h"
#include "nickname.h"
#include "pg_text.h"
#include "utf8.h"

PG_FUNCTION_INFO_V1(cdm_nickname_root_sql);
PG_FUNCTION_INFO_V1(cdm_nickname_roots_sql);
PG_FUNCTION_INFO_V1(cdm_nickname_pairs_sql);

/* The folded argument as a key; false when nothing is left of it. */
static bool
folded_key(FunctionCallInfo fcinfo, text **folded, const char **key, size_t *len,
		   bool *in_table_alphabet)
{
	*folded = cdm_fold_text(cdm_getarg_text(fcinfo, 0));
	*key = VARDATA_ANY(*folded);
	*len = VARSIZE_ANY_EXHDR(*folded);
	*in_table_alphabet = cdm_is_ascii(*key, *len);
	return *len > 0;
}

Datum
cdm_nickname_root_sql(PG_FUNCTION_ARGS)
{
	text	   *folded;
	const char *key;
	size_t		len;
	bool		ascii;
	const char *root;

	if (!folded_key(fcinfo, &folded, &key, &len, &ascii))
		PG_RETURN_NULL();
	root = ascii ? cdm_nickname_root(key, len) : NULL;
	PG_RETURN_TEXT_P(root ? cstring_to_text(root) : folded);
}

Datum
cdm_nickname_roots_sql(PG_FUNCTION_ARGS)
{
	text	   *folded;
	const char *key;
	size_t		len;
	bool		ascii;
	const char *roots[CDM_NICKNAME_MAX_ROOTS];
	Datum		elems[CDM_NICKNAME_MAX_ROOTS];
	size_t		n = 0;

	if (!folded_key(fcinfo, &folded, &key, &len, &ascii))
		PG_RETURN_NULL();
	if (ascii)
		n = cdm_nickname_roots(key, len, roots);
	for (size_t i = 0; i < n; i++)
		elems[i] = PointerGetDatum(cstring_to_text(roots[i]));
	if (n == 0)
		elems[n++] = PointerGetDatum(folded);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, (int) n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The whole table, (name, nickname) in byte order. */
Datum
cdm_nickname_pairs_sql(PG_FUNCTION_ARGS)
{
	FuncCallContext *fctx;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	desc;

		fctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "cdm.nickname_pairs: return type must be a row type");
		fctx->tuple_desc = BlessTupleDesc(desc);
		fctx->max_calls = cdm_nickname_npairs;
		MemoryContextSwitchTo(old);
	}
	fctx = SRF_PERCALL_SETUP();
	if (fctx->call_cntr < fctx->max_calls)
	{
		const CdmNicknamePair *p = &cdm_nickname_pairs[fctx->call_cntr];
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = PointerGetDatum(cstring_to_text(p->name));
		values[1] = PointerGetDatum(cstring_to_text(p->nickname));
		SRF_RETURN_NEXT(fctx, HeapTupleGetDatum(heap_form_tuple(fctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(fctx);
}
