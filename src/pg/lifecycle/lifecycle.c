/*
 * lifecycle.c - the cdm.lifecycle type: a stage of a stage model and when
 * it was entered.  Text and binary I/O, btree and hash support,
 * accessors, the constructor and cdm.transition.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "lifecycle_pg.h"

PG_FUNCTION_INFO_V1(cdm_lifecycle_in);
PG_FUNCTION_INFO_V1(cdm_lifecycle_out);
PG_FUNCTION_INFO_V1(cdm_lifecycle_recv);
PG_FUNCTION_INFO_V1(cdm_lifecycle_send);
PG_FUNCTION_INFO_V1(cdm_lifecycle_cmp);
PG_FUNCTION_INFO_V1(cdm_lifecycle_eq);
PG_FUNCTION_INFO_V1(cdm_lifecycle_ne);
PG_FUNCTION_INFO_V1(cdm_lifecycle_lt);
PG_FUNCTION_INFO_V1(cdm_lifecycle_le);
PG_FUNCTION_INFO_V1(cdm_lifecycle_gt);
PG_FUNCTION_INFO_V1(cdm_lifecycle_ge);
PG_FUNCTION_INFO_V1(cdm_lifecycle_hash);
PG_FUNCTION_INFO_V1(cdm_lifecycle_hash_extended);
PG_FUNCTION_INFO_V1(cdm_lifecycle_stage);
PG_FUNCTION_INFO_V1(cdm_lifecycle_entered_at);
PG_FUNCTION_INFO_V1(cdm_lifecycle_model);
PG_FUNCTION_INFO_V1(cdm_lifecycle_make);
PG_FUNCTION_INFO_V1(cdm_lifecycle_transition);

#define DEFAULT_MODEL "default"

CdmLifecycle *
cdm_lc_make(int rank, TimestampTz entered, const char *model, size_t model_len,
			const char *stage, size_t stage_len)
{
	size_t		size = offsetof(CdmLifecycle, data) + sizeof(TimestampTz) + model_len + stage_len;
	CdmLifecycle *v = palloc0(size);

	Assert(model_len <= CDM_STAGE_NAME_MAX && stage_len <= CDM_STAGE_NAME_MAX);
	SET_VARSIZE(v, size);
	v->rank = (int16) rank;
	v->model_len = (uint8) model_len;
	v->stage_len = (uint8) stage_len;
	memcpy(v->data, &entered, sizeof(entered));
	memcpy(v->data + sizeof(entered), model, model_len);
	memcpy(v->data + sizeof(entered) + model_len, stage, stage_len);
	return v;
}

void
cdm_timestamptz_iso(TimestampTz t, char *buf)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	const char *tzn;

	if (TIMESTAMP_NOT_FINITE(t))
		EncodeSpecialTimestamp(t, buf);
	else if (timestamp2tm(t, &tz, &tm, &fsec, &tzn, NULL) == 0)
		EncodeDateTime(&tm, fsec, true, tz, tzn, USE_ISO_DATES, buf);
	else
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
}

static void
check_finite(const char *caller, TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: a stage cannot be entered at %s", caller,
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity"),
				 errhint("Give the time the stage was entered.")));
}

/* A value of a stage of a model, the rank looked up in the model. */
static CdmLifecycle *
lc_build(FmgrInfo *flinfo, const char *caller, const char *model, size_t model_len,
		 const char *stage, size_t stage_len, TimestampTz at)
{
	const CdmStageModel *m = cdm_stage_model_get(flinfo, caller, model, model_len);
	int			rank = cdm_stage_resolve(m, caller, model, model_len, stage, stage_len);

	check_finite(caller, at);
	return cdm_lc_make(rank, at, model, model_len, stage, stage_len);
}

/* ------------------------------------------------------------------ text I/O */

static void
bad_syntax(const char *s)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type cdm.lifecycle: \"%s\"", s),
			 errhint("Write stage@time for the default model (e.g. 'active@2025-03-01') or "
					 "model:stage@time for another (e.g. 'retail:active@2025-03-01 10:00+01'); "
					 "names are lower-case letters, digits and _.")));
}

/*
 * 'active@2025-03-01' (model default) or 'retail:active@2025-03-01'; the
 * part after @ is any timestamptz literal.
 */
Datum
cdm_lifecycle_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	const char *p = s;
	const char *at,
			   *colon,
			   *end;
	const char *model = DEFAULT_MODEL;
	size_t		model_len = strlen(DEFAULT_MODEL);
	TimestampTz t;

	while (isspace((unsigned char) *p))
		p++;
	at = strchr(p, '@');
	if (at == NULL)
		bad_syntax(s);
	end = at;
	while (end > p && isspace((unsigned char) end[-1]))
		end--;
	colon = memchr(p, ':', end - p);
	if (colon)
	{
		model = p;
		model_len = colon - p;
		p = colon + 1;
	}
	if (!cdm_sm_valid_name(model, model_len) || !cdm_sm_valid_name(p, end - p))
		bad_syntax(s);
	t = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(at + 1),
												ObjectIdGetDatum(InvalidOid),
												Int32GetDatum(-1)));
	PG_RETURN_POINTER(lc_build(fcinfo->flinfo, "cdm.lifecycle input", model, model_len,
							   p, end - p, t));
}

