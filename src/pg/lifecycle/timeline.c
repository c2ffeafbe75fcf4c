/*
 * timeline.c - the SQL face of entity timelines: build one from milestone
 * rows, add one event, merge two (an entity merge), check one.
 *
 * A timeline is a bytea of CdmEvent (core/lifecycle/timeline.h) kept in
 * cdm.entity_timeline, one row per live entity; these functions are
 * internal (cdm._timeline_*), called by the milestone and merge code.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "timeline.h"
#include "timeline_pg.h"

PG_FUNCTION_INFO_V1(cdm_timeline_add);
PG_FUNCTION_INFO_V1(cdm_timeline_merge_sql);
PG_FUNCTION_INFO_V1(cdm_timeline_agg_step);
PG_FUNCTION_INFO_V1(cdm_timeline_agg_final);
PG_FUNCTION_INFO_V1(cdm_timeline_valid_sql);
PG_FUNCTION_INFO_V1(cdm_timeline_length);
PG_FUNCTION_INFO_V1(cdm_timeline_first_at);
PG_FUNCTION_INFO_V1(cdm_timeline_last_at);

#define MAX_EVENTS CDM_TIMELINE_MAX_EVENTS

CdmEvent *
cdm_timeline_events(bytea *b, size_t *n)
{
	size_t		len = VARSIZE_ANY_EXHDR(b);
	CdmEvent   *ev;

	if (len % sizeof(CdmEvent) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cdm: a timeline of %zu bytes is not a whole number of events", len),
				 errhint("Timelines are written by cdm itself; rebuild them with cdm.rebuild_timelines().")));
	*n = len / sizeof(CdmEvent);
	if (*n == 0)
		return NULL;
	ev = palloc(len);
	memcpy(ev, VARDATA_ANY(b), len);
	if (!cdm_timeline_valid(ev, *n))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("cdm: a timeline of %zu events is not sorted or holds a bad milestone id", *n),
				 errhint("Timelines are written by cdm itself; rebuild them with cdm.rebuild_timelines().")));
	return ev;
}

bytea *
cdm_timeline_bytea(const CdmEvent *ev, size_t n)
{
	bytea	   *b;

	if (n > MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: an entity timeline of %zu events exceeds the limit of %zu", n, MAX_EVENTS)));
	b = palloc(VARHDRSZ + n * sizeof(CdmEvent));
	SET_VARSIZE(b, VARHDRSZ + n * sizeof(CdmEvent));
	if (n > 0)
		memcpy(VARDATA(b), ev, n * sizeof(CdmEvent));
	return b;
}

static CdmEvent
event_from_args(FunctionCallInfo fcinfo, int first)
{
	CdmEvent	e;

	e.at = PG_GETARG_TIMESTAMPTZ(first);
	e.milestone = PG_GETARG_INT32(first + 1);
	e.scope = PG_ARGISNULL(first + 2) ? 0 : PG_GETARG_INT32(first + 2);
	if (TIMESTAMP_NOT_FINITE(e.at))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cdm: a milestone cannot happen at %s", e.at < 0 ? "-infinity" : "infinity"),
				 errhint("Give the moment the milestone happened.")));
	if (e.milestone <= 0 || e.scope < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cdm: bad milestone id %d or scope id %d", e.milestone, e.scope)));
	return e;
}

/* cdm._timeline_add(events bytea, at, milestone int, scope int): NULL events = empty. */
Datum
cdm_timeline_add(PG_FUNCTION_ARGS)
{
	size_t		n = 0,
				w;
	CdmEvent   *ev = NULL,
			   *out;
	CdmEvent	e;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	e = event_from_args(fcinfo, 1);
	if (!PG_ARGISNULL(0))
		ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);
	out = palloc((n + 1) * sizeof(CdmEvent));
	w = cdm_timeline_merge(ev, n, &e, 1, out);
	PG_RETURN_BYTEA_P(cdm_timeline_bytea(out, w));
}

