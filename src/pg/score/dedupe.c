/*
 * dedupe.c - cdm.dedupe, cdm.train_model and cdm.explain_match: from a
 * table of customer records to clusters of the same person.
 *
 * The batch pipeline, all in this backend:
 *   read      every row by role name, normalised once (match_source.c)
 *   block     candidate pairs from blocking rules, by sorting (match_block.c)
 *   compare   each pair into a pattern of per-role agreement levels
 *   train     u from random pairs, m and lambda by EM over the candidate
 *             patterns (or a stored model), stored in cdm.match_model
 *   score     Fellegi-Sunter weight with term-frequency adjustment
 *   cluster   guarded union-find over the links (cluster.c)
 * Each step reports its counts and time as a NOTICE.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "cluster.h"
#include "fs_model.h"
#include "match_block.h"
#include "match_record.h"
#include "match_source.h"
#include "model_store.h"

PG_FUNCTION_INFO_V1(cdm_dedupe);
PG_FUNCTION_INFO_V1(cdm_train_model);
PG_FUNCTION_INFO_V1(cdm_explain_match);

/* Random pairs for u: enough for rare levels, cheap next to the candidates. */
#define RANDOM_PAIRS 1000000
#define EM_MAX_ITER 100
#define EM_TOL		1e-6

/* ------------------------------------------------------------ progress */

typedef struct Clock
{
	instr_time	start;
	const char *what;
} Clock;

static void
clock_start(Clock *c, const char *what)
{
	INSTR_TIME_SET_CURRENT(c->start);
	c->what = what;
}

static double
clock_secs(const Clock *c)
{
	instr_time	now;

	INSTR_TIME_SET_CURRENT(now);
	INSTR_TIME_SUBTRACT(now, c->start);
	return INSTR_TIME_GET_DOUBLE(now);
}

/* ------------------------------------------------------------ training */

