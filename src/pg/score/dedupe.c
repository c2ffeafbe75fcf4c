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

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "portability/instr_time.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "cluster.h"
#include "dedupe_run.h"
#include "fs_model.h"
#include "match_block.h"
#include "match_record.h"
#include "match_source.h"
#include "model_store.h"

PG_FUNCTION_INFO_V1(cdm_dedupe);
PG_FUNCTION_INFO_V1(cdm_train_model);
PG_FUNCTION_INFO_V1(cdm_explain_match);
PG_FUNCTION_INFO_V1(cdm_match_pairs);
PG_FUNCTION_INFO_V1(cdm_dedupe_load);

/*
 * Random pairs for u: 5 a record, at least 50,000 (a level 1 random pair
 * in 10,000 reaches still gets counted) and at most 1,000,000 (beyond, u
 * hardly moves while the pairs cost ~0.4 s a million).
 */
#define RANDOM_PAIRS_PER_RECORD 5
#define RANDOM_PAIRS_MIN 50000
#define RANDOM_PAIRS_MAX 1000000
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

/* Sessions: which candidate pairs a session takes, and what it hides. */
static bool
session_names_agree(uint64_t *p)
{
	int			g = cdm_match_level(*p, CDM_ROLE_GIVEN_NAME);
	int			f = cdm_match_level(*p, CDM_ROLE_FAMILY_NAME);

	if (g < 1 || g > CDM_NAME_NICK_PHONETIC || f < 1 || f > CDM_NAME_NICK_PHONETIC)
		return false;
	/* the e-mail is hidden too: its local part is spelt from the name */
	*p = cdm_match_set_level(cdm_match_set_level(*p, CDM_ROLE_GIVEN_NAME, 0),
							 CDM_ROLE_FAMILY_NAME, 0);
	*p = cdm_match_set_level(*p, CDM_ROLE_EMAIL, 0);
	return true;
}

static bool
session_dob_agree(uint64_t *p)
{
	if (cdm_match_level(*p, CDM_ROLE_DOB) != CDM_DOB_EXACT)
		return false;
	*p = cdm_match_set_level(*p, CDM_ROLE_DOB, 0);
	return true;
}

/*
 * Organisations (no personal names, no dob): among pairs whose names agree
 * EM gives every other role's m; among pairs at one address, the name's.
 */
static bool
session_org_agree(uint64_t *p)
{
	int			o = cdm_match_level(*p, CDM_ROLE_ORGANISATION_NAME);

	if (o < 1 || o > 2)
		return false;
	*p = cdm_match_set_level(*p, CDM_ROLE_ORGANISATION_NAME, 0);
	return true;
}

static bool
session_site_agree(uint64_t *p)
{
	if (cdm_match_level(*p, CDM_ROLE_ADDRESS) != 1 ||
		cdm_match_level(*p, CDM_ROLE_ORGANISATION_NAME) == 0)
		return false;
	*p = cdm_match_set_level(*p, CDM_ROLE_ADDRESS, 0);
	return true;
}

/* How many candidate pairs a session takes. */
static size_t
session_size(const uint64_t *pat, size_t npairs, bool (*take) (uint64_t *))
{
	size_t		n = 0;

	for (size_t i = 0; i < npairs; i++)
	{
		uint64_t	p = pat[i];

		n += take(&p);
	}
	return n;
}

/* Fewest pairs a session needs before its m is trusted. */
#define SESSION_MIN_PAIRS 100

/* Fewest records worth training on (below: cdm's starting model). */
#define TRAIN_MIN_RECORDS 100

/*
 * EM over the candidate patterns a session takes (with the roles it blocks
 * on hidden), from the model's starting m and lambda 0.5.  Returns the
 * iterations, 0 when the session had too few pairs.
 */
