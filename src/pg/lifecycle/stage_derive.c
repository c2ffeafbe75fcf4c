/*
 * stage_derive.c - the stage of an entity derived from its timeline:
 * cdm._timeline_stage, cdm._stage_explain, and cdm._timeline_from (a
 * timeline built from arrays, for tests and hand-made examples).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "lifecycle_pg.h"
#include "timeline_pg.h"

PG_FUNCTION_INFO_V1(cdm_timeline_stage);
PG_FUNCTION_INFO_V1(cdm_stage_explain);
PG_FUNCTION_INFO_V1(cdm_timeline_from);

typedef struct DeriveArgs
{
	const char *caller;
	const CdmStageModel *m;
	text	   *model;
	const void *events;
	size_t		n;
	TimestampTz as_of;
	int32		scope;
	TimestampTz born;
} DeriveArgs;

static void
derive_args(FunctionCallInfo fcinfo, const char *caller, DeriveArgs *a)
{
	bytea	   *ev = PG_GETARG_BYTEA_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(ev);

	a->caller = caller;
	a->model = PG_GETARG_TEXT_PP(1);
	a->as_of = PG_GETARG_TIMESTAMPTZ(2);
	a->scope = PG_GETARG_INT32(3);
	a->born = PG_GETARG_TIMESTAMPTZ(4);
	if (len % sizeof(CdmEvent) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: events of %zu bytes are not a timeline", caller, len),
				 errhint("A timeline is an array of %zu-byte events, as stored in cdm.entity_timeline.",
						 sizeof(CdmEvent))));
	if (TIMESTAMP_NOT_FINITE(a->born))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: born must be a finite time", caller),
				 errhint("born is when the entity entered its model's initial stage.")));
	a->events = VARDATA_ANY(ev);
	a->n = len / sizeof(CdmEvent);
	a->m = cdm_stage_model_get(fcinfo->flinfo, caller, VARDATA_ANY(a->model),
							   VARSIZE_ANY_EXHDR(a->model));
}

static CdmLifecycle *
state_value(const DeriveArgs *a, const CdmStageState *s)
{
	const char *name = a->m->name[s->stage];

	return cdm_lc_make(s->stage, s->entered, VARDATA_ANY(a->model), VARSIZE_ANY_EXHDR(a->model),
					   name, strlen(name));
}

/*
 * cdm._timeline_stage(events bytea, model text, as_of timestamptz,
 * scope int, born timestamptz) -> cdm.lifecycle, NULL when born > as_of.
 */
Datum
cdm_timeline_stage(PG_FUNCTION_ARGS)
{
	DeriveArgs	a;
	CdmStageState s;

	derive_args(fcinfo, "cdm._timeline_stage", &a);
	if (!cdm_sm_derive(a.m, a.events, a.n, a.as_of, a.scope, a.born, &s, NULL, 0, NULL))
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state_value(&a, &s));
}

/* ---------------------------------------------------------------- explain */

typedef struct MilestoneNames
{
	int			n;
	int32	   *id;
	char	  **name;
} MilestoneNames;

/* The declared milestones (a small table), for naming steps. */
static void
load_milestone_names(MilestoneNames *mn)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cdm: SPI_connect failed");
	if (SPI_execute("SELECT id, name FROM cdm.milestone_type", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "cdm: could not read cdm.milestone_type");
	mn->n = (int) SPI_processed;
	mn->id = SPI_palloc(sizeof(int32) * (mn->n + 1));
	mn->name = SPI_palloc(sizeof(char *) * (mn->n + 1));
	for (int i = 0; i < mn->n; i++)
	{
		bool		isnull;
		char	   *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

		mn->id[i] = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
												1, &isnull));
		mn->name[i] = SPI_palloc(strlen(name) + 1);
		strcpy(mn->name[i], name);
	}
	SPI_finish();
}

static void
append_milestone(StringInfo s, const MilestoneNames *mn, int32 id)
{
	for (int i = 0; i < mn->n; i++)
		if (mn->id[i] == id)
		{
			appendStringInfoString(s, ", \"milestone\": ");
			escape_json(s, mn->name[i]);
			return;
		}
	/* removed since it was recorded: say so rather than fail */
	appendStringInfo(s, ", \"milestone\": \"#%d\"", id);
}

static void
append_time(StringInfo s, const char *key, TimestampTz t)
{
	char		buf[MAXDATELEN + 1];

	appendStringInfo(s, "\"%s\": ", key);
	escape_json(s, JsonEncodeDateTime(buf, TimestampTzGetDatum(t), TIMESTAMPTZOID, NULL));
}

static void
append_step(StringInfo s, const CdmStageModel *m, const MilestoneNames *mn,
			const CdmStageStep *st)
{
	appendStringInfoChar(s, '{');
	append_time(s, "at", st->at);
	appendStringInfo(s, ", \"step\": \"%s\"", cdm_step_kind_name(st->kind));
	if (st->kind != CDM_STEP_LAPSE)
		append_milestone(s, mn, st->milestone);
	appendStringInfo(s, ", \"from\": \"%s\", \"to\": \"%s\"", m->name[st->from], m->name[st->to]);
	if (st->target != st->to)
		appendStringInfo(s, ", \"target\": \"%s\"", m->name[st->target]);
	if (st->kind == CDM_STEP_LAPSE)
	{
		appendStringInfoString(s, ", ");
		append_time(s, "since", st->since);
	}
	appendStringInfoChar(s, '}');
}

