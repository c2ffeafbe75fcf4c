/*
 * stage_model_pg.c - stage models in cdm.stage_model: compiling the JSON
 * form into a program, loading programs by name (cached per call site).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "lifecycle_pg.h"
#include "pg_text.h"

PG_FUNCTION_INFO_V1(cdm_stage_model_compile);

/* --------------------------------------------------------------- messages */

char *
cdm_stage_list(const CdmStageModel *m, uint32 mask)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < m->nstages; i++)
		if (mask & ((uint32) 1 << i))
			appendStringInfo(&s, "%s%s", s.len ? ", " : "", m->name[i]);
	return s.data;
}

int
cdm_stage_resolve(const CdmStageModel *m, const char *caller,
				  const char *model, size_t model_len,
				  const char *stage, size_t stage_len)
{
	int			i = cdm_sm_stage_index(m, stage, stage_len);

	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: stage \"%.*s\" is not in stage model \"%.*s\"", caller,
						cdm_clip_for_message(stage, stage_len, 64), stage, (int) model_len, model),
				 errhint("The stages of \"%.*s\" are: %s.", (int) model_len, model,
						 cdm_stage_list(m, cdm_stage_all(m)))));
	return i;
}

/* ------------------------------------------------------------ loading */

#define CDM_MODEL_CACHE 4

typedef struct ModelCacheEntry
{
	char		name[CDM_STAGE_NAME_MAX + 1];
	CdmStageModel model;
} ModelCacheEntry;

typedef struct ModelCache
{
	int			n;
	int			next_victim;
	ModelCacheEntry e[CDM_MODEL_CACHE];
} ModelCache;

static void
check_model_name(const char *caller, const char *name, size_t len)
{
	if (!cdm_sm_valid_name(name, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid stage model name \"%.*s\"", caller, cdm_clip_for_message(name, len, 64), name),
				 errhint("A stage model name is lower-case letters, digits and _, starting with a letter, "
						 "at most 63 characters (e.g. default, retail).")));
}

/* Read and check the program of a model into *m. */
static void
load_model(const char *caller, const char *name, size_t len, CdmStageModel *m)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bytea	   *program = NULL;
	bool		found = false;
	CdmSmError	e;

	args[0] = PointerGetDatum(cstring_to_text_with_len(name, (int) len));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cdm: SPI_connect failed");
	if (SPI_execute_with_args("SELECT program FROM cdm.stage_model WHERE name OPERATOR(pg_catalog.=) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "cdm: could not read cdm.stage_model");
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		found = true;
		if (!isnull)
		{
			/* copy out of SPI's memory before SPI_finish */
			bytea	   *b = DatumGetByteaPP(d);
			Size		sz = VARSIZE_ANY_EXHDR(b);

			program = SPI_palloc(VARHDRSZ + sz);
			SET_VARSIZE(program, VARHDRSZ + sz);
			memcpy(VARDATA(program), VARDATA_ANY(b), sz);
		}
	}
	SPI_finish();
	if (!found)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: stage model \"%.*s\" is not declared", caller, (int) len, name),
				 errhint("Declare it with cdm.declare_stage_model('%.*s', model); the declared ones "
						 "are in cdm.stage_model.", (int) len, name)));
	e = program ? cdm_sm_load(m, (const uint8_t *) VARDATA(program), VARSIZE(program) - VARHDRSZ)
		: CDM_SM_CORRUPT;
	if (e != CDM_SM_OK)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("%s: the program of stage model \"%.*s\" in cdm.stage_model is not valid: %s",
						caller, (int) len, name, cdm_sm_error_text(e)),
				 errhint("Delete the row and declare the model again with cdm.declare_stage_model.")));
	if (program)
		pfree(program);
}

const CdmStageModel *
cdm_stage_model_get(FmgrInfo *flinfo, const char *caller, const char *name, size_t len)
{
	ModelCache *c;
	ModelCacheEntry *slot;

	check_model_name(caller, name, len);
	if (flinfo == NULL)
	{
		CdmStageModel *m = palloc(sizeof(CdmStageModel));

		load_model(caller, name, len, m);
		return m;
	}
	c = (ModelCache *) flinfo->fn_extra;
	if (c == NULL)
	{
		c = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(ModelCache));
		flinfo->fn_extra = c;
	}
	for (int i = 0; i < c->n; i++)
		if (strlen(c->e[i].name) == len && memcmp(c->e[i].name, name, len) == 0)
			return &c->e[i].model;
	/* a call site sees few models: evict round-robin when full */
	if (c->n < CDM_MODEL_CACHE)
		slot = &c->e[c->n];
	else
	{
		slot = &c->e[c->next_victim];
		c->next_victim = (c->next_victim + 1) % CDM_MODEL_CACHE;
	}
	slot->name[0] = '\0';		/* not valid until loaded */
	load_model(caller, name, len, &slot->model);
	memcpy(slot->name, name, len);
	slot->name[len] = '\0';
	if (c->n < CDM_MODEL_CACHE)
		c->n++;
	return &slot->model;
}