/* Deterministic xorshift: the same table gives the same model. */
static inline uint64_t
next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Patterns of random pairs (every pair when there are few). */
static size_t
random_patterns(const MatchRecords *recs, uint64_t *out, size_t cap)
{
	size_t		n = recs->n;
	size_t		k = 0;
	uint64_t	seed = UINT64_C(0x9E3779B97F4A7C15);

	if (n < 2)
		return 0;
	if ((double) n * (double) (n - 1) / 2 <= (double) cap)
	{
		for (size_t i = 0; i < n; i++)
		{
			for (size_t j = i + 1; j < n; j++)
				out[k++] = cdm_match_compare(&recs->rec[i], &recs->rec[j]);
			CHECK_FOR_INTERRUPTS();
		}
		return k;
	}
	while (k < cap)
	{
		size_t		i = next_random(&seed) % n;
		size_t		j = next_random(&seed) % n;

		if (i == j)
			continue;
		out[k++] = cdm_match_compare(&recs->rec[i], &recs->rec[j]);
		if (k % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return k;
}

/*
 * Train a model on the records: u from random pairs, then m and lambda by
 * EM over the candidate patterns (left unchanged in pat).
 */
static void
train(const MatchRecords *recs, const uint64_t *pat, size_t npairs,
	  CdmFsModel *model, CdmModelStats *st)
{
	size_t		cap = RANDOM_PAIRS;
	uint64_t   *rnd = palloc_extended(cap * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	uint64_t   *cnt = palloc_extended(cap * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	size_t		nr = random_patterns(recs, rnd, cap);
	size_t		k = cdm_fs_compact(rnd, nr, cnt);
	uint64_t   *cp;
	uint64_t   *cc;
	int			iter;

	cdm_match_model_init(model);
	cdm_fs_estimate_u(model, rnd, cnt, k);
	pfree(rnd);
	pfree(cnt);

	cp = palloc_extended(npairs * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	cc = palloc_extended(npairs * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	memcpy(cp, pat, npairs * sizeof(uint64_t));
	k = cdm_fs_compact(cp, npairs, cc);
	iter = cdm_fs_em(model, cp, cc, k, EM_MAX_ITER, EM_TOL);
	if (iter < 0)
		elog(ERROR, "cdm: the match model became invalid during training");
	pfree(cp);
	pfree(cc);
	st->records = recs->n;
	st->candidate_pairs = npairs;
	st->random_pairs = nr;
	st->em_iterations = iter;
}

/* ------------------------------------------------------------ the run */

typedef struct DedupeResult
{
	MatchRecords recs;
	uint32_t   *rep;
	double	   *best;
	size_t		clusters;
} DedupeResult;

static void
check_threshold(double threshold)
{
	if (!(threshold >= 0.0 && threshold <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("threshold must be a probability between 0 and 1, got %g", threshold),
				 errhint("0.9 (the default) links pairs the model gives 9 chances in 10 or more.")));
}

/*
 * A link the score wants but the given names forbid: both present and
 * clearly different (not equal, not nicknames, not alike, not an initial of
 * the other).  Twins share a family name, a date of birth and an address,
 * which outweighs one disagreeing field in any additive score.
 */
static inline bool
names_conflict(uint64_t pattern)
{
	return cdm_match_level(pattern, CDM_ROLE_GIVEN_NAME) == CDM_NAME_ELSE;
}

/*
 * Read, block, compare, train (model_name NULL: train and store under the
 * source's name) or load, score and cluster.
 */
static void
run_dedupe(Oid relid, double threshold, const char *model_name, DedupeResult *res)
{
	MatchSource src;
	CdmFsModel	model;
	CdmModelStats st = {0, 0, 0, 0};
	CdmBlockStats bst;
	Clock		clk;
	uint64_t   *pairs;
	uint64_t   *pat;
	size_t		npairs;
	CdmClusterEdge *edges;
	size_t		nedges = 0;
	int32_t    *dob;
	void	   *work;
	int64_t		merges;

	cdm_source_open(relid, &src);
	if (model_name)
		cdm_model_load(model_name, &model, false);

	clock_start(&clk, "read");
	cdm_source_read(&src, &res->recs);
	ereport(NOTICE,
			(errmsg("cdm.dedupe: read %zu records of %s in %.2f s (%zu kB prepared)",
					res->recs.n, src.display, clock_secs(&clk), res->recs.bytes / 1024)));

	clock_start(&clk, "block");
	pairs = cdm_match_candidate_pairs(res->recs.rec, res->recs.n, &npairs, &bst);
	pat = palloc_extended(npairs * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < npairs; i++)
	{
		pat[i] = cdm_match_compare(&res->recs.rec[CDM_PAIR_A(pairs[i])],
								   &res->recs.rec[CDM_PAIR_B(pairs[i])]);
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	ereport(NOTICE,
			(errmsg("cdm.dedupe: %zu candidate pairs compared in %.2f s (largest block %zu records, %zu blocks cut to a window)",
					npairs, clock_secs(&clk), bst.largest, bst.big_groups)));

	if (model_name == NULL)
	{
		clock_start(&clk, "train");
		train(&res->recs, pat, npairs, &model, &st);
		cdm_model_save(src.relname, &model, src.relname, &st);
		ereport(NOTICE,
				(errmsg("cdm.dedupe: model trained in %.2f s (u from %zu random pairs, EM %d iterations, prior %.4g) and stored as \"%s\" in cdm.match_model",
						clock_secs(&clk), st.random_pairs, st.em_iterations, model.lambda,
						src.relname)));
	}

	clock_start(&clk, "score");
	edges = palloc_extended(npairs * sizeof(CdmClusterEdge) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < npairs; i++)
	{
		const CdmMatchRecord *a = &res->recs.rec[CDM_PAIR_A(pairs[i])];
		const CdmMatchRecord *b = &res->recs.rec[CDM_PAIR_B(pairs[i])];
		double		tf[CDM_MATCH_NROLES];
		double		p;

		cdm_match_tf(a, b, pat[i], tf);
		p = cdm_fs_probability(cdm_fs_weight_tf(&model, pat[i], tf));
		if (p >= threshold && !names_conflict(pat[i]))
		{
			edges[nedges].a = CDM_PAIR_A(pairs[i]);
			edges[nedges].b = CDM_PAIR_B(pairs[i]);
			edges[nedges].p = p;
			nedges++;
		}
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(pat);
	pfree(pairs);

	dob = palloc_extended(res->recs.n * sizeof(int32_t) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < res->recs.n; i++)
		dob[i] = res->recs.rec[i].dob;
	res->rep = palloc_extended(res->recs.n * sizeof(uint32_t) + 1, MCXT_ALLOC_HUGE);
	res->best = palloc_extended(res->recs.n * sizeof(double) + 1, MCXT_ALLOC_HUGE);
	work = palloc_extended(cdm_cluster_workspace(res->recs.n) + 1, MCXT_ALLOC_HUGE);
	merges = cdm_cluster(res->recs.n, edges, nedges, threshold, dob, NULL,
						 res->rep, res->best, work);
	if (merges < 0)
		elog(ERROR, "cdm: clustering was given an edge outside the records");
	res->clusters = res->recs.n - (size_t) merges;
	pfree(work);
	pfree(dob);
	pfree(edges);
	ereport(NOTICE,
			(errmsg("cdm.dedupe: %zu links at probability >= %g, %zu clusters, scored and clustered in %.2f s",
					nedges, threshold, res->clusters, clock_secs(&clk))));
}

/*
 * cdm.dedupe(source regclass, threshold float8 DEFAULT 0.9
 *            [, model text]) -> (id, cluster_id, match_probability)
 */
Datum
cdm_dedupe(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid = PG_GETARG_OID(0);
	double		threshold = PG_GETARG_FLOAT8(1);
	char	   *model_name = PG_NARGS() > 2 ? text_to_cstring(PG_GETARG_TEXT_PP(2)) : NULL;
	MemoryContext work = AllocSetContextCreate(CurrentMemoryContext, "cdm.dedupe",
											   ALLOCSET_DEFAULT_SIZES);
	MemoryContext old;
	DedupeResult res;

	check_threshold(threshold);
	InitMaterializedSRF(fcinfo, 0);
	old = MemoryContextSwitchTo(work);
	run_dedupe(relid, threshold, model_name, &res);
	MemoryContextSwitchTo(old);

	for (size_t i = 0; i < res.recs.n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = CStringGetTextDatum(res.recs.id[i]);
		values[1] = CStringGetTextDatum(res.recs.id[res.rep[i]]);
		if (res.best[i] > 0.0)
			values[2] = Float8GetDatum(res.best[i]);
		else
			nulls[2] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(DatumGetPointer(values[0]));
		pfree(DatumGetPointer(values[1]));
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	MemoryContextDelete(work);
	return (Datum) 0;
}

/* cdm.train_model(source regclass, name text DEFAULT NULL) -> text */
Datum
cdm_train_model(PG_FUNCTION_ARGS)
{
	Oid			relid;
	MemoryContext work;
	MemoryContext old;
	MatchSource src;
	MatchRecords recs;
	CdmFsModel	model;
	CdmModelStats st;
	uint64_t   *pairs;
	uint64_t   *pat;
	size_t		npairs;
	CdmBlockStats bst;
	char	   *name;
	text	   *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	relid = PG_GETARG_OID(0);
	work = AllocSetContextCreate(CurrentMemoryContext, "cdm.train_model", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	cdm_source_open(relid, &src);
	name = PG_ARGISNULL(1) ? src.relname : text_to_cstring(PG_GETARG_TEXT_PP(1));
	cdm_source_read(&src, &recs);
	pairs = cdm_match_candidate_pairs(recs.rec, recs.n, &npairs, &bst);
	pat = palloc_extended(npairs * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < npairs; i++)
	{
		pat[i] = cdm_match_compare(&recs.rec[CDM_PAIR_A(pairs[i])], &recs.rec[CDM_PAIR_B(pairs[i])]);
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	train(&recs, pat, npairs, &model, &st);
	cdm_model_save(name, &model, src.relname, &st);
	MemoryContextSwitchTo(old);
	result = cstring_to_text(name);
	MemoryContextDelete(work);
	PG_RETURN_TEXT_P(result);
}

/* ------------------------------------------------------------ explain */

static const char *const name_levels[] = {"missing", "exact", "equal after folding",
	"nickname or same sound", "similar (Jaro-Winkler >= 0.92)",
"similar (Jaro-Winkler >= 0.80)", "initial", "different"};
static const char *const dob_levels[] = {"missing", "exact", "day and month swapped",
"year off by one", "one digit different", "different"};
static const char *const email_levels[] = {"missing", "exact", "same local part",
"similar local part", "different"};
static const char *const phone_levels[] = {"missing", "exact", "same last 7 digits",
"one digit different", "different"};
static const char *const text_levels[] = {"missing", "exact", "similar", "different"};
static const char *const postcode_levels[] = {"missing", "exact", "same first 3 characters",
"different"};
static const char *const country_levels[] = {"missing", "exact", "different"};

static const char *
level_name(int role, int level)
{
	const char *const *names;
	int			n;

	switch (role)
	{
		case CDM_ROLE_GIVEN_NAME:
		case CDM_ROLE_FAMILY_NAME:
			names = name_levels;
			n = lengthof(name_levels);
			break;
		case CDM_ROLE_DOB:
			names = dob_levels;
			n = lengthof(dob_levels);
			break;
		case CDM_ROLE_EMAIL:
			names = email_levels;
			n = lengthof(email_levels);
			break;
		case CDM_ROLE_PHONE:
			names = phone_levels;
			n = lengthof(phone_levels);
			break;
		case CDM_ROLE_POSTCODE:
			names = postcode_levels;
			n = lengthof(postcode_levels);
			break;
		case CDM_ROLE_COUNTRY:
			names = country_levels;
			n = lengthof(country_levels);
			break;
		default:
			names = text_levels;
			n = lengthof(text_levels);
			break;
	}
	return level >= 0 && level < n ? names[level] : "?";
}

static void
put_explain_row(ReturnSetInfo *rsinfo, const char *field, const char *v1,
				const char *v2, const char *level, double weight)
{
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	values[0] = CStringGetTextDatum(field);
	if (v1)
		values[1] = CStringGetTextDatum(v1);
	else
		nulls[1] = true;
	if (v2)
		values[2] = CStringGetTextDatum(v2);
	else
		nulls[2] = true;
	if (level)
		values[3] = CStringGetTextDatum(level);
	else
		nulls[3] = true;
	values[4] = Float8GetDatum(weight);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

static ptrdiff_t
find_record(const MatchRecords *recs, const MatchSource *src, const char *id)
{
	ptrdiff_t	i = cdm_source_find(recs, id);

	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("relation %s has no record with id '%s'", src->display, id),
				 errhint("Pass the id column's value as text.")));
	return i;
}

/*
 * cdm.explain_match(source regclass, id1 text, id2 text, model text DEFAULT NULL)
 *   -> (field, value1, value2, level, weight)
 * One row for the prior, one per role with the normalised values compared,
 * the level reached and its weight in bits (term-frequency adjustment
 * included), and a total row whose level is the match probability.
 */
Datum
cdm_explain_match(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid;
	char	   *id1;
	char	   *id2;
	MatchSource src;
	MatchRecords recs;
	CdmFsModel	model;
	ptrdiff_t	i,
				j;
	uint64_t	pattern;
	double		tf[CDM_MATCH_NROLES];
	double		w[CDM_MATCH_NROLES];
	double		prior;
	double		total;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return (Datum) 0;
	relid = PG_GETARG_OID(0);
	id1 = text_to_cstring(PG_GETARG_TEXT_PP(1));
	id2 = text_to_cstring(PG_GETARG_TEXT_PP(2));
	cdm_source_open(relid, &src);
	if (!PG_ARGISNULL(3))
		cdm_model_load(text_to_cstring(PG_GETARG_TEXT_PP(3)), &model, false);
	else if (!cdm_model_load(src.relname, &model, true))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("no match model is stored for %s", src.display),
				 errhint("Run cdm.dedupe('%s') or cdm.train_model('%s') first, or name a model.",
						 src.relname, src.relname)));
	cdm_source_read(&src, &recs);
	i = find_record(&recs, &src, id1);
	j = find_record(&recs, &src, id2);
	pattern = cdm_match_compare(&recs.rec[i], &recs.rec[j]);
	cdm_match_tf(&recs.rec[i], &recs.rec[j], pattern, tf);
	prior = cdm_fs_role_weights(&model, pattern, tf, w);
	total = prior;
	put_explain_row(rsinfo, "prior", NULL, NULL, NULL, prior);
	for (int r = 0; r < CDM_MATCH_NROLES; r++)
	{
		int			level = cdm_match_level(pattern, r);

		put_explain_row(rsinfo, cdm_match_role_names[r],
						cdm_source_describe(&recs, (size_t) i, r),
						cdm_source_describe(&recs, (size_t) j, r),
						level_name(r, level), w[r]);
		total += w[r];
	}
	put_explain_row(rsinfo, "total", NULL, NULL,
					psprintf("match probability %.6f", cdm_fs_probability(total)), total);
	return (Datum) 0;
}