Datum
cdm_lifecycle_out(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);
	char		ts[MAXDATELEN + 1];
	StringInfoData s;

	cdm_timestamptz_iso(cdm_lc_entered(v), ts);
	initStringInfo(&s);
	if (!(v->model_len == strlen(DEFAULT_MODEL) &&
		  memcmp(cdm_lc_model(v), DEFAULT_MODEL, v->model_len) == 0))
		appendStringInfo(&s, "%.*s:", (int) v->model_len, cdm_lc_model(v));
	appendStringInfo(&s, "%.*s@%s", (int) v->stage_len, cdm_lc_stage(v), ts);
	PG_RETURN_CSTRING(s.data);
}

/* ---------------------------------------------------------------- binary I/O */

/*
 * Binary form: entered int64 (µs since 2000-01-01 UTC), rank int16,
 * model name and stage name each as a length byte and the bytes.  recv
 * looks the stage up in the receiving database's model and refuses a rank
 * that differs (a different model under the same name).
 */
Datum
cdm_lifecycle_send(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, cdm_lc_entered(v));
	pq_sendint16(&buf, (uint16) v->rank);
	pq_sendint8(&buf, v->model_len);
	pq_sendbytes(&buf, cdm_lc_model(v), v->model_len);
	pq_sendint8(&buf, v->stage_len);
	pq_sendbytes(&buf, cdm_lc_stage(v), v->stage_len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static const char *
recv_name(StringInfo buf, int *len)
{
	*len = pq_getmsgbyte(buf);
	if (*len > CDM_STAGE_NAME_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary cdm.lifecycle: name of %d bytes", *len)));
	return pq_getmsgbytes(buf, *len);
}

Datum
cdm_lifecycle_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TimestampTz t = pq_getmsgint64(buf);
	int			rank = (int16) pq_getmsgint(buf, 2);
	int			model_len,
				stage_len;
	const char *model = recv_name(buf, &model_len);
	const char *stage = recv_name(buf, &stage_len);
	CdmLifecycle *v;

	if (!cdm_sm_valid_name(model, model_len) || !cdm_sm_valid_name(stage, stage_len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary cdm.lifecycle: bad model or stage name")));
	v = lc_build(fcinfo->flinfo, "cdm.lifecycle receive", model, model_len, stage, stage_len, t);
	if (v->rank != rank)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("cdm.lifecycle receive: stage \"%.*s\" has rank %d in stage model \"%.*s\", "
						"the value sent has %d", stage_len, stage, v->rank, model_len, model, rank),
				 errhint("The sending database declared a different model under the same name; "
						 "declare it under another name.")));
	PG_RETURN_POINTER(v);
}

/* -------------------------------------------------------- order and hashing */

static int
cmp_bytes(const char *a, int alen, const char *b, int blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* Rank, then entry time, then model name, then stage name. */
static int
lc_cmp(const CdmLifecycle *a, const CdmLifecycle *b)
{
	TimestampTz ta,
				tb;
	int			c;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	ta = cdm_lc_entered(a);
	tb = cdm_lc_entered(b);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	c = cmp_bytes(cdm_lc_model(a), a->model_len, cdm_lc_model(b), b->model_len);
	if (c != 0)
		return c;
	return cmp_bytes(cdm_lc_stage(a), a->stage_len, cdm_lc_stage(b), b->stage_len);
}

#define LC_CMP() lc_cmp(PG_GETARG_CDM_LIFECYCLE(0), PG_GETARG_CDM_LIFECYCLE(1))

Datum
cdm_lifecycle_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(LC_CMP());
}

Datum
cdm_lifecycle_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LC_CMP() == 0);
}

Datum
cdm_lifecycle_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LC_CMP() != 0);
}

Datum
cdm_lifecycle_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LC_CMP() < 0);
}

Datum
cdm_lifecycle_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LC_CMP() <= 0);
}

Datum
cdm_lifecycle_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LC_CMP() > 0);
}

Datum
cdm_lifecycle_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(LC_CMP() >= 0);
}

/* Every payload byte is fixed by the four fields (cdm_lc_make), so hash them all. */
Datum
cdm_lifecycle_hash(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);

	return hash_any((const unsigned char *) VARDATA(v), VARSIZE(v) - VARHDRSZ);
}

