/*
 * pg_text.c - decoding text arguments for the core.
 */
#include "postgres.h"

#include "access/detoast.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "pg_text.h"
#include "utf8.h"

static void
limit_error(const char *what, size_t bytes)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s of %zu bytes exceeds the limit of %d bytes (16 MB)",
					what, bytes, CDM_TEXT_MAX_BYTES),
			 errhint("cdm reads names, e-mail addresses, phone numbers and addresses; "
					 "pass a shorter value.")));
}

void
cdm_check_text_size(size_t bytes, const char *what)
{
	if (bytes > CDM_TEXT_MAX_BYTES)
		limit_error(what, bytes);
}

text *
cdm_getarg_text(FunctionCallInfo fcinfo, int argno)
{
	size_t		bytes = toast_raw_datum_size(PG_GETARG_DATUM(argno)) - VARHDRSZ;

	if (bytes > CDM_TEXT_MAX_BYTES)
	{
		Oid			fn = fcinfo->flinfo ? fcinfo->flinfo->fn_oid : InvalidOid;
		char	   *name = OidIsValid(fn) ? get_func_name(fn) : NULL;

		limit_error(psprintf("%s%s: text argument %d", name ? "cdm." : "cdm",
							 name ? name : "", argno + 1), bytes);
	}
	return PG_GETARG_TEXT_PP(argno);
}

/*
 * Working memory of n code points.  Arguments are held to
 * CDM_TEXT_MAX_BYTES, but what cdm makes of them (a fold can turn one
 * character into eighteen) is decoded too: past palloc's 1 GB it is a
 * limit, not an internal error.
 */
cdm_char *
cdm_alloc_chars(size_t n)
{
	if (n > MaxAllocSize / sizeof(cdm_char))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: a text of %zu characters exceeds the limit of %zu characters of working memory",
						n, (size_t) (MaxAllocSize / sizeof(cdm_char)))));
	return (cdm_char *) palloc(n * sizeof(cdm_char));
}

static cdm_char *
buffer_for(CdmChars *out, size_t n)
{
	if (n <= CDM_LOCAL_CHARS)
		return out->local;
	return cdm_alloc_chars(n);
}

static void
decode_utf8(const char *s, size_t len, CdmChars *out)
{
	ptrdiff_t	k;

	out->cp = buffer_for(out, len);
	k = cdm_utf8_decode(s, len, out->cp);
	if (k < 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid UTF-8 in text argument"),
				 errhint("The value should have been validated on input; check the database encoding.")));
	out->n = (size_t) k;
}

void
cdm_chars_from_text(const text *t, CdmChars *out)
{
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);

	if (GetDatabaseEncoding() == PG_UTF8 || cdm_is_ascii(s, len))
	{
		decode_utf8(s, len, out);
		return;
	}
	/*
	 * Other server encodings: PostgreSQL's own decoder (one wchar per
	 * character), which writes a terminating 0 after them: room for len + 1.
	 */
	out->cp = buffer_for(out, len + 1);
	out->n = (size_t) pg_mb2wchar_with_len(s, (pg_wchar *) out->cp, (int) len);
}

void
cdm_chars_from_text_unicode(const text *t, CdmChars *out)
{
	const char *s = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char	   *u;

	if (GetDatabaseEncoding() == PG_UTF8 || cdm_is_ascii(s, len))
	{
		decode_utf8(s, len, out);
		return;
	}
	/* the input itself comes back when there is nothing to convert: not NUL-terminated */
	u = pg_server_to_any(s, (int) len, PG_UTF8);
	decode_utf8(u, u == s ? len : strlen(u), out);
	if (u != s)
		pfree(u);
}

const char *
cdm_utf8_bytes(const char *s, size_t *len)
{
	char	   *u;

	if (GetDatabaseEncoding() == PG_UTF8 || cdm_is_ascii(s, *len))
		return s;
	u = pg_server_to_any(s, (int) *len, PG_UTF8);
	if (u != s)
		*len = strlen(u);
	return u;
}

void
cdm_chars_free(CdmChars *c)
{
	if (c->cp != c->local)
		pfree(c->cp);
}

char *
cdm_quote_for_message(const text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			cut = pg_mbcliplen(s, len, 40 * pg_database_encoding_max_length());
	int			chars = pg_mbstrlen_with_len(s, cut);

	/* clip to 40 characters, not bytes */
	if (chars > 40)
		cut = pg_mbcharcliplen(s, cut, 40);
	if (cut < len)
		return psprintf("'%.*s...'", cut, s);
	return psprintf("'%.*s'", len, s);
}

int
cdm_clip_for_message(const char *s, size_t len, int max)
{
	if (len <= (size_t) max)
		return (int) len;
	return pg_mbcliplen(s, max + 1, max);
}

text *
cdm_text_from_chars(const cdm_char *cp, size_t n)
{
	char	   *utf8;
	size_t		k = 0;
	text	   *result;

	/* a text value holds at most 1 GB, 4 bytes a character at worst */
	if (n > (MaxAllocSize - VARHDRSZ) / 4)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("cdm: a result of %zu characters exceeds the limit of %zu characters",
						n, (size_t) ((MaxAllocSize - VARHDRSZ) / 4))));
	utf8 = palloc(n * 4 + 1);
	for (size_t i = 0; i < n; i++)
		k += (size_t) cdm_utf8_encode(cp[i], utf8 + k);
	utf8[k] = '\0';
	if (GetDatabaseEncoding() != PG_UTF8)
	{
		/* letters no transliterator knows may not exist in this encoding */
		char	   *conv = pg_any_to_server(utf8, (int) k, PG_UTF8);

		if (conv != utf8)
		{
			pfree(utf8);
			utf8 = conv;
			k = strlen(conv);
		}
	}
	result = cstring_to_text_with_len(utf8, (int) k);
	pfree(utf8);
	return result;
}
