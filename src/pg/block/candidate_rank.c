/*
 * candidate_rank.c - cdm._store_rank_candidates, the SQL face of the
 * store's candidate ranking (src/core/block/candidate_rank.c).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"

#include "candidate_rank.h"

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
	size_t		cap;
	CdmCandidateHit *hits;
	CdmCandidateScore *work;
	int64_t    *out;
	Datum	   *res;
	size_t		k;

	if (!PG_ARGISNULL(2) && PG_GETARG_INT32(2) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_ROW_COUNT_IN_LIMIT_CLAUSE),
				 errmsg("cdm._store_rank_candidates: n must not be negative, got %d", PG_GETARG_INT32(2)),
				 errhint("n is the number of candidates to keep (the store's candidates setting).")));
	cap = PG_ARGISNULL(2) ? SIZE_MAX : (size_t) PG_GETARG_INT32(2);
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
	work = palloc((nv > 0 ? nv : 1) * sizeof(*work));
	out = palloc((nv > 0 ? nv : 1) * sizeof(*out));
	for (int i = 0; i < nv; i++)
	{
		hits[i].value = DatumGetInt64(vals[i]);
		hits[i].record = DatumGetInt64(recs[i]);
	}
	k = cdm_candidate_rank(hits, (size_t) nv, cap, !PG_ARGISNULL(3),
						   PG_ARGISNULL(3) ? 0 : PG_GETARG_INT64(3), work, out);

	res = palloc((k > 0 ? k : 1) * sizeof(Datum));
	for (size_t i = 0; i < k; i++)
		res[i] = Int64GetDatum(out[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(res, (int) k, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