static int
em_session(CdmFsModel *model, const uint64_t *pat, size_t npairs,
		   bool (*take) (uint64_t *))
{
	uint64_t   *cp = palloc_extended((npairs + 1) * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	uint64_t   *cc = palloc_extended((npairs + 1) * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	size_t		n = 0;
	size_t		k;
	int			iter = 0;

	for (size_t i = 0; i < npairs; i++)
	{
		uint64_t	p = pat[i];

		if (take(&p))
			cp[n++] = p;
	}
	if (n >= SESSION_MIN_PAIRS)
	{
		k = cdm_fs_compact(cp, n, cc);
		model->lambda = 0.5;
		cdm_fs_model_prepare(model);
		iter = cdm_fs_em(model, cp, cc, k, EM_MAX_ITER, EM_TOL);
		if (iter < 0)
			elog(ERROR, "cdm: the match model became invalid during training");
	}
	pfree(cp);
	pfree(cc);
	return iter;
}

/*
 * lambda, the prior of a RANDOM pair (the one that goes with u from random
 * pairs), with m and u fixed: the expected number of matches among the
 * candidates over all n(n-1)/2 pairs, the pairs blocking left out counted
 * as non-matches; iterated to its fixed point.
 */
static void
fit_lambda(CdmFsModel *model, size_t n, const uint64_t *pat, size_t npairs)
{
	double		all = (double) n * (double) (n - 1) / 2;
	uint64_t   *cp;
	uint64_t   *cc;
	size_t		k;

	if (npairs == 0 || all <= 0)
		return;
	cp = palloc_extended(npairs * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	cc = palloc_extended(npairs * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	memcpy(cp, pat, npairs * sizeof(uint64_t));
	k = cdm_fs_compact(cp, npairs, cc);
	model->lambda = Max(0.5 * (double) npairs / all, CDM_FS_LAMBDA_MIN);
	for (int it = 0; it < EM_MAX_ITER; it++)
	{
		double		expected = 0;
		double		next;

		cdm_fs_model_prepare(model);
		for (size_t i = 0; i < k; i++)
			expected += (double) cc[i] * cdm_fs_probability(cdm_fs_weight(model, cp[i]));
		next = Min(Max(expected / all, CDM_FS_LAMBDA_MIN), CDM_FS_LAMBDA_MAX);
		if (fabs(next - model->lambda) <= EM_TOL * model->lambda)
		{
			model->lambda = next;
			break;
		}
		model->lambda = next;
		CHECK_FOR_INTERRUPTS();
	}
	cdm_fs_model_prepare(model);
	pfree(cp);
	pfree(cc);
}

/*
 * Train a model on the records: u from random pairs, m by EM sessions over
 * the candidate patterns (left unchanged in pat), then lambda.
 */
static void
train(const MatchRecords *recs, const uint64_t *pat, size_t npairs,
	  CdmFsModel *model, CdmModelStats *st)
{
	size_t		cap = Min(Max(recs->n * RANDOM_PAIRS_PER_RECORD, RANDOM_PAIRS_MIN), RANDOM_PAIRS_MAX);
	uint64_t   *rnd;
	uint64_t   *cnt;
	size_t		nr;
	size_t		k;
	int			iter;

	cdm_match_model_init(model);
	st->records = recs->n;
	st->candidate_pairs = npairs;
	st->random_pairs = 0;
	st->em_iterations = 0;
	/*
	 * A handful of records cannot teach m and u (two records: the one
	 * candidate pair is "everything", lambda 1): keep the starting model.
	 */
	if (recs->n < TRAIN_MIN_RECORDS || npairs < SESSION_MIN_PAIRS)
	{
		ereport(NOTICE,
				(errmsg("cdm: %zu records and %zu candidate pairs are too few to train on; using cdm's starting model",
						recs->n, npairs),
				 errhint("Train on a larger table with cdm.train_model(source, name) and pass the model's name.")));
		return;
	}
	rnd = palloc_extended(cap * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	cnt = palloc_extended(cap * sizeof(uint64_t), MCXT_ALLOC_HUGE);
	nr = random_patterns(recs, rnd, cap);
	k = cdm_fs_compact(rnd, nr, cnt);
	cdm_fs_estimate_u(model, rnd, cnt, k);
	pfree(rnd);
	pfree(cnt);

	/*
	 * m by EM in two sessions, as Splink trains: EM over all candidates
	 * finds the class "same name" rather than "same person" (strangers
	 * called John Smith fill the name blocks), so each role's m is learnt
	 * where that role did not pick the pairs.  Among pairs born the same
	 * day, the names tell people apart, and EM gives the m of every other
	 * role: how often one person's records differ in address, city, phone
	 * (a move changes them together, which EM among same-name pairs took
	 * for "never": 0.968 instead of 0.985 F1 on the generated set).  Among
	 * pairs whose names agree, EM over the dob (and what the names do not
	 * decide) gives the dob's m; the e-mail is hidden there with the names,
	 * its local part being spelt from them.  Without enough same-dob pairs
	 * (no dob column), the name session gives the other roles' m and the
	 * names keep their starting values.
	 */
	{
		CdmFsModel	names_agree = *model;
		CdmFsModel	dob_agree = *model;
		int			it1,
					it2;

		/*
		 * A table mostly of organisations (more candidate pairs with
		 * agreeing organisation names than with agreeing personal names):
		 * their sessions stand in, the one over names for the other roles,
		 * the one over sites for the name.  People in such a table keep
		 * the starting m of their names and dob.
		 */
		if (session_size(pat, npairs, session_org_agree) >
			session_size(pat, npairs, session_names_agree))
		{
			CdmFsModel	site_agree = *model;

			it1 = em_session(&names_agree, pat, npairs, session_org_agree);
			it2 = em_session(&site_agree, pat, npairs, session_site_agree);
			for (int r = 0; r < CDM_MATCH_NROLES; r++)
			{
				bool		name = r == CDM_ROLE_ORGANISATION_NAME;
				const CdmFsModel *from = name ? &site_agree : &names_agree;

				if (r == CDM_ROLE_GIVEN_NAME || r == CDM_ROLE_FAMILY_NAME || r == CDM_ROLE_DOB)
					continue;
				if ((name ? it2 : it1) > 0)
					memcpy(model->role[r].m, from->role[r].m, sizeof(model->role[r].m));
			}
			fit_lambda(model, recs->n, pat, npairs);
			st->random_pairs = nr;
			st->em_iterations = Max(it1, 0) + Max(it2, 0);
			return;
		}
		it1 = em_session(&names_agree, pat, npairs, session_names_agree);
		it2 = em_session(&dob_agree, pat, npairs, session_dob_agree);
		for (int r = 0; r < CDM_MATCH_NROLES; r++)
		{
			const CdmFsModel *from;

			if (r == CDM_ROLE_DOB)
				from = it1 > 0 ? &names_agree : NULL;
			else if (it2 > 0)
				from = &dob_agree;
			else if (r != CDM_ROLE_GIVEN_NAME && r != CDM_ROLE_FAMILY_NAME && r != CDM_ROLE_EMAIL)
				from = it1 > 0 ? &names_agree : NULL;
			else
				from = NULL;
			if (from)
				memcpy(model->role[r].m, from->role[r].m, sizeof(model->role[r].m));
		}
		iter = Max(it1, 0) + Max(it2, 0);
	}
	fit_lambda(model, recs->n, pat, npairs);
	st->random_pairs = nr;
	st->em_iterations = iter;
}

/* ------------------------------------------------------------ the run */

/* Read, blocked, compared and scored: what dedupe and match_pairs share. */
typedef struct ScoredPairs
{
	MatchSource src;
	MatchRecords recs;
	CdmFsModel	model;
	uint64_t   *pairs;			/* packed (a, b), a < b */
	uint64_t   *pat;			/* their comparison patterns */
	size_t		npairs;
} ScoredPairs;

static void
check_probability(const char *what, double p)
{
	if (!(p >= 0.0 && p <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a probability between 0 and 1, got %g", what, p),
				 errhint("0.9 (cdm.dedupe's default) means 9 chances in 10 or more of being the same person.")));
}

/*
 * Read, block, compare, and load the model model_name, or (model_name NULL)
 * train one and store it as store_as (NULL: the source's qualified name).
 */
static void
prepare_pairs(Oid relid, const char *model_name, const char *store_as,
			  const char *caller, ScoredPairs *sp)
{
	CdmModelStats st = {0, 0, 0, 0};
	CdmBlockStats bst;
	Clock		clk;

	cdm_source_open(relid, &sp->src);
	if (model_name)
		cdm_model_load(model_name, &sp->model, false);

	clock_start(&clk, "read");
	cdm_source_read(&sp->src, &sp->recs);
	ereport(NOTICE,
			(errmsg("%s: read %zu records of %s in %.2f s (%zu kB prepared)", caller,
					sp->recs.n, sp->src.display, clock_secs(&clk), sp->recs.bytes / 1024)));

	clock_start(&clk, "block");
	sp->pairs = cdm_match_candidate_pairs(sp->recs.rec, sp->recs.uid, sp->recs.n, &sp->npairs, &bst);
	sp->pat = palloc_extended(sp->npairs * sizeof(uint64_t) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < sp->npairs; i++)
	{
		sp->pat[i] = cdm_match_compare(&sp->recs.rec[CDM_PAIR_A(sp->pairs[i])],
									   &sp->recs.rec[CDM_PAIR_B(sp->pairs[i])]);
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
	ereport(NOTICE,
			(errmsg("%s: %zu candidate pairs compared in %.2f s (largest block %zu records, %zu blocks cut to a window)",
					caller, sp->npairs, clock_secs(&clk), bst.largest, bst.big_groups)));

	if (model_name == NULL)
	{
		clock_start(&clk, "train");
		if (store_as == NULL)
			store_as = sp->src.relname;
		train(&sp->recs, sp->pat, sp->npairs, &sp->model, &st);
		cdm_model_save(store_as, &sp->model, sp->src.relname, &st);
		ereport(NOTICE,
				(errmsg("%s: model trained in %.2f s (u from %zu random pairs, EM %d iterations, prior %.4g) and stored as \"%s\" in cdm.match_model",
						caller, clock_secs(&clk), st.random_pairs, st.em_iterations,
						sp->model.lambda, store_as)));
	}
}

/* Match weight (bits) of candidate pair i, term frequencies included. */
static inline double
pair_weight(const ScoredPairs *sp, size_t i)
{
	const CdmMatchRecord *a = &sp->recs.rec[CDM_PAIR_A(sp->pairs[i])];
	const CdmMatchRecord *b = &sp->recs.rec[CDM_PAIR_B(sp->pairs[i])];
	double		tf[CDM_MATCH_NROLES];

	cdm_match_tf(a, b, sp->pat[i], tf);
	return cdm_fs_weight_tf(&sp->model, sp->pat[i], tf);
}

/*
 * Twins share a family name, a date of birth and an address, which an
 * additive score weighs above one disagreeing given name.  What tells them
 * apart is what is personal: two records whose given names are clearly
 * different (not equal, not nicknames, not alike, not an initial of the
 * other) AND whose e-mail addresses or phone numbers are both present and
 * different are not linked directly.  Only the given name differing is
 * not enough: records typed from different sources do carry a wrong given
 * name now and then (FEBRL's do: guarding on the name alone cost 0.08 of
 * F1 on FEBRL3, which has no e-mail or phone).
 */
static inline bool
given_names_conflict(uint64_t pattern)
{
	return cdm_match_level(pattern, CDM_ROLE_GIVEN_NAME) == CDM_NAME_ELSE &&
		(cdm_match_level(pattern, CDM_ROLE_EMAIL) == cdm_match_nlevels[CDM_ROLE_EMAIL] - 1 ||
		 cdm_match_level(pattern, CDM_ROLE_PHONE) == cdm_match_nlevels[CDM_ROLE_PHONE] - 1);
}

/*
 * Organisations are matched per site (cdm_match_sites_apart): without the
 * rule, F1 on the Chicago early-childhood sites (the labelled organisation
 * set in test/data) was 0.840, with it 0.943.
 */
static inline bool
sites_conflict(const ScoredPairs *sp, size_t i)
{
	uint32_t	ia = CDM_PAIR_A(sp->pairs[i]),
				ib = CDM_PAIR_B(sp->pairs[i]);

	if (sp->recs.uid && sp->recs.uid[ia] != 0 && sp->recs.uid[ia] == sp->recs.uid[ib])
		return false;
	return cdm_match_sites_apart(&sp->recs.rec[ia], &sp->recs.rec[ib], sp->pat[i]);
}

typedef struct DedupeResult
{
	uint32_t   *rep;
	double	   *best;
	size_t		clusters;
} DedupeResult;

/* Score the candidate pairs and cluster the links at threshold or above. */
static void
cluster_pairs(ScoredPairs *sp, double threshold, DedupeResult *res)
{
	size_t		n = sp->recs.n;
	CdmClusterEdge *edges;
	size_t		nedges = 0;
	int32_t    *dob;
	void	   *work;
	int64_t		merges;
	Clock		clk;

	clock_start(&clk, "score");
	edges = palloc_extended(sp->npairs * sizeof(CdmClusterEdge) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < sp->npairs; i++)
	{
		double		p;

		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
		/*
		 * Most candidate pairs are far below the threshold whatever their
		 * names' frequencies: the bound decides them from the pattern alone,
		 * without reading the two records again (at a million records this
		 * step was a tenth of cdm.dedupe, mostly cache misses).  Same links.
		 */
		if (cdm_fs_probability(cdm_fs_weight_tf_max(&sp->model, sp->pat[i])) < threshold ||
			given_names_conflict(sp->pat[i]))
			continue;
		p = cdm_fs_probability(pair_weight(sp, i));
		/* an organisation and a person are never linked directly */
		if (p >= threshold && !sites_conflict(sp, i) &&
			!cdm_match_kind_conflict(&sp->recs.rec[CDM_PAIR_A(sp->pairs[i])],
									 &sp->recs.rec[CDM_PAIR_B(sp->pairs[i])]))
		{
			edges[nedges].a = CDM_PAIR_A(sp->pairs[i]);
			edges[nedges].b = CDM_PAIR_B(sp->pairs[i]);
			edges[nedges].p = p;
			nedges++;
		}
	}
	dob = palloc_extended(n * sizeof(int32_t) + 1, MCXT_ALLOC_HUGE);
	for (size_t i = 0; i < n; i++)
		dob[i] = sp->recs.rec[i].dob;
	res->rep = palloc_extended(n * sizeof(uint32_t) + 1, MCXT_ALLOC_HUGE);
	res->best = palloc_extended(n * sizeof(double) + 1, MCXT_ALLOC_HUGE);
	work = palloc_extended(cdm_cluster_workspace(n) + 1, MCXT_ALLOC_HUGE);
	merges = cdm_cluster(n, edges, nedges, threshold, dob, sp->recs.uid, res->rep, res->best, work);
	if (merges < 0)
		elog(ERROR, "cdm: clustering was given an edge outside the records");
	res->clusters = n - (size_t) merges;
	pfree(work);
	pfree(dob);
	pfree(edges);
	ereport(NOTICE,
			(errmsg("cdm.dedupe: %zu links at probability >= %g, %zu clusters, scored and clustered in %.2f s",
					nedges, threshold, res->clusters, clock_secs(&clk))));
}

/* One result row: two ids as text, then nextra more columns. */
static void
put_ids_row(ReturnSetInfo *rsinfo, const char *id1, const char *id2,
			int nextra, const Datum *extra, const bool *extra_null)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	Assert(nextra <= 2);
	values[0] = CStringGetTextDatum(id1);
	values[1] = CStringGetTextDatum(id2);
	for (int k = 0; k < nextra; k++)
	{
		values[2 + k] = extra[k];
		nulls[2 + k] = extra_null[k];
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	pfree(DatumGetPointer(values[0]));
	pfree(DatumGetPointer(values[1]));
}

/*
 * cdm.dedupe's rows: id, cluster_id, match_probability (NULL for a record
 * alone), and with flag a fourth column false (cdm._dedupe_load's "pair").
 */
static void
put_cluster_rows(ReturnSetInfo *rsinfo, const ScoredPairs *sp, const DedupeResult *res, bool flag)
{
	for (size_t i = 0; i < sp->recs.n; i++)
	{
		Datum		extra[2] = {Float8GetDatum(res->best[i]), BoolGetDatum(false)};
		bool		null[2] = {!(res->best[i] > 0.0), false};

		put_ids_row(rsinfo, sp->recs.id[i], sp->recs.id[res->rep[i]], flag ? 2 : 1, extra, null);
		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

/*
 * cdm.match_pairs' rows at >= min_p: id1, id2, match_probability, then the
 * match weight, or with flag true (cdm._dedupe_load's "pair").
 */
static void
put_pair_rows(ReturnSetInfo *rsinfo, const ScoredPairs *sp, double min_p, bool flag)
{
	for (size_t i = 0; i < sp->npairs; i++)
	{
		double		w = pair_weight(sp, i);
		double		p = cdm_fs_probability(w);
		Datum		extra[2] = {Float8GetDatum(p), flag ? BoolGetDatum(true) : Float8GetDatum(w)};
		bool		null[2] = {false, false};

		if (i % 65536 == 0)
			CHECK_FOR_INTERRUPTS();
		if (p < min_p)
			continue;
		put_ids_row(rsinfo, sp->recs.id[CDM_PAIR_A(sp->pairs[i])],
					sp->recs.id[CDM_PAIR_B(sp->pairs[i])], 2, extra, null);
	}
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
	ScoredPairs sp;
	DedupeResult res;

	check_probability("threshold", threshold);
	InitMaterializedSRF(fcinfo, 0);
	old = MemoryContextSwitchTo(work);
	prepare_pairs(relid, model_name, NULL, "cdm.dedupe", &sp);
	cluster_pairs(&sp, threshold, &res);
	MemoryContextSwitchTo(old);
	cdm_dedupe_run_record(relid, threshold, model_name, sp.recs.n, res.clusters);
	put_cluster_rows(rsinfo, &sp, &res, false);
	MemoryContextDelete(work);
	return (Datum) 0;
}

/*
 * cdm.match_pairs(source regclass, min_probability float8 DEFAULT 0,
 *                 model text DEFAULT NULL) -> (id1, id2, match_probability, match_weight)
 * The scored candidate pairs themselves, for review queues and for
 * checking what blocking finds.
 */
Datum
cdm_match_pairs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid;
	double		min_p;
	char	   *model_name;
	MemoryContext work;
	MemoryContext old;
	ScoredPairs sp;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	relid = PG_GETARG_OID(0);
	min_p = PG_GETARG_FLOAT8(1);
	model_name = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	check_probability("min_probability", min_p);
	work = AllocSetContextCreate(CurrentMemoryContext, "cdm.match_pairs", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	prepare_pairs(relid, model_name, NULL, "cdm.match_pairs", &sp);
	MemoryContextSwitchTo(old);
	put_pair_rows(rsinfo, &sp, min_p, false);
	MemoryContextDelete(work);
	return (Datum) 0;
}

/*
 * cdm._dedupe_load(source regclass, threshold float8, model text,
 *                  min_probability float8)
 *   -> (id1 text, id2 text, match_probability float8, pair boolean)
 * What cdm.load_records needs from one read of source: cdm.dedupe's rows
 * (pair false: id, cluster_id, match_probability) and cdm.match_pairs' pairs
 * at >= min_probability (pair true).  Calling the two read and compared a
 * million records twice: 26 s more.  A model
 * trained here is stored, and the pairs are scored with it as stored (its
 * text form read back), as cdm.match_pairs scores them by its name.
 */
Datum
cdm_dedupe_load(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Oid			relid;
	double		threshold;
	double		min_p;
	char	   *model_name;
	MemoryContext work;
	MemoryContext old;
	ScoredPairs sp;
	DedupeResult res;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		return (Datum) 0;
	relid = PG_GETARG_OID(0);
	threshold = PG_GETARG_FLOAT8(1);
	min_p = PG_GETARG_FLOAT8(3);
	model_name = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));
	check_probability("threshold", threshold);
	check_probability("min_probability", min_p);
	work = AllocSetContextCreate(CurrentMemoryContext, "cdm._dedupe_load", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	prepare_pairs(relid, model_name, NULL, "cdm.dedupe", &sp);
	cluster_pairs(&sp, threshold, &res);
	if (model_name == NULL)
		cdm_model_as_stored(&sp.model);
	MemoryContextSwitchTo(old);
	cdm_dedupe_run_record(relid, threshold, model_name, sp.recs.n, res.clusters);
	put_cluster_rows(rsinfo, &sp, &res, true);
	put_pair_rows(rsinfo, &sp, min_p, true);
	MemoryContextDelete(work);
	return (Datum) 0;
}

/* cdm.train_model(source regclass, name text DEFAULT NULL) -> text */
Datum
cdm_train_model(PG_FUNCTION_ARGS)
{
	MemoryContext work;
	MemoryContext old;
	ScoredPairs sp;
	char	   *name = NULL;
	text	   *result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	work = AllocSetContextCreate(CurrentMemoryContext, "cdm.train_model", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	if (!PG_ARGISNULL(1))
		name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	prepare_pairs(PG_GETARG_OID(0), NULL, name, "cdm.train_model", &sp);
	MemoryContextSwitchTo(old);
	result = cstring_to_text(name ? name : sp.src.relname);
	MemoryContextDelete(work);
	PG_RETURN_TEXT_P(result);
}

/* ------------------------------------------------------------ explain */

static const char *const name_levels[] = {"missing", "exact", "equal after folding",
	"nickname or same sound", "similar (Jaro-Winkler >= 0.92)",
"similar (Jaro-Winkler >= 0.80)", "initial", "different"};
static const char *const dob_levels[] = {"missing", "exact", "day and month swapped",
"year off by one", "one digit different", "different", "under 400 days apart"};
static const char *const email_levels[] = {"missing", "exact", "same local part",
"similar local part", "different"};
static const char *const phone_levels[] = {"missing", "exact", "same last 7 digits",
"one digit different", "different"};
static const char *const text_levels[] = {"missing", "exact", "similar", "different"};
static const char *const postcode_levels[] = {"missing", "exact", "same first 3 characters",
"different"};
static const char *const country_levels[] = {"missing", "exact", "different"};
static const char *const org_levels[] = {"missing", "exact", "words of one all in the other",
	"half the words or more in common, or similar (Jaro-Winkler >= 0.92)",
"a word in common, or similar (Jaro-Winkler >= 0.80)", "different"};

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
		case CDM_ROLE_ORGANISATION_NAME:
			names = org_levels;
			n = lengthof(org_levels);
			break;
		case CDM_ROLE_DOMAIN:
			names = country_levels;	/* exact, different */
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

		/* tables of people without the columns: no organisation rows */
		if ((r == CDM_ROLE_ORGANISATION_NAME && src.att[SRC_ORGANISATION_NAME] == 0) ||
			(r == CDM_ROLE_DOMAIN && src.att[SRC_DOMAIN] == 0))
			continue;
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
