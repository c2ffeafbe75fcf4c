/*
 * active.c - definitions of "active" evaluated over entity timelines:
 * compile a rule, test one entity, count many at several moments at once,
 * explain, and the four-way customer status.
 *
 * The rule's window is a PostgreSQL interval ("90 days", "3 months"):
 * as_of minus the window is computed here, with the calendar and the
 * session's time zone, so these functions are STABLE; the core only
 * compares instants.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "active_rule.h"
#include "timeline_pg.h"

PG_FUNCTION_INFO_V1(cdm_active_compile);

/* Moments one active count answers at once (a documented limit). */
#define CDM_ACTIVE_MAX_MOMENTS 10000
PG_FUNCTION_INFO_V1(cdm_timeline_active);
PG_FUNCTION_INFO_V1(cdm_active_counts_step);
PG_FUNCTION_INFO_V1(cdm_active_counts_combine);
PG_FUNCTION_INFO_V1(cdm_timeline_why);
PG_FUNCTION_INFO_V1(cdm_timeline_status);

static void
read_id_list(ArrayType *a, const char *what, CdmActiveRule *r, int l)
{
	Datum	   *d;
	bool	   *nulls;
	int			n;

	deconstruct_array(a, INT4OID, 4, true, TYPALIGN_INT, &d, &nulls, &n);
	if (n > CDM_ACTIVE_MAX_LIST)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: \"%s\" lists %d milestones, more than the limit of %d",
						what, n, CDM_ACTIVE_MAX_LIST)));
	r->n[l] = 0;
	for (int i = 0; i < n; i++)
	{
		int32		id = DatumGetInt32(d[i]);
		bool		dup = false;

		if (nulls[i] || id <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cdm: \"%s\" holds a bad milestone id", what)));
		for (int j = 0; j < r->n[l]; j++)
			dup |= r->ids[l][j] == id;
		if (!dup)
			r->ids[l][r->n[l]++] = id;
	}
}

/*
 * cdm._active_compile(scope int, activity_required bool, window interval,
 *                     all int[], any int[], none int[], activity int[]) → bytea
 * (window NULL: no window).  Names were checked by the SQL caller.
 * Not STRICT, for the window; a NULL anywhere else gives NULL, as STRICT
 * would (it used to be read as a pointer: a crash).
 */
Datum
cdm_active_compile(PG_FUNCTION_ARGS)
{
	CdmActiveRule r;
	static const char *const names[] = {"all", "any", "none", "activity"};
	bytea	   *out;
	size_t		size;

	for (int a = 0; a < PG_NARGS(); a++)
		if (a != 2 && PG_ARGISNULL(a))
			PG_RETURN_NULL();
	memset(&r, 0, sizeof(r));
	r.scope = PG_GETARG_INT32(0);
	r.activity_required = PG_GETARG_BOOL(1);
	if (!PG_ARGISNULL(2))
	{
		Interval   *w = PG_GETARG_INTERVAL_P(2);

		r.has_window = true;
		r.win_months = w->month;
		r.win_days = w->day;
		r.win_usecs = w->time;
	}
	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
		read_id_list(PG_GETARG_ARRAYTYPE_P(3 + l), names[l], &r, l);
	size = cdm_active_program_size(&r);
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	cdm_active_program_write(&r, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/*
 * The compiled rule of the program argument, parsed once per call site:
 * a count calls the evaluator once per entity with the same program.
 */
typedef struct RuleCache
{
	bytea	   *program;		/* copy, to recognise it */
	CdmActiveRule rule;
	TimestampTz as_of;			/* the last as_of and its window start */
	TimestampTz since;
	bool		have_since;
	/* cdm._active_counts: its moments (a copy) and their window starts */
	ArrayType  *moments;
	int			n_moments;
	TimestampTz *moment;
	TimestampTz *moment_since;
} RuleCache;

static RuleCache *
cached_rule(FunctionCallInfo fcinfo, bytea *program)
{
	RuleCache  *c = (RuleCache *) fcinfo->flinfo->fn_extra;
	size_t		len = VARSIZE_ANY_EXHDR(program);

	if (c != NULL && VARSIZE_ANY_EXHDR(c->program) == len &&
		memcmp(VARDATA_ANY(c->program), VARDATA_ANY(program), len) == 0)
		return c;
	if (c == NULL)
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RuleCache));
	else
		pfree(c->program);
	if (!cdm_active_program_read((const unsigned char *) VARDATA_ANY(program), len, &c->rule))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cdm: not a compiled definition of \"active\" (%zu bytes)", len),
				 errhint("Programs come from cdm.active_definition; redefine it with cdm.define_active.")));
	c->program = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARHDRSZ + len);
	SET_VARSIZE(c->program, VARHDRSZ + len);
	memcpy(VARDATA(c->program), VARDATA_ANY(program), len);
	c->have_since = false;
	c->moments = NULL;
	fcinfo->flinfo->fn_extra = c;
	return c;
}

