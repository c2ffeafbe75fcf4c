/*
 * match_pair.c - cdm.match_probability: one pair of records, given as jsonb
 * objects by role name, scored with a stored model (for real-time matching,
 * where there is no table to deduplicate, only a new record and candidates).
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "fs_model.h"
#include "match_block.h"
#include "match_record.h"
#include "match_source.h"
#include "model_store.h"

PG_FUNCTION_INFO_V1(cdm_match_probability);
PG_FUNCTION_INFO_V1(cdm_blocking_keys);
PG_FUNCTION_INFO_V1(cdm_store_score);
PG_FUNCTION_INFO_V1(cdm_store_phone);

/*
 * The model, loaded once per query (fn_extra): a scan scoring thousands of
 * pairs reads cdm.match_model once.
 */
typedef struct ModelCache
{
	bool		loaded;			/* false: read the model again */
	bool		is_default;
	char		name[NAMEDATALEN * 2];
	CdmFsModel	model;
	/*
	 * The left record, prepared once: a store scores one new record against
	 * twenty candidates, so it comes as the same first argument each time.
	 */
	MemoryContext left_cxt;
	Jsonb	   *left;			/* copy of the last left argument, or NULL */
	CdmMatchRecord left_rec;
	uint64_t	left_uid;
} ModelCache;

static const CdmFsModel *
cached_model(FunctionCallInfo fcinfo, const char *name)
{
	ModelCache *c = (ModelCache *) fcinfo->flinfo->fn_extra;

	if (c != NULL && c->loaded && (name == NULL ? c->is_default :
								   (!c->is_default && strcmp(c->name, name) == 0)))
		return &c->model;
	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ModelCache));
		c->left_cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "cdm.match_probability left record",
											ALLOCSET_SMALL_SIZES);
	}
	if (name == NULL)
	{
		/* untrained: the starting m and u, a prior for candidates */
		cdm_match_model_init(&c->model);
		c->is_default = true;
	}
	else
	{
		cdm_model_load(name, &c->model, false);
		c->is_default = false;
		strlcpy(c->name, name, sizeof(c->name));
	}
	c->loaded = true;
	fcinfo->flinfo->fn_extra = c;
	return &c->model;
}

/*
 * The prepared left record: from the cache when a is the same as last time
 * (blank_missing: see cdm_record_from_jsonb_ext; one FmgrInfo is always
 * called with the same flag).
 */
static void
left_record(FunctionCallInfo fcinfo, Jsonb *a, CdmMatchRecord *r, uint64_t *uid,
			bool blank_missing)
{
	ModelCache *c = (ModelCache *) fcinfo->flinfo->fn_extra;
	MemoryContext old;

	if (c->left == NULL || VARSIZE(c->left) != VARSIZE(a) ||
		memcmp(c->left, a, VARSIZE(a)) != 0)
	{
		MemoryContextReset(c->left_cxt);
		c->left = NULL;
		old = MemoryContextSwitchTo(c->left_cxt);
		cdm_record_from_jsonb_ext(a, &c->left_rec, &c->left_uid, blank_missing);
		c->left = (Jsonb *) palloc(VARSIZE(a));
		memcpy(c->left, a, VARSIZE(a));
		MemoryContextSwitchTo(old);
	}
	*r = c->left_rec;
	*uid = c->left_uid;
}

/*
 * The probability of one prepared pair: 0 for two different national ids
 * (never the same person, as in clustering), for an organisation and a
 * person (never one entity) and for two sites of an organisation (unless
 * one tax id says it moved); else the model's.
 */
static double
pair_probability(const CdmFsModel *model, const CdmMatchRecord *ra, uint64_t ua,
				 const CdmMatchRecord *rb, uint64_t ub)
{
	uint64_t	pattern;

	if (ua != 0 && ub != 0 && ua != ub)
		return 0.0;
	if (cdm_match_kind_conflict(ra, rb))
		return 0.0;
	pattern = cdm_match_compare(ra, rb);
	if (cdm_match_sites_apart(ra, rb, pattern) && !(ua != 0 && ua == ub))
		return 0.0;
	return cdm_fs_probability(cdm_fs_weight(model, pattern));
}

