/*
 * dedupe_run.c - remember a cdm.dedupe run in cdm.dedupe_run.
 *
 * The run is the caller's (cdm.dedupe runs as its caller); the table's
 * row-level security lets a role add only its own runs.  A dedupe on a
 * standby or in a read-only transaction still answers; it just is not
 * remembered.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "dedupe_run.h"

void
cdm_dedupe_run_record(Oid relid, double threshold, const char *model,
					  size_t records, size_t clusters)
{
	Oid			argtypes[5] = {OIDOID, FLOAT8OID, TEXTOID, INT8OID, INT8OID};
	Datum		args[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};

	if (RecoveryInProgress() || XactReadOnly)
		return;
	args[0] = ObjectIdGetDatum(relid);
	args[1] = Float8GetDatum(threshold);
	if (model)
		args[2] = CStringGetTextDatum(model);
	else
	{
		args[2] = (Datum) 0;
		nulls[2] = 'n';
	}
	args[3] = Int64GetDatum((int64) records);
	args[4] = Int64GetDatum((int64) clusters);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "cdm: SPI_connect failed");
	if (SPI_execute_with_args("INSERT INTO cdm.dedupe_run (relid, relation, threshold, model, records, clusters)"
							  " VALUES ($1, $1::pg_catalog.regclass::pg_catalog.text, $2, $3, $4, $5)",
							  5, argtypes, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "cdm: could not record the run in cdm.dedupe_run");
	SPI_finish();
}
