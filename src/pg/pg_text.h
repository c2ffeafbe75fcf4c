/*
 * pg_text.h - text arguments as code points, without copies for short values.
 */
#ifndef CDM_PG_TEXT_H
#define CDM_PG_TEXT_H

#include "postgres.h"

#include "cdm_core.h"

/* Most names fit here, so most calls decode onto the stack. */
#define CDM_LOCAL_CHARS 128

typedef struct CdmChars
{
	cdm_char   *cp;
	size_t		n;
	cdm_char	local[CDM_LOCAL_CHARS];
} CdmChars;

/* Decode a text value (any server encoding) into code points. */
extern void cdm_chars_from_text(const text *t, CdmChars *out);

/*
 * Decode as Unicode for the phonetic codes: server-encoding text is
 * converted to UTF-8 first, so transliteration sees real code points.
 */
extern void cdm_chars_from_text_unicode(const text *t, CdmChars *out);

extern void cdm_chars_free(CdmChars *c);

/*
 * len bytes of server-encoding text as UTF-8 for the core: s itself when
 * it already is (a UTF-8 database, ASCII, SQL_ASCII), else a palloc'd
 * conversion (*len updated); pfree it when the result differs from s.
 */
extern const char *cdm_utf8_bytes(const char *s, size_t *len);

/* Code points back to a text value in the server encoding (palloc'd). */
extern text *cdm_text_from_chars(const cdm_char *cp, size_t n);

/* Scratch space: the caller's stack buffer when it is big enough. */
static inline void *
cdm_workspace(size_t bytes, void *stackbuf, size_t stackbytes)
{
	return bytes <= stackbytes ? stackbuf : palloc(bytes);
}

static inline void
cdm_workspace_free(void *ws, void *stackbuf)
{
	if (ws != stackbuf)
		pfree(ws);
}

/* A value for an error message: at most 40 characters, marked when cut. */
extern char *cdm_quote_for_message(const text *t);

#endif							/* CDM_PG_TEXT_H */