/* cdm.match_probability(a jsonb, b jsonb, model text DEFAULT NULL) -> float8 */
Datum
cdm_match_probability(PG_FUNCTION_ARGS)
{
	Jsonb	   *a;
	Jsonb	   *b;
	char	   *name = NULL;
	const CdmFsModel *model;
	CdmMatchRecord ra,
				rb;
	uint64_t	ua,
				ub;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	a = PG_GETARG_JSONB_P(0);
	b = PG_GETARG_JSONB_P(1);
	if (!PG_ARGISNULL(2))
		name = text_to_cstring(PG_GETARG_TEXT_PP(2));
	model = cached_model(fcinfo, name);
	left_record(fcinfo, a, &ra, &ua, false);
	cdm_record_from_jsonb(b, &rb, &ub);
	PG_RETURN_FLOAT8(pair_probability(model, &ra, ua, &rb, ub));
}

/* A steward decision word as the store keeps it: 1 match, 0 no_match, -1 none. */
static int
decision_of(Datum d, bool isnull)
{
	text	   *t;
	size_t		len;

	if (isnull)
		return -1;
	t = DatumGetTextPP(d);
	len = VARSIZE_ANY_EXHDR(t);
	if (len == 5 && memcmp(VARDATA_ANY(t), "match", 5) == 0)
		return 1;
	if (len == 8 && memcmp(VARDATA_ANY(t), "no_match", 8) == 0)
		return 0;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cdm: unknown decision \"%s\"", text_to_cstring(t)),
			 errhint("Decisions are match, no_match or NULL (none).")));
	return -1;					/* not reached */
}

/* A text[] argument of _store_score with one element per candidate (2202E otherwise). */
static void
per_candidate(ArrayType *arr, int n, const char *what, const char *hint, Datum **d, bool **nulls)
{
	int			m;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, d, nulls, &m);
	if (m != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cdm: %d candidates but %d %s", n, m, what),
				 errhint("%s", hint)));
}

/*
 * cdm._store_score(a jsonb, cands jsonb[], decisions text[], model text,
 *                  phones text[] DEFAULT NULL)
 * -> float8[]: what cdm.ingest scores its candidates with, in one call.
 * For each candidate: 1 when its decision is match, 0 for no_match, else
 * cdm.match_probability(a, cand, model), where both records count blank
 * strings as missing (as cdm._store_clean would have them): the new record
 * is prepared once, each candidate once.  decisions may be NULL (none);
 * else it has one element per candidate; so has phones, the candidates'
 * phones as the store keeps them (record.match_phone), read instead of
 * parsing each candidate's phone again.  A NULL candidate scores NULL.
 */