/* ------------------------------------------------------------ compiling */

#define COMPILE_CALLER "cdm.declare_stage_model"

static void
sm_check(CdmSmError e, const char *key)
{
	/* past a size limit of the program (the message gives them): 54000 */
	if (e != CDM_SM_OK)
		ereport(ERROR,
				(errcode(e == CDM_SM_TOO_MANY ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
						 : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(COMPILE_CALLER ": invalid \"%s\": %s", key, cdm_sm_error_text(e))));
}

static void
bad_type(const char *key, const char *want)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg(COMPILE_CALLER ": \"%s\" must be %s", key, want)));
}

static JsonbValue *
get_key(JsonbContainer *obj, const char *key)
{
	return getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);
}

/* The container of an array value, or an error naming the key. */
static JsonbContainer *
as_array(JsonbValue *v, const char *key, const char *want)
{
	if (v == NULL || v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data) ||
		JsonContainerIsScalar(v->val.binary.data))
		bad_type(key, want);
	return v->val.binary.data;
}

static int
stage_of(const CdmStageModel *m, JsonbValue *v, const char *key)
{
	int			i;

	if (v == NULL || v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(COMPILE_CALLER ": expected a stage name in \"%s\"", key)));
	i = cdm_sm_stage_index(m, v->val.string.val, v->val.string.len);
	if (i < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(COMPILE_CALLER ": unknown stage \"%.*s\" in \"%s\"",
						cdm_clip_for_message(v->val.string.val, v->val.string.len, 64),
						v->val.string.val, key),
				 errhint("The stages declared in \"stages\" are: %s.",
						 cdm_stage_list(m, cdm_stage_all(m)))));
	return i;
}

static int64
int_of(JsonbValue *v, const char *key)
{
	if (v == NULL || v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(COMPILE_CALLER ": expected a number in \"%s\"", key)));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(v->val.numeric)));
}

static void
compile_stages(CdmStageModel *m, JsonbContainer *obj)
{
	JsonbContainer *a = as_array(get_key(obj, "stages"), "stages",
								 "a non-empty array of stage names");
	uint32		n = JsonContainerSize(a);

	if (n == 0)
		bad_type("stages", "a non-empty array of stage names");
	for (uint32 i = 0; i < n; i++)
	{
		JsonbValue *v = getIthJsonbValueFromContainer(a, i);
		CdmSmError	e;

		if (v->type != jbvString)
			bad_type("stages", "an array of stage names (strings)");
		e = cdm_sm_add_stage(m, v->val.string.val, v->val.string.len);
		if (e == CDM_SM_BAD_NAME || e == CDM_SM_DUP_STAGE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg(COMPILE_CALLER ": %s stage name \"%.*s\" in \"stages\"",
							e == CDM_SM_BAD_NAME ? "invalid" : "duplicate",
							cdm_clip_for_message(v->val.string.val, v->val.string.len, 64),
							v->val.string.val),
					 errhint("Stage names are distinct, lower-case letters, digits and _, "
							 "starting with a letter, at most 63 characters.")));
		sm_check(e, "stages");
	}
}

static void
compile_edges(CdmStageModel *m, JsonbContainer *obj, const char *key, bool reactivation)
{
	JsonbValue *v = get_key(obj, key);
	JsonbContainer *a;

	if (v == NULL)
		return;
	a = as_array(v, key, "an array of [from, to] pairs");
	for (uint32 i = 0; i < JsonContainerSize(a); i++)
	{
		JsonbContainer *pair = as_array(getIthJsonbValueFromContainer(a, i), key,
										"an array of [from, to] pairs");
		int			from,
					to;
		CdmSmError	e;

		if (JsonContainerSize(pair) != 2)
			bad_type(key, "an array of [from, to] pairs");
		from = stage_of(m, getIthJsonbValueFromContainer(pair, 0), key);
		to = stage_of(m, getIthJsonbValueFromContainer(pair, 1), key);
		e = cdm_sm_add_edge(m, from, to, reactivation);
		if (e == CDM_SM_SELF_EDGE || e == CDM_SM_DUP_EDGE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg(COMPILE_CALLER ": invalid move [\"%s\", \"%s\"] in \"%s\": %s",
							m->name[from], m->name[to], key, cdm_sm_error_text(e))));
		sm_check(e, key);
	}
}

