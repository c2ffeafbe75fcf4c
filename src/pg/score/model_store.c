/*
 * model_store.c - match models in the table cdm.match_model, by name.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "match_record.h"
#include "model_store.h"

/*
 * The query, planned once per session (the plan cache plans it again when
 * the table changes), and the last model read with the text it was parsed
 * from.  cdm.ingest reads the store's model once per record: planning the
 * query and parsing the text cost about 70 us each time, more than scoring
 * a record's twenty candidates takes.  The text is still read on every
 * call, so a model trained again or replaced is used at once; only an
 * unchanged text is not parsed again.
 */
static SPIPlanPtr load_plan = NULL;
static char *last_text = NULL;	/* in TopMemoryContext */
static CdmFsModel last_model;

bool
cdm_model_load(const char *name, CdmFsModel *model, bool missing_ok)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		found = false;
	char	   *text_form = NULL;

	args[0] = CStringGetTextDatum(name);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cdm: SPI_connect failed");
	if (load_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare("SELECT model FROM cdm.match_model WHERE name OPERATOR(pg_catalog.=) $1",
									   1, argtypes);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "cdm: could not prepare the read of cdm.match_model");
		load_plan = plan;
	}
	if (SPI_execute_plan(load_plan, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "cdm: could not read cdm.match_model");
	if (SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
		{
			/* copy out of SPI's memory before SPI_finish */
			char	   *s = TextDatumGetCString(d);

			text_form = SPI_palloc(strlen(s) + 1);
			strcpy(text_form, s);
		}
		found = true;
	}
	SPI_finish();
	if (!found)
	{
		if (missing_ok)
			return false;
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("match model \"%s\" does not exist", name),
				 errhint("Train one with cdm.train_model(source, '%s'); cdm.dedupe(source) "
						 "also stores the model it trains under the source's name.", name)));
	}
	if (text_form != NULL && last_text != NULL && strcmp(text_form, last_text) == 0)
	{
		*model = last_model;
		pfree(text_form);
		return true;
	}
	if (text_form == NULL || !cdm_fs_model_from_text(model, text_form))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("match model \"%s\" in cdm.match_model is not a valid model", name),
				 errhint("Train it again with cdm.train_model(source, '%s').", name)));
	cdm_match_model_complete(model);
	if (last_text != NULL)
		pfree(last_text);
	last_text = NULL;
	last_text = MemoryContextStrdup(TopMemoryContext, text_form);
	last_model = *model;
	pfree(text_form);
	return true;
}

void
cdm_model_as_stored(CdmFsModel *model)
{
	size_t		need = cdm_fs_model_to_text(model, NULL, 0);
	char	   *buf = palloc(need + 1);

	cdm_fs_model_to_text(model, buf, need + 1);
	if (!cdm_fs_model_from_text(model, buf))
		elog(ERROR, "cdm: a match model did not read back from its text form");
	cdm_match_model_complete(model);
	pfree(buf);
}

void
cdm_model_save(const char *name, const CdmFsModel *model, const char *trained_on,
			   const CdmModelStats *st)
{
	Oid			argtypes[8] = {TEXTOID, TEXTOID, TEXTOID, INT8OID, INT8OID, INT8OID,
	INT4OID, FLOAT8OID};
	Datum		args[8];
	size_t		need = cdm_fs_model_to_text(model, NULL, 0);
	char	   *buf = palloc(need + 1);

	cdm_fs_model_to_text(model, buf, need + 1);
	args[0] = CStringGetTextDatum(name);
	args[1] = CStringGetTextDatum(buf);
	args[2] = CStringGetTextDatum(trained_on);
	args[3] = Int64GetDatum((int64) st->records);
	args[4] = Int64GetDatum((int64) st->candidate_pairs);
	args[5] = Int64GetDatum((int64) st->random_pairs);
	args[6] = Int32GetDatum(st->em_iterations);
	args[7] = Float8GetDatum(model->lambda);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cdm: SPI_connect failed");
	/* another role's model: say so, rather than a bare row-security error */
	if (SPI_execute_with_args("SELECT trained_by::pg_catalog.text FROM cdm.match_model WHERE name OPERATOR(pg_catalog.=) $1"
							  " AND trained_by OPERATOR(pg_catalog.<>) current_user",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "cdm: could not read cdm.match_model");
	if (SPI_processed == 1)
	{
		char	   *owner = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("match model \"%s\" belongs to role %s", name, owner),
				 errhint("Reuse it with cdm.dedupe(source, threshold, '%s'), or train your own "
						 "under another name with cdm.train_model(source, name).", name)));
	}
	if (SPI_execute_with_args(
							  "INSERT INTO cdm.match_model AS m (name, model, trained_on, trained_at, records,"
							  " candidate_pairs, random_pairs, em_iterations, lambda)"
							  " VALUES ($1, $2, $3, pg_catalog.now(), $4, $5, $6, $7, $8)"
							  " ON CONFLICT (name) DO UPDATE SET model = EXCLUDED.model,"
							  " trained_on = EXCLUDED.trained_on, trained_at = EXCLUDED.trained_at,"
							  " records = EXCLUDED.records, candidate_pairs = EXCLUDED.candidate_pairs,"
							  " random_pairs = EXCLUDED.random_pairs, em_iterations = EXCLUDED.em_iterations,"
							  " lambda = EXCLUDED.lambda",
							  8, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cdm: could not store the match model \"%s\"", name);
	SPI_finish();
	pfree(buf);
}
