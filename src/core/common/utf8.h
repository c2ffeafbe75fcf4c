/*
 * utf8.h - UTF-8 to code points, for the core and its tests.
 */
#ifndef CDM_UTF8_H
#define CDM_UTF8_H

#include "cdm_core.h"

/*
 * Decode len bytes of UTF-8 into out (room for len code points is always
 * enough).  Returns the number of code points, or -1 if the input is not
 * well-formed UTF-8 (overlong forms, surrogates and values past U+10FFFF
 * are rejected, as PostgreSQL does).
 */
extern ptrdiff_t cdm_utf8_decode(const char *s, size_t len, cdm_char *out);

/* Encode one code point; returns bytes written (1..4), out needs 4 bytes. */
extern int	cdm_utf8_encode(cdm_char c, char *out);

/* True if all len bytes are ASCII (the fast path most names take). */
extern bool cdm_is_ascii(const char *s, size_t len);

#endif							/* CDM_UTF8_H */
