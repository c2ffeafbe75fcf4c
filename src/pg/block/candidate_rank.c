/*
 * candidate_rank.c - cdm._store_rank_candidates, the SQL face of the
 * store's candidate ranking (src/core/block/candidate_rank.c), and the
 * checks and result it shares with cdm._store_candidate_ids.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

#include "candidate_rank_pg.h"

PG_FUNCTION_INFO_V1(cdm_store_rank_candidates);

/* The elements of a bigint[] argument (22004 for a NULL element). */
static Datum *
int8_elements(ArrayType *a, const char *what, int *n)
{
	Datum	   *d;
	bool	   *nulls;

	deconstruct_array(a, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &d, &nulls, n);
	for (int i = 0; i < *n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("cdm._store_rank_candidates: element %d of %s is NULL", i + 1, what),
					 errhint("Pass the blocking values and the records read for them, one pair per position.")));
	return d;
}

size_t
cdm_candidate_cap(FunctionCallInfo fcinfo, int argno, const char *fname)
{
	if (PG_ARGISNULL(argno))
		return SIZE_MAX;
	if (PG_GETARG_INT32(argno) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE),
				 errmsg("%s: n must not be negative, got %d", fname, PG_GETARG_INT32(argno)),
				 errhint("n is the number of candidates to keep (the store's candidates setting).")));
	return (size_t) PG_GETARG_INT32(argno);
}

ArrayType *
cdm_candidate_ranked(FunctionCallInfo fcinfo, CdmCandidateHit *hits, size_t nhits,
					 size_t cap, int skip_argno)
{
	size_t		room = nhits > 0 ? nhits : 1;
	CdmCandidateScore *work = palloc(room * sizeof(*work));
	int64_t    *out = palloc(room * sizeof(*out));
	Datum	   *res = palloc(room * sizeof(Datum));
	size_t		k;

	k = cdm_candidate_rank(hits, nhits, cap, !PG_ARGISNULL(skip_argno),
						   PG_ARGISNULL(skip_argno) ? 0 : PG_GETARG_INT64(skip_argno), work, out);
	for (size_t i = 0; i < k; i++)
		res[i] = Int64GetDatum(out[i]);
	return construct_array(res, (int) k, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/*
 * cdm._store_rank_candidates(bkeys bigint[], records bigint[], n integer,
 * not_record bigint) -> bigint[]: records[i] was read for blocking value
 * bkeys[i]; the at most n records to score, best first (each value weighs
 * 1 / the distinct records read for it; ties to the newer id); not_record
 * is weighed but left out.  NULL arrays: none read, an empty array.  NULL n:
 * no cap (as LIMIT NULL).
 */
Datum
cdm_store_rank_candidates(PG_FUNCTION_ARGS)
{
	int			nv = 0,
				nr = 0;
	Datum	   *vals = NULL,
			   *recs = NULL;
	size_t		cap = cdm_candidate_cap(fcinfo, 2, "cdm._store_rank_candidates");
	CdmCandidateHit *hits;

	if (!PG_ARGISNULL(0))
		vals = int8_elements(PG_GETARG_ARRAYTYPE_P(0), "bkeys", &nv);
	if (!PG_ARGISNULL(1))
		recs = int8_elements(PG_GETARG_ARRAYTYPE_P(1), "records", &nr);
	if (PG_ARGISNULL(0) != PG_ARGISNULL(1) || nv != nr)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cdm._store_rank_candidates: %d blocking values but %d records", nv, nr),
				 errhint("Pass one blocking value per record read (array_agg of both over the same rows).")));

	hits = palloc((nv > 0 ? nv : 1) * sizeof(*hits));
	for (int i = 0; i < nv; i++)
	{
		hits[i].value = DatumGetInt64(vals[i]);
		hits[i].record = DatumGetInt64(recs[i]);
	}
	PG_RETURN_ARRAYTYPE_P(cdm_candidate_ranked(fcinfo, hits, (size_t) nv, cap, 3));
}