static void
check_finite(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cdm: as_of cannot be %s", t < 0 ? "-infinity" : "infinity"),
				 errhint("Ask about a moment: now(), or a date such as '2025-03-31 23:59:59'.")));
}

/* as_of minus the rule's window, on the calendar of the session time zone. */
static TimestampTz
window_start(const CdmActiveRule *r, TimestampTz as_of)
{
	Interval	w;

	if (!r->has_window)
		return DT_NOBEGIN;
	w.month = r->win_months;
	w.day = r->win_days;
	w.time = r->win_usecs;
	return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
												   TimestampTzGetDatum(as_of),
												   IntervalPGetDatum(&w)));
}

static TimestampTz
cached_since(RuleCache *c, TimestampTz as_of)
{
	if (!c->have_since || c->as_of != as_of)
	{
		c->since = window_start(&c->rule, as_of);
		c->as_of = as_of;
		c->have_since = true;
	}
	return c->since;
}

/* cdm._timeline_active(events bytea, program bytea, as_of timestamptz) → bool */
Datum
cdm_timeline_active(PG_FUNCTION_ARGS)
{
	RuleCache  *c = cached_rule(fcinfo, PG_GETARG_BYTEA_PP(1));
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
	size_t		n;
	CdmEvent   *ev;
	bool		active;

	check_finite(as_of);
	ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);
	active = cdm_active_eval(&c->rule, ev, n, as_of, cached_since(c, as_of), NULL);
	if (ev)
		pfree(ev);
	PG_RETURN_BOOL(active);
}

static ArrayType *
zero_counts(MemoryContext cxt, int n)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Datum	   *z = palloc(sizeof(Datum) * n);
	ArrayType  *a;

	for (int i = 0; i < n; i++)
		z[i] = Int64GetDatum(0);
	a = construct_array(z, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	MemoryContextSwitchTo(old);
	return a;
}

/* The moments of an active count and their window starts, once per query. */
static void
cached_moments(FunctionCallInfo fcinfo, RuleCache *c, ArrayType *moments)
{
	Datum	   *d;
	bool	   *nulls;
	int			n;
	size_t		bytes = VARSIZE(moments);

	if (c->moments != NULL && VARSIZE(c->moments) == bytes &&
		memcmp(c->moments, moments, bytes) == 0)
		return;
	deconstruct_array(moments, TIMESTAMPTZOID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &d, &nulls, &n);
	if (n == 0 || n > CDM_ACTIVE_MAX_MOMENTS)
		ereport(ERROR,
				(errcode(n == 0 ? ERRCODE_INVALID_PARAMETER_VALUE : ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: an active count takes 1 to %d moments, not %d",
						CDM_ACTIVE_MAX_MOMENTS, n)));
	c->moment = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, n * sizeof(TimestampTz));
	c->moment_since = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, n * sizeof(TimestampTz));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("cdm: moment %d of an active count is NULL", i + 1)));
		c->moment[i] = DatumGetTimestampTz(d[i]);
		check_finite(c->moment[i]);
		c->moment_since[i] = window_start(&c->rule, c->moment[i]);
	}
	c->n_moments = n;
	c->moments = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, bytes);
	memcpy(c->moments, moments, bytes);
}

/* The support functions take bigint[] and so can be called from SQL. */
static void not_in_aggregate(const char *fn) pg_attribute_noreturn();

static void
not_in_aggregate(const char *fn)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s can only be called by the aggregate cdm._active_counts", fn)));
}

/*
 * Aggregate cdm._active_counts(events, program, as_of timestamptz[]) →
 * bigint[]: per moment, how many rows are active.  One pass over the
 * timelines answers a whole report (24 month ends); the state is a bigint[]
 * of the aggregate's memory, updated in place.
 */
Datum
cdm_active_counts_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ArrayType  *state;
	RuleCache  *c;
	int64	   *counts;
	size_t		n;
	CdmEvent   *ev;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		not_in_aggregate("cdm._active_counts_step");
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cdm: the program and the moments of an active count must not be NULL")));
	c = cached_rule(fcinfo, PG_GETARG_BYTEA_PP(2));
	cached_moments(fcinfo, c, PG_GETARG_ARRAYTYPE_P(3));
	if (PG_ARGISNULL(0))
		state = zero_counts(aggcxt, c->n_moments);
	else
		state = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_DIMS(state)[0] != c->n_moments)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cdm: the moments of an active count changed within one aggregate")));
	if (PG_ARGISNULL(1))
		PG_RETURN_ARRAYTYPE_P(state);
	counts = (int64 *) ARR_DATA_PTR(state);
	ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(1), &n);
	for (int i = 0; i < c->n_moments; i++)
		counts[i] += cdm_active_eval(&c->rule, ev, n, c->moment[i], c->moment_since[i], NULL);
	if (ev)
		pfree(ev);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Combine two partial counts (parallel aggregation): element-wise sum. */
