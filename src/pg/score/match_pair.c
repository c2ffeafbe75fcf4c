/*
 * match_pair.c - cdm.match_probability: one pair of records, given as jsonb
 * objects by role name, scored with a stored model (for real-time matching,
 * where there is no table to deduplicate, only a new record and candidates).
 */
#include "postgres.h"

#include "fmgr.h"
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

/*
 * The model, loaded once per query (fn_extra): a scan scoring thousands of
 * pairs reads cdm.match_model once.
 */
typedef struct ModelCache
{
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

	if (c != NULL && (name == NULL ? c->is_default :
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
	fcinfo->flinfo->fn_extra = c;
	return &c->model;
}

/* The prepared left record: from the cache when a is the same as last time. */
static void
left_record(FunctionCallInfo fcinfo, Jsonb *a, CdmMatchRecord *r, uint64_t *uid)
{
	ModelCache *c = (ModelCache *) fcinfo->flinfo->fn_extra;
	MemoryContext old;

	if (c->left == NULL || VARSIZE(c->left) != VARSIZE(a) ||
		memcmp(c->left, a, VARSIZE(a)) != 0)
	{
		MemoryContextReset(c->left_cxt);
		c->left = NULL;
		old = MemoryContextSwitchTo(c->left_cxt);
		cdm_record_from_jsonb(a, &c->left_rec, &c->left_uid);
		c->left = (Jsonb *) palloc(VARSIZE(a));
		memcpy(c->left, a, VARSIZE(a));
		MemoryContextSwitchTo(old);
	}
	*r = c->left_rec;
	*uid = c->left_uid;
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
	uint64_t	pattern;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	a = PG_GETARG_JSONB_P(0);
	b = PG_GETARG_JSONB_P(1);
	if (!PG_ARGISNULL(2))
		name = text_to_cstring(PG_GETARG_TEXT_PP(2));
	model = cached_model(fcinfo, name);
	left_record(fcinfo, a, &ra, &ua);
	cdm_record_from_jsonb(b, &rb, &ub);
	/* two different national ids: never the same person, as in clustering */
	if (ua != 0 && ub != 0 && ua != ub)
		PG_RETURN_FLOAT8(0.0);
	/* an organisation and a person: never one entity */
	if (cdm_match_kind_conflict(&ra, &rb))
		PG_RETURN_FLOAT8(0.0);
	pattern = cdm_match_compare(&ra, &rb);
	/* two sites of an organisation, as in clustering (one tax id: a move) */
	if (cdm_match_sites_apart(&ra, &rb, pattern) && !(ua != 0 && ua == ub))
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(cdm_fs_probability(cdm_fs_weight(model, pattern)));
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