/* cdm._timeline_merge(a, b): the union of two timelines (NULL = empty). */
Datum
cdm_timeline_merge_sql(PG_FUNCTION_ARGS)
{
	size_t		na = 0,
				nb = 0,
				w;
	CdmEvent   *a = NULL,
			   *b = NULL,
			   *out;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (!PG_ARGISNULL(0))
		a = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &na);
	if (!PG_ARGISNULL(1))
		b = cdm_timeline_events(PG_GETARG_BYTEA_PP(1), &nb);
	/* the union may hold both: check before sizing the buffer */
	if (na + nb > MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: an entity timeline of %zu events exceeds the limit of %zu",
						na + nb, MAX_EVENTS)));
	out = palloc((na + nb + 1) * sizeof(CdmEvent));
	w = cdm_timeline_merge(a, na, b, nb, out);
	PG_RETURN_BYTEA_P(cdm_timeline_bytea(out, w));
}

/* Aggregate state: a growing array of events in the aggregate's context. */
typedef struct TimelineAgg
{
	CdmEvent   *ev;
	size_t		n,
				cap;
} TimelineAgg;

/* cdm._timeline_agg(at, milestone, scope) step; rows with NULL at/milestone are skipped. */
Datum
cdm_timeline_agg_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	TimelineAgg *st;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "cdm_timeline_agg_step called in non-aggregate context");
	st = PG_ARGISNULL(0) ? NULL : (TimelineAgg *) PG_GETARG_POINTER(0);
	if (st == NULL)
	{
		st = MemoryContextAllocZero(aggcxt, sizeof(TimelineAgg));
		st->cap = 16;
		st->ev = MemoryContextAlloc(aggcxt, st->cap * sizeof(CdmEvent));
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	if (st->n == st->cap)
	{
		if (st->cap >= MAX_EVENTS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cdm: an entity timeline of more than %zu events exceeds the limit of %zu",
							st->cap, MAX_EVENTS)));
		st->cap = Min(st->cap * 2, MAX_EVENTS);
		st->ev = repalloc_huge(st->ev, st->cap * sizeof(CdmEvent));
	}
	st->ev[st->n++] = event_from_args(fcinfo, 1);
	PG_RETURN_POINTER(st);
}

Datum
cdm_timeline_agg_final(PG_FUNCTION_ARGS)
{
	TimelineAgg *st;
	size_t		n;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (TimelineAgg *) PG_GETARG_POINTER(0);
	n = cdm_timeline_sort(st->ev, st->n);
	PG_RETURN_BYTEA_P(cdm_timeline_bytea(st->ev, n));
}

/* cdm._timeline_valid(bytea): a whole number of sorted, well-formed events. */
Datum
cdm_timeline_valid_sql(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(b);
	CdmEvent   *ev;
	bool		ok;

	if (len % sizeof(CdmEvent) != 0)
		PG_RETURN_BOOL(false);
	ev = palloc(len + 1);
	memcpy(ev, VARDATA_ANY(b), len);
	ok = cdm_timeline_valid(ev, len / sizeof(CdmEvent));
	pfree(ev);
	PG_RETURN_BOOL(ok);
}

/* cdm._timeline_length(bytea): its number of events. */
Datum
cdm_timeline_length(PG_FUNCTION_ARGS)
{
	size_t		n;

	(void) cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);
	PG_RETURN_INT32((int32) n);
}

/* cdm._timeline_first_at(bytea): the moment of its first event (NULL when empty). */
Datum
cdm_timeline_first_at(PG_FUNCTION_ARGS)
{
	size_t		n;
	CdmEvent   *ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(ev[0].at);
}

/* cdm._timeline_last_at(bytea): the moment of its last event (NULL when empty). */
Datum
cdm_timeline_last_at(PG_FUNCTION_ARGS)
{
	size_t		n;
	CdmEvent   *ev = cdm_timeline_events(PG_GETARG_BYTEA_PP(0), &n);

	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(ev[n - 1].at);
}
