/*
 * email.c - SQL wrappers for e-mail validation and normalisation.
 *
 * The core works on UTF-8: text in another server encoding is converted
 * on the way in and the result converted back.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "email.h"
#include "pg_text.h"
#include "utf8.h"

PG_FUNCTION_INFO_V1(cdm_email_norm_sql);
PG_FUNCTION_INFO_V1(cdm_email_valid_sql);

/*
 * Normalise the first argument into buf (CDM_EMAIL_MAX bytes, UTF-8).
 * Returns the length, or CDM_EMAIL_INVALID for what is not an address.
 */
static ptrdiff_t
email_norm_arg(FunctionCallInfo fcinfo, char *buf)
{
	text	   *t = cdm_getarg_text(fcinfo, 0);
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	const char *u = cdm_utf8_bytes(s, &len);
	const char *err;
	ptrdiff_t	n;

	n = cdm_email_norm(u, len, buf, CDM_EMAIL_MAX, &err);
	if (n == CDM_EMAIL_ICU_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU IDNA processing failed for %s: %s", cdm_quote_for_message(t), err),
				 errhint("Check that the ICU data files of this server are installed.")));
	if (u != s)
		pfree((char *) u);
	return n;
}

Datum
cdm_email_norm_sql(PG_FUNCTION_ARGS)
{
	char		buf[CDM_EMAIL_MAX + 1];
	ptrdiff_t	n = email_norm_arg(fcinfo, buf);
	char	   *server;
	text	   *result;

	if (n < 0)
		PG_RETURN_NULL();
	if (GetDatabaseEncoding() == PG_UTF8 || cdm_is_ascii(buf, (size_t) n))
		PG_RETURN_TEXT_P(cstring_to_text_with_len(buf, (int) n));
	/* an IDN domain in a non-UTF-8 database: errors if the encoding lacks its letters */
	buf[n] = '\0';
	server = pg_any_to_server(buf, (int) n, PG_UTF8);
	result = cstring_to_text(server);
	if (server != buf)
		pfree(server);
	PG_RETURN_TEXT_P(result);
}

Datum
cdm_email_valid_sql(PG_FUNCTION_ARGS)
{
	char		buf[CDM_EMAIL_MAX + 1];

	PG_RETURN_BOOL(email_norm_arg(fcinfo, buf) >= 0);
}
