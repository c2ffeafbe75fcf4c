/*
 * names_pg.c - parsing names from text values, code points back to text.
 */
#include "postgres.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include "names_pg.h"
#include "pg_text.h"
#include "utf8.h"

void
cdm_name_from_text(const text *t, CdmName *name)
{
	CdmChars	in;
	size_t		cap;
	cdm_char   *buf;
	CdmNameToken *tok;
	size_t		ntok;
	ptrdiff_t	m;
	const char *err;

	cdm_chars_from_text_unicode(t, &in);
	cap = 2 * in.n + 16;
	buf = cdm_alloc_chars(cap);
	tok = palloc(CDM_NAME_MAX_TOKENS(in.n) * sizeof(CdmNameToken));
	m = cdm_name_parse(in.cp, in.n, buf, cap, tok, &ntok, &err);
	if (m > (ptrdiff_t) cap)
	{
		pfree(buf);
		cap = (size_t) m;
		buf = cdm_alloc_chars(cap);
		m = cdm_name_parse(in.cp, in.n, buf, cap, tok, &ntok, &err);
	}
	if (m < 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU failed to fold the name %s: %s", cdm_quote_for_message(t), err),
				 errhint("Check that the ICU data files of this server are installed.")));
	cdm_chars_free(&in);
	name->buf = buf;
	name->tok = tok;
	name->ntok = ntok;
}
