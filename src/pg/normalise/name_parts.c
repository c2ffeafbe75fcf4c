/*
 * name_parts.c - SQL wrapper for cdm.name_parts (OUT title, given, middle,
 * family, suffix).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"

#include "names_pg.h"
#include "pg_text.h"

PG_FUNCTION_INFO_V1(cdm_name_parts_sql);

Datum
cdm_name_parts_sql(PG_FUNCTION_ARGS)
{
	CdmName		name;
	TupleDesc	desc;
	Datum		values[CDM_NAME_NROLES];
	bool		nulls[CDM_NAME_NROLES];
	cdm_char   *part;
	size_t		room = 1;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "cdm.name_parts: return type must be a row type");
	desc = BlessTupleDesc(desc);

	cdm_name_from_text(cdm_getarg_text(fcinfo, 0), &name);
	for (size_t k = 0; k < name.ntok; k++)
		room += name.tok[k].len + 1;
	part = cdm_alloc_chars(room);
	/* the OUT parameters are in CdmNameRole order */
	for (int role = 0; role < CDM_NAME_NROLES; role++)
	{
		size_t		len = cdm_name_part(&name, (CdmNameRole) role, part);

		nulls[role] = len == 0;		/* a missing part is NULL, never '' */
		values[role] = len ? PointerGetDatum(cdm_text_from_chars(part, len)) : (Datum) 0;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