/*
 * cdm._stage_explain(events, model, as_of, scope, born) -> jsonb: the
 * derivation's result and its steps (moves taken, lapses, and mapped
 * milestones ignored, with the reason).
 */
Datum
cdm_stage_explain(PG_FUNCTION_ARGS)
{
	DeriveArgs	a;
	CdmStageState s;
	size_t		nlog = 0;
	CdmStageStep *log;
	MilestoneNames mn;
	StringInfoData out;
	bool		ok;

	derive_args(fcinfo, "cdm._stage_explain", &a);
	/* count the steps first, then log them: no bound on the timeline */
	cdm_sm_derive(a.m, a.events, a.n, a.as_of, a.scope, a.born, &s, NULL, 0, &nlog);
	log = palloc(sizeof(CdmStageStep) * (nlog + 1));
	ok = cdm_sm_derive(a.m, a.events, a.n, a.as_of, a.scope, a.born, &s, log, nlog + 1, &nlog);
	load_milestone_names(&mn);

	initStringInfo(&out);
	appendStringInfoString(&out, "{\"model\": ");
	escape_json(&out, text_to_cstring(a.model));
	appendStringInfoString(&out, ", ");
	append_time(&out, "as_of", a.as_of);
	appendStringInfo(&out, ", \"scope\": %d, ", a.scope);
	append_time(&out, "born", a.born);
	if (ok)
	{
		appendStringInfo(&out, ", \"stage\": \"%s\", ", a.m->name[s.stage]);
		append_time(&out, "entered_at", s.entered);
	}
	else
		appendStringInfoString(&out, ", \"stage\": null, \"entered_at\": null");
	appendStringInfoString(&out, ", \"steps\": [");
	for (size_t i = 0; ok && i < nlog; i++)
	{
		if (i > 0)
			appendStringInfoString(&out, ", ");
		append_step(&out, a.m, &mn, &log[i]);
	}
	appendStringInfoString(&out, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(out.data)));
}

/* ------------------------------------------------------------ _timeline_from */

static int
event_cmp(const void *pa, const void *pb)
{
	const CdmEvent *a = pa,
			   *b = pb;

	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->milestone != b->milestone)
		return a->milestone < b->milestone ? -1 : 1;
	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	return 0;
}

static void
deconstruct(ArrayType *arr, Oid elemtype, Datum **d, bool **nulls, int *n)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cdm._timeline_from: arrays must be one-dimensional")));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(arr, elemtype, typlen, typbyval, typalign, d, nulls, n);
	for (int i = 0; i < *n; i++)
		if ((*nulls)[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("cdm._timeline_from: element %d is NULL", i + 1)));
}

/*
 * cdm._timeline_from(at timestamptz[], milestone int[], scope int[]) ->
 * bytea: a timeline of those events (same lengths), sorted.
 */
Datum
cdm_timeline_from(PG_FUNCTION_ARGS)
{
	Datum	   *at,
			   *ms,
			   *sc;
	bool	   *nat,
			   *nms,
			   *nsc;
	int			n1,
				n2,
				n3;
	CdmEvent   *ev;
	bytea	   *out;

	deconstruct(PG_GETARG_ARRAYTYPE_P(0), TIMESTAMPTZOID, &at, &nat, &n1);
	deconstruct(PG_GETARG_ARRAYTYPE_P(1), INT4OID, &ms, &nms, &n2);
	deconstruct(PG_GETARG_ARRAYTYPE_P(2), INT4OID, &sc, &nsc, &n3);
	if (n1 != n2 || n1 != n3)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cdm._timeline_from: arrays of %d, %d and %d elements", n1, n2, n3),
				 errhint("Give one time, milestone id and scope id per event.")));
	if ((size_t) n1 > CDM_TIMELINE_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: an entity timeline of %d events exceeds the limit of %zu",
						n1, CDM_TIMELINE_MAX_EVENTS)));
	out = palloc0(VARHDRSZ + sizeof(CdmEvent) * n1);
	SET_VARSIZE(out, VARHDRSZ + sizeof(CdmEvent) * n1);
	ev = palloc0(sizeof(CdmEvent) * (n1 + 1));
	for (int i = 0; i < n1; i++)
	{
		ev[i].at = DatumGetTimestampTz(at[i]);
		ev[i].milestone = DatumGetInt32(ms[i]);
		ev[i].scope = DatumGetInt32(sc[i]);
		if (ev[i].milestone <= 0 || ev[i].scope < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cdm._timeline_from: event %d has milestone %d, scope %d", i + 1,
							ev[i].milestone, ev[i].scope),
					 errhint("Milestone ids are positive, scope ids 0 (unscoped) or positive.")));
	}
	qsort(ev, n1, sizeof(CdmEvent), event_cmp);
	if (n1 > 0)
		memcpy(VARDATA(out), ev, sizeof(CdmEvent) * n1);
	PG_RETURN_BYTEA_P(out);
}