/* "milestones": [[id, stage], ...] (names replaced by ids by the SQL caller) */
static void
compile_milestones(CdmStageModel *m, JsonbContainer *obj)
{
	JsonbValue *v = get_key(obj, "milestones");
	JsonbContainer *a;

	if (v == NULL)
		return;
	a = as_array(v, "milestones", "an array of [milestone id, stage] pairs");
	for (uint32 i = 0; i < JsonContainerSize(a); i++)
	{
		JsonbContainer *pair = as_array(getIthJsonbValueFromContainer(a, i), "milestones",
										"an array of [milestone id, stage] pairs");
		int64		id;

		if (JsonContainerSize(pair) != 2)
			bad_type("milestones", "an array of [milestone id, stage] pairs");
		id = int_of(getIthJsonbValueFromContainer(pair, 0), "milestones");
		if (id <= 0 || id > PG_INT32_MAX)
			sm_check(CDM_SM_BAD_MILESTONE, "milestones");
		sm_check(cdm_sm_map_milestone(m, (int32) id,
									  stage_of(m, getIthJsonbValueFromContainer(pair, 1), "milestones")),
				 "milestones");
	}
}

static void
compile_ids(CdmStageModel *m, JsonbValue *v, const char *key,
			CdmSmError (*add) (CdmStageModel *, int32_t))
{
	JsonbContainer *a;

	if (v == NULL)
		return;
	a = as_array(v, key, "an array of milestone ids");
	for (uint32 i = 0; i < JsonContainerSize(a); i++)
	{
		int64		id = int_of(getIthJsonbValueFromContainer(a, i), key);

		if (id <= 0 || id > PG_INT32_MAX)
			sm_check(CDM_SM_BAD_MILESTONE, key);
		sm_check(add(m, (int32) id), key);
	}
}

/* "lapse": {"after_us": n, "from": stage, "to": stage, "activity": [ids]} */
static void
compile_lapse(CdmStageModel *m, JsonbContainer *obj)
{
	JsonbValue *v = get_key(obj, "lapse");
	JsonbContainer *l;
	int64		after;
	int			from,
				to;
	CdmSmError	e;

	if (v == NULL || v->type == jbvNull)
		return;
	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		bad_type("lapse", "an object");
	l = v->val.binary.data;
	after = int_of(get_key(l, "after_us"), "lapse.after");
	from = stage_of(m, get_key(l, "from"), "lapse.from");
	to = stage_of(m, get_key(l, "to"), "lapse.to");
	e = cdm_sm_set_lapse(m, after, from, to);
	if (e == CDM_SM_BAD_LAPSE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(COMPILE_CALLER ": invalid \"lapse\": %s",
						after <= 0 ? "\"after\" must be a positive interval"
						: "\"from\" and \"to\" must be different stages")));
	sm_check(e, "lapse");
	compile_ids(m, get_key(l, "activity"), "lapse.activity", cdm_sm_add_activity);
}

/*
 * cdm._stage_model_compile(model jsonb) -> bytea: the program of a model
 * in the form cdm.declare_stage_model hands over (milestone names already
 * replaced by ids, lapse.after in microseconds as after_us).
 */
Datum
cdm_stage_model_compile(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	CdmStageModel *m = palloc(sizeof(CdmStageModel));
	JsonbValue *v;
	size_t		len;
	bytea	   *out;

	if (!JB_ROOT_IS_OBJECT(jb))
		bad_type("model", "a JSON object");
	cdm_sm_init(m);
	compile_stages(m, &jb->root);
	v = get_key(&jb->root, "initial");
	if (v != NULL && v->type != jbvNull)
		sm_check(cdm_sm_set_initial(m, stage_of(m, v, "initial")), "initial");
	compile_edges(m, &jb->root, "transitions", false);
	compile_edges(m, &jb->root, "reactivations", true);
	compile_milestones(m, &jb->root);
	compile_ids(m, get_key(&jb->root, "reactivated_by"), "reactivated_by",
				cdm_sm_add_reactivated_by);
	compile_lapse(m, &jb->root);
	sm_check(cdm_sm_finish(m), "model");
	len = cdm_sm_serialise(m, NULL, 0);
	out = palloc(VARHDRSZ + len);
	SET_VARSIZE(out, VARHDRSZ + len);
	cdm_sm_serialise(m, (uint8_t *) VARDATA(out), len);
	pfree(m);
	PG_RETURN_BYTEA_P(out);
}
