/*
 * phonetic.c - SQL wrappers for the phonetic codes.
 *
 * Non-ASCII input is transliterated to ASCII letters first (ICU
 * "Any-Latin; Latin-ASCII"), so Müller codes like Muller and Дмитрий like
 * Dmitrij; each algorithm keeps the few letters its published rules code
 * natively (Double Metaphone: Ç; Daitch-Mokotoff: Ą Ę Ţ Ț).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "daitch_mokotoff.h"
#include "dmetaphone.h"
#include "metaphone.h"
#include "nysiis.h"
#include "pg_text.h"
#include "soundex.h"
#include "translit.h"
#include "utf8.h"

PG_FUNCTION_INFO_V1(cdm_soundex_sql);
PG_FUNCTION_INFO_V1(cdm_metaphone_sql);
PG_FUNCTION_INFO_V1(cdm_metaphone_max_sql);
PG_FUNCTION_INFO_V1(cdm_dmetaphone_sql);
PG_FUNCTION_INFO_V1(cdm_dmetaphone_alt_sql);
PG_FUNCTION_INFO_V1(cdm_nysiis_sql);
PG_FUNCTION_INFO_V1(cdm_nysiis_max_sql);
PG_FUNCTION_INFO_V1(cdm_daitch_mokotoff_sql);

/*
 * The argument as code points ready for an encoder: ASCII goes straight
 * through; anything else is transliterated with the algorithm's profile.
 */
static void
phonetic_input(FunctionCallInfo fcinfo, CdmTranslitProfile profile, CdmChars *out)
{
	text	   *t = cdm_getarg_text(fcinfo, 0);
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	CdmChars	raw;
	const char *err;
	ptrdiff_t	n;

	/* The common case: plain ASCII needs neither decoding nor ICU. */
	if (cdm_is_ascii(s, len))
	{
		out->cp = len <= CDM_LOCAL_CHARS ? out->local : cdm_alloc_chars(len);
		for (size_t i = 0; i < len; i++)
			out->cp[i] = (unsigned char) s[i];
		out->n = len;
		return;
	}
	cdm_chars_from_text_unicode(t, &raw);
	out->cp = out->local;
	n = cdm_translit(profile, raw.cp, raw.n, out->cp, CDM_LOCAL_CHARS, &err);
	if (n > CDM_LOCAL_CHARS)
	{
		out->cp = cdm_alloc_chars((size_t) n);
		n = cdm_translit(profile, raw.cp, raw.n, out->cp, (size_t) n, &err);
	}
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU transliteration failed for %s: %s", cdm_quote_for_message(t), err),
				 errhint("Check that the ICU data files of this server are installed.")));
	out->n = (size_t) n;
	cdm_chars_free(&raw);
}

Datum
cdm_soundex_sql(PG_FUNCTION_ARGS)
{
	CdmChars	in;
	char		code[5];

	phonetic_input(fcinfo, CDM_TRANSLIT_ASCII, &in);
	cdm_soundex(in.cp, in.n, code);
	cdm_chars_free(&in);
	PG_RETURN_TEXT_P(cstring_to_text(code));
}

static Datum
metaphone_common(FunctionCallInfo fcinfo, size_t max_len)
{
	CdmChars	in;
	char	   *code;
	size_t		len;
	text	   *result;

	phonetic_input(fcinfo, CDM_TRANSLIT_ASCII, &in);
	code = palloc(CDM_METAPHONE_OUT_SIZE(in.n));
	len = cdm_metaphone(in.cp, in.n, max_len, code);
	result = cstring_to_text_with_len(code, (int) len);
	pfree(code);
	cdm_chars_free(&in);
	PG_RETURN_TEXT_P(result);
}

static size_t
max_length_arg(FunctionCallInfo fcinfo, const char *fn)
{
	int32		max_len = PG_GETARG_INT32(1);

	if (max_len < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: max_length must be at least 1, got %d", fn, max_len),
				 errhint("Omit max_length for the whole code.")));
	return (size_t) max_len;
}

Datum
cdm_metaphone_sql(PG_FUNCTION_ARGS)
{
	return metaphone_common(fcinfo, 0);
}

Datum
cdm_metaphone_max_sql(PG_FUNCTION_ARGS)
{
	return metaphone_common(fcinfo, max_length_arg(fcinfo, "metaphone"));
}

static Datum
dmetaphone_common(FunctionCallInfo fcinfo, bool alternate)
{
	CdmChars	in;
	char		primary[5];
	char		alt[5];

	phonetic_input(fcinfo, CDM_TRANSLIT_DMETAPHONE, &in);
	cdm_dmetaphone(in.cp, in.n, primary, alt);
	cdm_chars_free(&in);
	PG_RETURN_TEXT_P(cstring_to_text(alternate ? alt : primary));
}

Datum
cdm_dmetaphone_sql(PG_FUNCTION_ARGS)
{
	return dmetaphone_common(fcinfo, false);
}

Datum
cdm_dmetaphone_alt_sql(PG_FUNCTION_ARGS)
{
	return dmetaphone_common(fcinfo, true);
}

static Datum
nysiis_common(FunctionCallInfo fcinfo, size_t max_len)
{
	CdmChars	in;
	char	   *code;
	size_t		len;
	text	   *result;

	phonetic_input(fcinfo, CDM_TRANSLIT_ASCII, &in);
	code = palloc(CDM_NYSIIS_OUT_SIZE(in.n));
	len = cdm_nysiis(in.cp, in.n, max_len, code);
	result = cstring_to_text_with_len(code, (int) len);
	pfree(code);
	cdm_chars_free(&in);
	PG_RETURN_TEXT_P(result);
}

Datum
cdm_nysiis_sql(PG_FUNCTION_ARGS)
{
	return nysiis_common(fcinfo, 0);
}

Datum
cdm_nysiis_max_sql(PG_FUNCTION_ARGS)
{
	return nysiis_common(fcinfo, max_length_arg(fcinfo, "nysiis"));
}

Datum
cdm_daitch_mokotoff_sql(PG_FUNCTION_ARGS)
{
	CdmChars	in;
	char		local[64][7];	/* real names have a handful of codes */
	char		(*codes)[7] = local;
	Datum	   *elems;
	int			n;
	ArrayType  *result;

	phonetic_input(fcinfo, CDM_TRANSLIT_DAITCH_MOKOTOFF, &in);
	n = cdm_daitch_mokotoff(in.cp, in.n, codes, lengthof(local));
	if (n < 0)
	{
		/* adversarial inputs can have thousands: count, then allocate exactly */
		n = cdm_daitch_mokotoff(in.cp, in.n, NULL, CDM_DM_MAX_CODES);
		codes = palloc((size_t) n * sizeof(*codes));
		n = cdm_daitch_mokotoff(in.cp, in.n, codes, n);
	}
	cdm_chars_free(&in);
	if (n == 0)
		PG_RETURN_NULL();		/* no letters, as PostgreSQL's daitch_mokotoff() */
	elems = palloc((size_t) n * sizeof(Datum));
	for (int i = 0; i < n; i++)
		elems[i] = PointerGetDatum(cstring_to_text_with_len(codes[i], 6));
	result = construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT);
	PG_RETURN_ARRAYTYPE_P(result);
}