Datum
cdm_active_counts_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ArrayType  *a,
			   *b;
	int64	   *x,
			   *y;
	int			n;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		not_in_aggregate("cdm._active_counts_combine");
	if (PG_ARGISNULL(1))
	{
		/* a partial count over no rows is NULL: so may both be */
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_ARRAYTYPE_P(1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);

		a = DatumGetArrayTypePCopy(PointerGetDatum(b));
		MemoryContextSwitchTo(old);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	n = ARR_DIMS(a)[0];
	if (ARR_DIMS(b)[0] != n)
		elog(ERROR, "cdm: partial active counts of different lengths");
	x = (int64 *) ARR_DATA_PTR(a);
	y = (int64 *) ARR_DATA_PTR(b);
	for (int i = 0; i < n; i++)
		x[i] += y[i];
	PG_RETURN_ARRAYTYPE_P(a);
}

/*
 * cdm._timeline_why(events, program, as_of) → TABLE(condition text,
 * position int, milestone int, at timestamptz, met bool): one row per
 * milestone of each list (at: its first occurrence by as_of), then one
 * summary row per condition (at: the last activity for "activity") and the
 * verdict ("active").  cdm.why_active dresses it with names.
 */
Datum
cdm_timeline_why(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"all", "any", "none", "activity"};
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	RuleCache  *c = cached_rule(fcinfo, PG_GETARG_BYTEA_PP(1));
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(2);
	CdmActiveWhy *why = palloc(sizeof(CdmActiveWhy));
	bool		verdict;
	bool		summary[CDM_ACTIVE_NLISTS];
	size_t		n;
	CdmEvent   *ev;

	check_finite(as_of);
	InitMaterializedSRF(fcinfo, 0);
	ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);
	verdict = cdm_active_eval(&c->rule, ev, n, as_of, cached_since(c, as_of), why);
	summary[CDM_ACTIVE_ALL] = why->all_met;
	summary[CDM_ACTIVE_ANY] = why->any_met;
	summary[CDM_ACTIVE_NONE] = why->none_met;
	summary[CDM_ACTIVE_ACTIVITY] = why->activity_met;
	for (int l = 0; l < CDM_ACTIVE_NLISTS; l++)
	{
		for (int i = 0; i <= c->rule.n[l]; i++)
		{
			Datum		v[5];
			bool		nulls[5] = {false, false, false, false, false};
			bool		summary_row = i == c->rule.n[l];
			int64		at = summary_row ? (l == CDM_ACTIVE_ACTIVITY ? why->last_activity : CDM_NEVER)
				: why->first[l][i];

			if (summary_row && l == CDM_ACTIVE_ACTIVITY && !c->rule.activity_required)
				continue;
			if (summary_row && l != CDM_ACTIVE_ACTIVITY && c->rule.n[l] == 0)
				continue;
			v[0] = CStringGetTextDatum(names[l]);
			v[1] = Int32GetDatum(summary_row ? 0 : i + 1);
			v[2] = summary_row ? (Datum) 0 : Int32GetDatum(c->rule.ids[l][i]);
			nulls[2] = summary_row;
			v[3] = TimestampTzGetDatum(at);
			nulls[3] = at == CDM_NEVER;
			if (summary_row)
				v[4] = BoolGetDatum(summary[l]);
			else if (l == CDM_ACTIVE_NONE)
				v[4] = BoolGetDatum(at == CDM_NEVER);
			else if (l == CDM_ACTIVE_ACTIVITY)
				v[4] = BoolGetDatum(at != CDM_NEVER);
			else
				v[4] = BoolGetDatum(at != CDM_NEVER);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		}
	}
	{
		Datum		v[5] = {CStringGetTextDatum("active"), Int32GetDatum(0), 0, 0, BoolGetDatum(verdict)};
		bool		nulls[5] = {false, false, true, true, false};

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* cdm._timeline_status(events, program, scope int, as_of) → text (NULL events: no milestones). */
Datum
cdm_timeline_status(PG_FUNCTION_ARGS)
{
	static const char *const status[] = {"new_prospect", "known_prospect", "former_customer", "customer"};
	RuleCache  *c;
	TimestampTz as_of;
	size_t		n = 0;
	CdmEvent   *ev = NULL;
	CdmCustomerStatus s;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	c = cached_rule(fcinfo, PG_GETARG_BYTEA_PP(1));
	as_of = PG_GETARG_TIMESTAMPTZ(3);
	check_finite(as_of);
	if (!PG_ARGISNULL(0))
		ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);
	s = cdm_active_status(&c->rule, PG_GETARG_INT32(2), ev, n, as_of, cached_since(c, as_of));
	PG_RETURN_TEXT_P(cstring_to_text(status[s]));
}
