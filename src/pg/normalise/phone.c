/*
 * phone.c - SQL wrappers for telephone numbers (libphonenumber, through the
 * C interface of src/core/normalise/phone.h).
 *
 * libphonenumber reads UTF-8, so text of other server encodings is
 * converted first.  The core never throws or allocates in PostgreSQL
 * memory; it returns a status, turned into NULL or an error here.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "pg_text.h"
#include "phone.h"
#include "phone_pg.h"
#include "utf8.h"

PG_FUNCTION_INFO_V1(cdm_phone_e164_sql);
PG_FUNCTION_INFO_V1(cdm_phone_valid_sql);
PG_FUNCTION_INFO_V1(cdm_phonenumber_version_sql);

/* The phone argument as UTF-8 bytes; *converted is set when it must be pfree'd. */
static const char *
phone_utf8(const text *t, size_t *len, bool *converted)
{
	const char *s = VARDATA_ANY(t);
	char	   *u;

	*len = VARSIZE_ANY_EXHDR(t);
	*converted = false;
	/* Longer input is refused by the core anyway: no need to convert it. */
	if (GetDatabaseEncoding() == PG_UTF8 || *len > 4 * CDM_PHONE_MAX_INPUT ||
		cdm_is_ascii(s, *len))
		return s;
	u = pg_server_to_any(s, (int) *len, PG_UTF8);
	if (u != s)
	{
		*converted = true;
		*len = strlen(u);
	}
	return u;
}

/* Errors from the core: a bad region argument, or libphonenumber failing. */
void
cdm_phone_check(CdmPhoneStatus status, const text *phone, const text *region)
{
	if (status == CDM_PHONE_UNKNOWN_REGION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown phone region %s", cdm_quote_for_message(region)),
				 errhint("Pass an ISO 3166-1 alpha-2 region code such as 'US', 'GB' or 'DE' (any case), "
						 "or 'ZZ' to accept only numbers written with a leading +.")));
	if (status == CDM_PHONE_INTERNAL_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("libphonenumber failed on %s (region %s)",
						cdm_quote_for_message(phone), cdm_quote_for_message(region)),
				 errdetail("libphonenumber raised a C++ exception, most likely out of memory.")));
}

Datum
cdm_phone_e164_sql(PG_FUNCTION_ARGS)
{
	text	   *phone = cdm_getarg_text(fcinfo, 0);
	text	   *region = cdm_getarg_text(fcinfo, 1);
	char		out[CDM_PHONE_E164_SIZE];
	const char *s;
	size_t		len;
	bool		converted;
	CdmPhoneStatus status;

	s = phone_utf8(phone, &len, &converted);
	status = cdm_phone_e164(s, len, VARDATA_ANY(region), VARSIZE_ANY_EXHDR(region), out);
	if (converted)
		pfree((char *) s);
	cdm_phone_check(status, phone, region);
	if (status != CDM_PHONE_OK)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(out));
}

Datum
cdm_phone_valid_sql(PG_FUNCTION_ARGS)
{
	text	   *phone = cdm_getarg_text(fcinfo, 0);
	text	   *region = cdm_getarg_text(fcinfo, 1);
	const char *s;
	size_t		len;
	bool		converted;
	bool		valid;
	CdmPhoneStatus status;

	s = phone_utf8(phone, &len, &converted);
	status = cdm_phone_valid(s, len, VARDATA_ANY(region), VARSIZE_ANY_EXHDR(region), &valid);
	if (converted)
		pfree((char *) s);
	cdm_phone_check(status, phone, region);
	PG_RETURN_BOOL(valid);
}

/* The libphonenumber cdm was built against: indexes on phone_e164 depend on it. */
Datum
cdm_phonenumber_version_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(cdm_phonenumber_version()));
}
