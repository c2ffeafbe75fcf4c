/*
 * compare.c - SQL wrappers for the edit distances and similarity scores.
 *
 * Each wrapper decodes its arguments to code points (on the stack for
 * short values), hands them to the core with a stack workspace when that
 * is big enough, and turns the core's error returns into ereport()s.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "damerau.h"
#include "hamming.h"
#include "jaro.h"
#include "levenshtein.h"
#include "pg_text.h"
#include "qgram.h"

/* Workspace that stays on the stack: covers names and most addresses. */
#define STACK_WORK 8192

/* q-grams longer than this are no longer "grams"; it also bounds the work. */
#define CDM_QGRAM_MAX_Q 64

PG_FUNCTION_INFO_V1(cdm_levenshtein_sql);
PG_FUNCTION_INFO_V1(cdm_levenshtein_bounded_sql);
PG_FUNCTION_INFO_V1(cdm_damerau_levenshtein_sql);
PG_FUNCTION_INFO_V1(cdm_osa_distance_sql);
PG_FUNCTION_INFO_V1(cdm_hamming_sql);
PG_FUNCTION_INFO_V1(cdm_jaro_similarity_sql);
PG_FUNCTION_INFO_V1(cdm_jaro_winkler_similarity_sql);
PG_FUNCTION_INFO_V1(cdm_qgram_similarity_sql);

/* Distances are returned as int4: anything larger cannot be a text length. */
static Datum
distance_datum(int64 d)
{
	if (d > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("distance %lld does not fit in integer", (long long) d)));
	return Int32GetDatum((int32) d);
}

/*
 * The two text arguments of a comparison, decoded, and the core's scratch
 * space: on the stack when it fits, which it does for names.
 */
typedef struct Pair
{
	text	   *ta;
	text	   *tb;
	CdmChars	a;
	CdmChars	b;
	void	   *work;
	uint64		stackbuf[STACK_WORK / sizeof(uint64)];	/* 8-byte aligned */
} Pair;

static void
pair_open(FunctionCallInfo fcinfo, Pair *p)
{
	p->ta = cdm_getarg_text(fcinfo, 0);
	p->tb = cdm_getarg_text(fcinfo, 1);
	cdm_chars_from_text(p->ta, &p->a);
	cdm_chars_from_text(p->tb, &p->b);
	p->work = NULL;
}

static void *
pair_work(Pair *p, size_t bytes)
{
	p->work = cdm_workspace(bytes, p->stackbuf, sizeof(p->stackbuf));
	return p->work;
}

static void
pair_close(Pair *p)
{
	if (p->work)
		cdm_workspace_free(p->work, p->stackbuf);
	cdm_chars_free(&p->a);
	cdm_chars_free(&p->b);
}

static int64
levenshtein_common(FunctionCallInfo fcinfo, int64 max)
{
	Pair		p;
	int64		d;

	pair_open(fcinfo, &p);
	d = cdm_levenshtein(p.a.cp, p.a.n, p.b.cp, p.b.n, max,
						pair_work(&p, cdm_levenshtein_workspace(p.a.n, p.b.n)));
	pair_close(&p);
	return d;
}

Datum
cdm_levenshtein_sql(PG_FUNCTION_ARGS)
{
	return distance_datum(levenshtein_common(fcinfo, -1));
}

Datum
cdm_levenshtein_bounded_sql(PG_FUNCTION_ARGS)
{
	int32		max = PG_GETARG_INT32(2);

	if (max < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max must not be negative, got %d", max),
				 errhint("Pass the largest distance of interest, 0 or more; omit it for the exact distance.")));
	return distance_datum(levenshtein_common(fcinfo, max));
}

Datum
cdm_damerau_levenshtein_sql(PG_FUNCTION_ARGS)
{
	Pair		p;
	size_t		bytes;
	int64		d;

	pair_open(fcinfo, &p);
	bytes = cdm_damerau_workspace(p.a.cp, p.a.n, p.b.cp, p.b.n);
	if (bytes == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("damerau_levenshtein of strings of %zu and %zu characters exceeds the limit of %lld matrix cells",
						p.a.n, p.b.n, (long long) CDM_DAMERAU_MAX_CELLS),
				 errdetail("The true Damerau-Levenshtein distance needs the whole (m+2) x (n+2) matrix."),
				 errhint("Use cdm.osa_distance (linear memory) or cdm.levenshtein for long strings.")));
	d = cdm_damerau_levenshtein(p.a.cp, p.a.n, p.b.cp, p.b.n, pair_work(&p, bytes));
	pair_close(&p);
	return distance_datum(d);
}

Datum
cdm_osa_distance_sql(PG_FUNCTION_ARGS)
{
	Pair		p;
	int64		d;

	pair_open(fcinfo, &p);
	d = cdm_osa_distance(p.a.cp, p.a.n, p.b.cp, p.b.n,
						 pair_work(&p, cdm_osa_workspace(p.a.n, p.b.n)));
	pair_close(&p);
	return distance_datum(d);
}

Datum
cdm_hamming_sql(PG_FUNCTION_ARGS)
{
	Pair		p;
	int64		d;

	pair_open(fcinfo, &p);
	d = cdm_hamming(p.a.cp, p.a.n, p.b.cp, p.b.n);
	if (d < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hamming distance needs strings of equal length: %s has %zu characters, %s has %zu",
						cdm_quote_for_message(p.ta), p.a.n, cdm_quote_for_message(p.tb), p.b.n),
				 errhint("Use cdm.levenshtein for strings of different lengths.")));
	pair_close(&p);
	return distance_datum(d);
}

typedef double (*similarity_fn) (const cdm_char *a, size_t m,
								 const cdm_char *b, size_t n, void *work);

static Datum
jaro_common(FunctionCallInfo fcinfo, similarity_fn fn)
{
	Pair		p;
	double		s;

	pair_open(fcinfo, &p);
	s = fn(p.a.cp, p.a.n, p.b.cp, p.b.n, pair_work(&p, cdm_jaro_workspace(p.a.n, p.b.n)));
	pair_close(&p);
	PG_RETURN_FLOAT8(s);
}

Datum
cdm_jaro_similarity_sql(PG_FUNCTION_ARGS)
{
	return jaro_common(fcinfo, cdm_jaro);
}

Datum
cdm_jaro_winkler_similarity_sql(PG_FUNCTION_ARGS)
{
	return jaro_common(fcinfo, cdm_jaro_winkler);
}

Datum
cdm_qgram_similarity_sql(PG_FUNCTION_ARGS)
{
	int32		q = PG_GETARG_INT32(2);
	Pair		p;
	double		s;

	if (q < 1 || q > CDM_QGRAM_MAX_Q)
		ereport(ERROR,
				(errcode(q < 1 ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("q must be between 1 and %d, got %d", CDM_QGRAM_MAX_Q, q),
				 errhint("q is the gram length in characters: 2 or 3 suit names.")));
	pair_open(fcinfo, &p);
	s = cdm_qgram_similarity(p.a.cp, p.a.n, p.b.cp, p.b.n, q,
							 pair_work(&p, cdm_qgram_workspace(p.a.n, p.b.n, q)));
	pair_close(&p);
	PG_RETURN_FLOAT8(s);
}
