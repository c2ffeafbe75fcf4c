/*
 * utf16.h - code points to and from UTF-16, the form ICU works in.
 */
#ifndef CDM_UTF16_H
#define CDM_UTF16_H

#include "cdm_core.h"

/*
 * Encode n code points; out needs room for 2 * n units.  A value that is
 * not a Unicode scalar value (a surrogate, or past U+10FFFF) becomes
 * U+FFFD, so ICU never sees ill-formed text.  Returns the units written.
 */
extern size_t cdm_utf16_encode(const cdm_char *in, size_t n, uint16_t *out);

/*
 * Decode n units; out needs room for n code points.  An unpaired surrogate
 * is passed through as a code point of its own.  Returns the code points
 * written.
 */
extern size_t cdm_utf16_decode(const uint16_t *in, size_t n, cdm_char *out);

#endif							/* CDM_UTF16_H */
