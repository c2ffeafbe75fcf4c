/*
 * key.c - the cdm.key type: text and binary I/O, comparison, distance.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "key_pg.h"
#include "pg_text.h"

PG_FUNCTION_INFO_V1(cdm_key_in);
PG_FUNCTION_INFO_V1(cdm_key_out);
PG_FUNCTION_INFO_V1(cdm_key_recv);
PG_FUNCTION_INFO_V1(cdm_key_send);
PG_FUNCTION_INFO_V1(cdm_key_eq);
PG_FUNCTION_INFO_V1(cdm_key_ne);
PG_FUNCTION_INFO_V1(cdm_key_lt);
PG_FUNCTION_INFO_V1(cdm_key_le);
PG_FUNCTION_INFO_V1(cdm_key_gt);
PG_FUNCTION_INFO_V1(cdm_key_ge);
PG_FUNCTION_INFO_V1(cdm_key_cmp);
PG_FUNCTION_INFO_V1(cdm_key_hash);
PG_FUNCTION_INFO_V1(cdm_key_distance_sql);
PG_FUNCTION_INFO_V1(cdm_key_similarity_sql);
PG_FUNCTION_INFO_V1(cdm_key_similar_op);
PG_FUNCTION_INFO_V1(cdm_key_ntokens);

double		cdm_key_threshold = 0.6;

CdmKey *
cdm_key_make(const cdm_token *tok, size_t n)
{
	CdmKey	   *k = (CdmKey *) palloc(VARHDRSZ + n * sizeof(cdm_token));

	SET_VARSIZE(k, VARHDRSZ + n * sizeof(cdm_token));
	if (n > 0)
		memcpy(k->tok, tok, n * sizeof(cdm_token));
	return k;
}

/* Text and binary input accept any order and duplicates, as the builders would. */
static CdmKey *
key_normalised(cdm_token *tok, size_t n)
{
	return cdm_key_make(tok, cdm_key_normalise(tok, n));
}

Datum
cdm_key_in(PG_FUNCTION_ARGS)
{
	char	   *s = PG_GETARG_CSTRING(0);
	size_t		len = strlen(s);
	size_t		errpos = 0;
	size_t		cap;
	cdm_token  *tok;
	ptrdiff_t	n;

	/* a key's text is a few KB; the token buffer below is twice the input */
	cdm_check_text_size(len, "cdm.key input");
	/* every token takes at least two bytes ("0 ") */
	cap = len / 2 + 1;
	tok = palloc(cap * sizeof(cdm_token));
	n = cdm_key_parse(s, len, tok, cap, &errpos);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type cdm.key: \"%s\"", s),
				 errdetail("Unexpected text at byte %zu.", errpos + 1),
				 errhint("A key is written as fields with their tokens, e.g. "
						 "'name(0a1b2c3d 00ff00ff) email(1234abcd)': field names name, email, "
						 "phone, address, f4..f7, tokens 1 to 8 hex digits up to 1fffffff.")));
	Assert((size_t) n <= cap);
	PG_RETURN_POINTER(key_normalised(tok, (size_t) n));
}

Datum
cdm_key_out(PG_FUNCTION_ARGS)
{
	CdmKey	   *k = PG_GETARG_CDM_KEY(0);
	size_t		n = CDM_KEY_NTOK(k);
	char	   *out = palloc(cdm_key_text_size(n) + 1);

	out[cdm_key_format(k->tok, n, out)] = '\0';
	PG_RETURN_CSTRING(out);
}

/* Binary form: int32 count, then each token as uint32 (field in the top 3 bits). */
Datum
cdm_key_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n = pq_getmsgint(buf, 4);
	cdm_token  *tok;

	if (n < 0 || (size_t) n > (size_t) (buf->len - buf->cursor) / 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid token count %d in external cdm.key value", n),
				 errdetail("The message holds %d more bytes, 4 per token.",
						   buf->len - buf->cursor)));
	tok = palloc(((size_t) n + 1) * sizeof(cdm_token));
	for (int32 i = 0; i < n; i++)
		tok[i] = (cdm_token) pq_getmsgint(buf, 4);
	PG_RETURN_POINTER(key_normalised(tok, (size_t) n));
}

Datum
cdm_key_send(PG_FUNCTION_ARGS)
{
	CdmKey	   *k = PG_GETARG_CDM_KEY(0);
	size_t		n = CDM_KEY_NTOK(k);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, (int32) n);
	for (size_t i = 0; i < n; i++)
		pq_sendint32(&buf, k->tok[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Token by token, then shorter first: a total order consistent with =. */
static int
key_cmp(const CdmKey *a, const CdmKey *b)
{
	size_t		na = CDM_KEY_NTOK(a);
	size_t		nb = CDM_KEY_NTOK(b);

	for (size_t i = 0; i < na && i < nb; i++)
		if (a->tok[i] != b->tok[i])
			return a->tok[i] < b->tok[i] ? -1 : 1;
	return (na > nb) - (na < nb);
}

#define KEY_CMP_FN(name, expr) \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	CdmKey	   *a = PG_GETARG_CDM_KEY(0); \
	CdmKey	   *b = PG_GETARG_CDM_KEY(1); \
	int			c = key_cmp(a, b); \
	PG_RETURN_BOOL(expr); \
}

KEY_CMP_FN(cdm_key_eq, c == 0)
KEY_CMP_FN(cdm_key_ne, c != 0)
KEY_CMP_FN(cdm_key_lt, c < 0)
KEY_CMP_FN(cdm_key_le, c <= 0)
KEY_CMP_FN(cdm_key_gt, c > 0)
KEY_CMP_FN(cdm_key_ge, c >= 0)

Datum
cdm_key_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(key_cmp(PG_GETARG_CDM_KEY(0), PG_GETARG_CDM_KEY(1)));
}

Datum
cdm_key_hash(PG_FUNCTION_ARGS)
{
	CdmKey	   *k = PG_GETARG_CDM_KEY(0);

	/* tokens are stored in host order: hash their values, not bytes */
	uint32		h = 0;

	for (size_t i = 0; i < CDM_KEY_NTOK(k); i++)
		h = hash_combine(h, murmurhash32(k->tok[i]));
	PG_RETURN_INT32((int32) h);
}

static double
key_distance(FunctionCallInfo fcinfo)
{
	CdmKey	   *a = PG_GETARG_CDM_KEY(0);
	CdmKey	   *b = PG_GETARG_CDM_KEY(1);

	return cdm_key_distance(a->tok, CDM_KEY_NTOK(a), b->tok, CDM_KEY_NTOK(b));
}

Datum
cdm_key_distance_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(key_distance(fcinfo));
}

Datum
cdm_key_similarity_sql(PG_FUNCTION_ARGS)
{
	CdmKey	   *a = PG_GETARG_CDM_KEY(0);
	CdmKey	   *b = PG_GETARG_CDM_KEY(1);

	PG_RETURN_FLOAT8(cdm_key_similarity(a->tok, CDM_KEY_NTOK(a), b->tok, CDM_KEY_NTOK(b)));
}

/* k1 % k2: the GiST consistent function answers exactly this at the leaves. */
Datum
cdm_key_similar_op(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(key_distance(fcinfo) <= cdm_key_threshold);
}

Datum
cdm_key_ntokens(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32((int32) CDM_KEY_NTOK(PG_GETARG_CDM_KEY(0)));
}