Datum
cdm_lifecycle_hash_extended(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);

	return hash_any_extended((const unsigned char *) VARDATA(v), VARSIZE(v) - VARHDRSZ,
							 PG_GETARG_INT64(1));
}

/* ------------------------------------------------------------------ accessors */

Datum
cdm_lifecycle_stage(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(cdm_lc_stage(v), v->stage_len));
}

Datum
cdm_lifecycle_entered_at(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(cdm_lc_entered(PG_GETARG_CDM_LIFECYCLE(0)));
}

Datum
cdm_lifecycle_model(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(cdm_lc_model(v), v->model_len));
}

/* cdm.lifecycle(stage text, at timestamptz, model text DEFAULT 'default') */
Datum
cdm_lifecycle_make(PG_FUNCTION_ARGS)
{
	text	   *stage = PG_GETARG_TEXT_PP(0);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(1);
	text	   *model = PG_GETARG_TEXT_PP(2);

	PG_RETURN_POINTER(lc_build(fcinfo->flinfo, "cdm.lifecycle",
							   VARDATA_ANY(model), VARSIZE_ANY_EXHDR(model),
							   VARDATA_ANY(stage), VARSIZE_ANY_EXHDR(stage), at));
}

/* ------------------------------------------------------------------ transition */

/* "onboarding" or "active (reactivation => true)" ... for a hint. */
static char *
allowed_moves(const CdmStageModel *m, int from)
{
	char	   *next = cdm_stage_list(m, m->next[from]);
	char	   *react = cdm_stage_list(m, m->react[from]);

	if (*next == '\0' && *react == '\0')
		return psprintf("No move leaves stage \"%s\".", m->name[from]);
	if (*react == '\0')
		return psprintf("From \"%s\" the model allows: %s.", m->name[from], next);
	if (*next == '\0')
		return psprintf("From \"%s\" the model allows: %s (with reactivation => true).",
						m->name[from], react);
	return psprintf("From \"%s\" the model allows: %s; and %s with reactivation => true.",
					m->name[from], next, react);
}

/*
 * cdm.transition(state, to_stage, at, reactivation DEFAULT false): the
 * state after moving to to_stage at `at`, along a declared transition, or
 * a reactivation edge when reactivation is true.
 */
Datum
cdm_lifecycle_transition(PG_FUNCTION_ARGS)
{
	CdmLifecycle *v = PG_GETARG_CDM_LIFECYCLE(0);
	text	   *to_text = PG_GETARG_TEXT_PP(1);
	TimestampTz at = PG_GETARG_TIMESTAMPTZ(2);
	bool		reactivation = PG_GETARG_BOOL(3);
	const char *caller = "cdm.transition";
	const CdmStageModel *m = cdm_stage_model_get(fcinfo->flinfo, caller,
												 cdm_lc_model(v), v->model_len);
	int			from = cdm_stage_resolve(m, caller, cdm_lc_model(v), v->model_len,
										 cdm_lc_stage(v), v->stage_len);
	int			to = cdm_stage_resolve(m, caller, cdm_lc_model(v), v->model_len,
									   VARDATA_ANY(to_text), VARSIZE_ANY_EXHDR(to_text));
	TimestampTz entered = cdm_lc_entered(v);
	CdmStageMove move;

	check_finite(caller, at);
	if (at < entered)
	{
		char		a[MAXDATELEN + 1],
					e[MAXDATELEN + 1];

		cdm_timestamptz_iso(at, a);
		cdm_timestamptz_iso(entered, e);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: cannot move from \"%s\" to \"%s\" at %s, before \"%s\" was entered (%s)",
						caller, m->name[from], m->name[to], a, m->name[from], e),
				 errhint("A lifecycle only moves forward in time: give a time at or after %s.", e)));
	}
	move = cdm_sm_move(m, from, to);
	if (move == CDM_MOVE_SAME)
		PG_RETURN_POINTER(v);
	if (move == CDM_MOVE_REACTIVATION && !reactivation)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: \"%s\" -> \"%s\" is a reactivation in stage model \"%.*s\"",
						caller, m->name[from], m->name[to], (int) v->model_len, cdm_lc_model(v)),
				 errhint("Declare it as a reactivation: cdm.transition(state, '%s', at, reactivation => true).",
						 m->name[to])));
	if (move != CDM_MOVE_TRANSITION && move != CDM_MOVE_REACTIVATION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: stage model \"%.*s\" does not allow \"%s\" -> \"%s\"",
						caller, (int) v->model_len, cdm_lc_model(v), m->name[from], m->name[to]),
				 errhint("%s", allowed_moves(m, from))));
	PG_RETURN_POINTER(cdm_lc_make(to, at, cdm_lc_model(v), v->model_len,
								  m->name[to], strlen(m->name[to])));
}
