/*
 * key_build.c - the key builders: cdm.name_key, email_key, phone_key,
 * address_key and the multi-field record_key.
 *
 * Each value is normalised with the normalise layer (fold, email_norm,
 * phone_e164, address_norm) and handed to the core's tokenizers; the
 * builder lives on the stack (16 KB) and keeps its size whatever the input.
 */
#include "postgres.h"

#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "address.h"
#include "email.h"
#include "fold_pg.h"
#include "key_pg.h"
#include "pg_text.h"
#include "phone.h"
#include "phone_pg.h"
#include "utf8.h"

PG_FUNCTION_INFO_V1(cdm_name_key);
PG_FUNCTION_INFO_V1(cdm_email_key);
PG_FUNCTION_INFO_V1(cdm_phone_key);
PG_FUNCTION_INFO_V1(cdm_address_key);
PG_FUNCTION_INFO_V1(cdm_record_key);

/* Folded text as code points (ASCII, the common case, without decoding twice). */
static void
folded_chars(const text *t, CdmChars *out)
{
	text	   *f = cdm_fold_text(t);
	const char *s = VARDATA_ANY(f);
	size_t		len = VARSIZE_ANY_EXHDR(f);

	if (cdm_is_ascii(s, len))
	{
		out->cp = len <= CDM_LOCAL_CHARS ? out->local : cdm_alloc_chars(len);
		for (size_t i = 0; i < len; i++)
			out->cp[i] = (unsigned char) s[i];
		out->n = len;
	}
	else
		cdm_chars_from_text_unicode(f, out);
	pfree(f);
}

static void
add_name(CdmKeyBuilder *b, const text *t)
{
	CdmChars	c;

	folded_chars(t, &c);
	cdm_key_builder_field(b, CDM_KEY_NAME);
	cdm_key_add_name(b, c.cp, c.n);
	cdm_chars_free(&c);
}

/* A valid address gives address tokens; anything else the words of its folded text. */
static void
add_email(CdmKeyBuilder *b, const text *t)
{
	size_t		len = VARSIZE_ANY_EXHDR(t);
	const char *s = cdm_utf8_bytes(VARDATA_ANY(t), &len);
	char		norm[CDM_EMAIL_MAX + 1];
	const char *err;
	ptrdiff_t	n = cdm_email_norm(s, len, norm, CDM_EMAIL_MAX, &err);

	cdm_key_builder_field(b, CDM_KEY_EMAIL);
	if (n == CDM_EMAIL_ICU_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU IDNA processing failed for %s: %s", cdm_quote_for_message(t), err),
				 errhint("Check that the ICU data files of this server are installed.")));
	if (n >= 0)
		cdm_key_add_email(b, norm, (size_t) n);
	else
	{
		CdmChars	c;

		folded_chars(t, &c);
		cdm_key_add_words(b, c.cp, c.n);
		cdm_chars_free(&c);
	}
}

/* E.164 when libphonenumber reads the number, else the digits as written. */
static void
add_phone(CdmKeyBuilder *b, const text *t, const text *region)
{
	size_t		len = VARSIZE_ANY_EXHDR(t);
	const char *s = VARDATA_ANY(t);
	char		e164[CDM_PHONE_E164_SIZE];
	CdmPhoneStatus status = CDM_PHONE_NOT_A_NUMBER;

	cdm_key_builder_field(b, CDM_KEY_PHONE);
	if (len <= 4 * CDM_PHONE_MAX_INPUT)
	{
		s = cdm_utf8_bytes(s, &len);
		status = cdm_phone_e164(s, len, VARDATA_ANY(region), VARSIZE_ANY_EXHDR(region), e164);
	}
	cdm_phone_check(status, t, region);
	if (status == CDM_PHONE_OK)
		cdm_key_add_phone(b, e164, strlen(e164));
	else
	{
		/* folding turns digits of any script into ASCII */
		text	   *f = cdm_fold_text(t);

		cdm_key_add_phone(b, VARDATA_ANY(f), VARSIZE_ANY_EXHDR(f));
		pfree(f);
	}
}

static void
add_address(CdmKeyBuilder *b, const text *t)
{
	text	   *f = cdm_fold_text(t);
	size_t		len = VARSIZE_ANY_EXHDR(f);
	const char *s = cdm_utf8_bytes(VARDATA_ANY(f), &len);
	size_t		cap = CDM_ADDRESS_OUT_SIZE(len);
	char	   *norm = palloc(cap);
	void	   *ws = palloc(cdm_address_workspace(len) + 1);
	size_t		m = cdm_address_norm_folded(s, len, norm, cap, ws);

	if (m > cap)
		elog(ERROR, "cdm.address_key: normalised address of %zu bytes exceeds the bound of %zu",
			 m, cap);
	cdm_key_builder_field(b, CDM_KEY_ADDRESS);
	cdm_key_add_address(b, norm, m);
	pfree(ws);
	pfree(norm);
	pfree(f);
}

static Datum
key_result(CdmKeyBuilder *b)
{
	size_t		n = cdm_key_finish(b);

	PG_RETURN_POINTER(cdm_key_make(b->tok, n));
}

Datum
cdm_name_key(PG_FUNCTION_ARGS)
{
	CdmKeyBuilder b;

	cdm_key_builder_init(&b);
	add_name(&b, cdm_getarg_text(fcinfo, 0));
	return key_result(&b);
}

Datum
cdm_email_key(PG_FUNCTION_ARGS)
{
	CdmKeyBuilder b;

	cdm_key_builder_init(&b);
	add_email(&b, cdm_getarg_text(fcinfo, 0));
	return key_result(&b);
}

Datum
cdm_phone_key(PG_FUNCTION_ARGS)
{
	CdmKeyBuilder b;

	cdm_key_builder_init(&b);
	add_phone(&b, cdm_getarg_text(fcinfo, 0), cdm_getarg_text(fcinfo, 1));
	return key_result(&b);
}

Datum
cdm_address_key(PG_FUNCTION_ARGS)
{
	CdmKeyBuilder b;

	cdm_key_builder_init(&b);
	add_address(&b, cdm_getarg_text(fcinfo, 0));
	return key_result(&b);
}

/*
 * record_key(name, email, phone, address, phone_region): not STRICT; a
 * NULL field is absent, all four NULL give NULL.  A NULL region is 'US'.
 */
Datum
cdm_record_key(PG_FUNCTION_ARGS)
{
	CdmKeyBuilder b;
	text	   *region;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
		PG_RETURN_NULL();
	region = PG_ARGISNULL(4) ? cstring_to_text("US") : cdm_getarg_text(fcinfo, 4);
	cdm_key_builder_init(&b);
	if (!PG_ARGISNULL(0))
		add_name(&b, cdm_getarg_text(fcinfo, 0));
	if (!PG_ARGISNULL(1))
		add_email(&b, cdm_getarg_text(fcinfo, 1));
	if (!PG_ARGISNULL(2))
		add_phone(&b, cdm_getarg_text(fcinfo, 2), region);
	if (!PG_ARGISNULL(3))
		add_address(&b, cdm_getarg_text(fcinfo, 3));
	return key_result(&b);
}