Datum
cdm_store_score(PG_FUNCTION_ARGS)
{
	Jsonb	   *a;
	ArrayType  *cands;
	char	   *name = NULL;
	const CdmFsModel *model;
	Datum	   *cd;
	bool	   *cn;
	int			n;
	Datum	   *dd = NULL;
	bool	   *dn = NULL;
	Datum	   *pd = NULL;
	bool	   *pn = NULL;
	Datum	   *out;
	bool	   *outnull;
	CdmMatchRecord ra;
	uint64_t	ua;
	MemoryContext cxt,
				old;
	int			dims[1];
	int			lbs[1] = {1};

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	a = PG_GETARG_JSONB_P(0);
	cands = PG_GETARG_ARRAYTYPE_P(1);
	if (!PG_ARGISNULL(3))
		name = text_to_cstring(PG_GETARG_TEXT_PP(3));
	deconstruct_array(cands, JSONBOID, -1, false, TYPALIGN_INT, &cd, &cn, &n);
	if (!PG_ARGISNULL(2))
		per_candidate(PG_GETARG_ARRAYTYPE_P(2), n, "decisions",
					  "Pass one decision (or NULL) per candidate, or NULL for none.", &dd, &dn);
	if (PG_NARGS() > 4 && !PG_ARGISNULL(4))
		per_candidate(PG_GETARG_ARRAYTYPE_P(4), n, "phones",
					  "Pass each candidate's cdm._store_phone (NULL for none), or NULL to read them from the candidates.",
					  &pd, &pn);
	/*
	 * A stored model as it is now, on every call: one call is one ingest,
	 * and the query cdm.match_probability ran in read it once per ingest
	 * too (PL/pgSQL keeps this call's fn_extra for the whole transaction).
	 * The built-in model never changes.
	 */
	if (name != NULL && fcinfo->flinfo->fn_extra != NULL)
		((ModelCache *) fcinfo->flinfo->fn_extra)->loaded = false;
	model = cached_model(fcinfo, name);
	left_record(fcinfo, a, &ra, &ua, true);
	out = palloc(Max(n, 1) * sizeof(Datum));
	outnull = palloc0(Max(n, 1) * sizeof(bool));
	/* each candidate's prepared record lives until the next one */
	cxt = AllocSetContextCreate(CurrentMemoryContext, "cdm._store_score candidate",
								ALLOCSET_SMALL_SIZES);
	for (int i = 0; i < n; i++)
	{
		int			decision = dd ? decision_of(dd[i], dn[i]) : -1;
		CdmMatchRecord rb;
		uint64_t	ub;

		CHECK_FOR_INTERRUPTS();
		if (decision >= 0)
		{
			out[i] = Float8GetDatum((double) decision);
			continue;
		}
		if (cn[i])
		{
			outnull[i] = true;
			continue;
		}
		old = MemoryContextSwitchTo(cxt);
		if (pd)
			cdm_record_from_jsonb_phone(DatumGetJsonbP(cd[i]), &rb, &ub, true,
										pn[i] ? NULL : DatumGetTextPP(pd[i]));
		else
			cdm_record_from_jsonb_ext(DatumGetJsonbP(cd[i]), &rb, &ub, true);
		out[i] = Float8GetDatum(pair_probability(model, &ra, ua, &rb, ub));
		MemoryContextSwitchTo(old);
		MemoryContextReset(cxt);
	}
	MemoryContextDelete(cxt);
	dims[0] = n;
	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(FLOAT8OID));
	PG_RETURN_ARRAYTYPE_P(construct_md_array(out, outnull, 1, dims, lbs, FLOAT8OID, 8,
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * cdm.blocking_keys(attrs jsonb) -> bigint[]: the blocking values cdm.dedupe
 * gives this record (each a 64-bit hash of a rule and its value), so that a
 * table of them answers "which records share one" by exact lookups.
 */
Datum
cdm_blocking_keys(PG_FUNCTION_ARGS)
{
	Jsonb	   *j = PG_GETARG_JSONB_P(0);
	CdmMatchRecord r;
	uint64_t	uid;
	uint64_t	keys[64];
	size_t		n;
	Datum		d[64];

	cdm_record_from_jsonb(j, &r, &uid);
	n = cdm_match_record_keys(&r, uid, keys, lengthof(keys));
	if (n > lengthof(keys))
		elog(ERROR, "cdm: a record gave %zu blocking values, more than %zu", n, lengthof(keys));
	for (size_t i = 0; i < n; i++)
		d[i] = Int64GetDatum((int64) keys[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, (int) n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * cdm._store_phone(attrs jsonb) -> text: the phone of a store record as the
 * matcher reads it (E.164 digits, or the digits as written when
 * libphonenumber cannot read them; the region from the country), NULL when
 * it has none.  Kept per record so that candidates are not parsed again.
 */
Datum
cdm_store_phone(PG_FUNCTION_ARGS)
{
	char	   *digits = cdm_record_phone_digits(PG_GETARG_JSONB_P(0), true);

	if (digits == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(digits));
}
