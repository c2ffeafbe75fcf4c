/*
 * pg_text.h - text arguments as code points, without copies for short values.
 */
#ifndef CDM_PG_TEXT_H
#define CDM_PG_TEXT_H

#include "postgres.h"

#include "fmgr.h"

#include "cdm_core.h"

/*
 * The longest text value cdm reads, in bytes: arguments of its normalise,
 * compare, phonetic, key and match functions, attribute values in jsonb,
 * the columns cdm.dedupe reads.  Far above any name, address or number,
 * and low enough that every function's working memory (up to 32 bytes a
 * character, for two arguments) stays under PostgreSQL's 1 GB allocation
 * limit.  Longer values raise 54000 (program_limit_exceeded).
 */
#define CDM_TEXT_MAX_BYTES (16 * 1024 * 1024)

/*
 * Text argument argno, detoasted, after checking its size against
 * CDM_TEXT_MAX_BYTES (from the toast header: a huge value is refused
 * before it is decompressed).
 */
extern text *cdm_getarg_text(FunctionCallInfo fcinfo, int argno);

/* The same check for a value from elsewhere; what names it in the message. */
extern void cdm_check_text_size(size_t bytes, const char *what);

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

/* palloc'd room for n code points; 54000 past palloc's 1 GB. */
extern cdm_char *cdm_alloc_chars(size_t n);

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

/*
 * How many of the len bytes at s to print with "%.*s" for at most max
 * bytes: cut on a character boundary, so a message never holds half a
 * character (invalid in the server encoding, which clients may reject).
 */
extern int	cdm_clip_for_message(const char *s, size_t len, int max);

#endif							/* CDM_PG_TEXT_H */
