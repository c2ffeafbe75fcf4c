/*
 * fuzz.h - what the libFuzzer targets of test/fuzz/ share: splitting one
 * input into several arguments, turning bytes into code points, exact-size
 * buffers (so AddressSanitizer sees a write one past the documented size),
 * and FUZZ_CHECK, which aborts with a message when an invariant fails (the
 * fuzzer then keeps the input as a crash, like any sanitizer report).
 *
 * Conventions of every target:
 *   - the first byte (when present) selects options: modes, bounds, q;
 *   - the rest is split at 0xFF bytes (never part of well-formed UTF-8)
 *     into the string arguments; a missing argument is empty;
 *   - buffers are sized exactly as the header of the function under test
 *     documents, no more: a fuzzer that oversizes hides overflows, one that
 *     undersizes reports its own bugs.
 */
#ifndef CDM_FUZZ_H
#define CDM_FUZZ_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdm_core.h"
#include "utf8.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz: invariant failed at %s:%d: %s\n  ", \
					__FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

#define FUZZ_MAX_PARTS 24

/* The input after its option byte, cut at 0xFF into at most max parts. */
typedef struct FuzzInput
{
	uint8_t		opt;			/* first byte, 0 when the input is empty */
	int			n;				/* parts present (the rest are empty) */
	const char *p[FUZZ_MAX_PARTS];
	size_t		len[FUZZ_MAX_PARTS];
} FuzzInput;

/*
 * Split data into the option byte and max parts.  The last part keeps any
 * further 0xFF bytes, so a function taking one string still sees them.
 */
static inline void
fuzz_split(const uint8_t *data, size_t size, int max, FuzzInput *in)
{
	size_t		i = 0;

	memset(in, 0, sizeof(*in));
	for (int k = 0; k < FUZZ_MAX_PARTS; k++)
		in->p[k] = "";
	if (size == 0)
		return;
	in->opt = data[0];
	data++;
	size--;
	while (in->n < max)
	{
		size_t		start = i;

		if (in->n < max - 1)
			while (i < size && data[i] != 0xFF)
				i++;
		else
			i = size;
		in->p[in->n] = (const char *) data + start;
		in->len[in->n] = i - start;
		in->n++;
		if (i >= size)
			break;
		i++;					/* the separator */
	}
}

/*
 * The bytes as code points: UTF-8 when well-formed, otherwise each byte as
 * one code point, plus shift (0x100 or 0x4E00 reach the hashed, non-ASCII
 * paths of the bit-parallel algorithms with the same repetition structure
 * as the bytes).  malloc'd (at least one element, so never NULL).
 */
static inline cdm_char *
fuzz_chars(const char *s, size_t len, cdm_char shift, size_t *n)
{
	cdm_char   *out = malloc((len ? len : 1) * sizeof(cdm_char));
	ptrdiff_t	k = cdm_utf8_decode(s, len, out);

	if (k < 0)
	{
		for (size_t i = 0; i < len; i++)
			out[i] = (unsigned char) s[i];
		k = (ptrdiff_t) len;
	}
	if (shift)
		for (ptrdiff_t i = 0; i < k; i++)
		{
			cdm_char	c = out[i] + shift;

			/* stay a Unicode scalar value, as decoded text always is */
			if ((out[i] >= 0x80 || shift >= 0x4E00) && c <= 0x10FFFF &&
				(c < 0xD800 || c > 0xDFFF))
				out[i] = c;
		}
	*n = (size_t) k;
	return out;
}

/* Well-formed UTF-8 only: the decoded code points or NULL. */
static inline cdm_char *
fuzz_utf8(const char *s, size_t len, size_t *n)
{
	cdm_char   *out = malloc((len ? len : 1) * sizeof(cdm_char));
	ptrdiff_t	k = cdm_utf8_decode(s, len, out);

	if (k < 0)
	{
		free(out);
		return NULL;
	}
	*n = (size_t) k;
	return out;
}

/* A malloc'd NUL-terminated copy. */
static inline char *
fuzz_cstring(const char *s, size_t len)
{
	char	   *c = malloc(len + 1);

	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

/*
 * Scratch space of exactly bytes bytes, as the caller contract sizes it;
 * NULL for 0 where the contract says work may then be NULL.
 */
static inline void *
fuzz_work(size_t bytes, bool null_when_zero)
{
	if (bytes == 0 && null_when_zero)
		return NULL;
	return malloc(bytes ? bytes : 1);
}

/* Code points as UTF-8 (malloc'd, NUL-terminated, length in *len). */
static inline char *
fuzz_to_utf8(const cdm_char *cp, size_t n, size_t *len)
{
	char	   *out = malloc(4 * n + 1);
	size_t		k = 0;

	for (size_t i = 0; i < n; i++)
		k += (size_t) cdm_utf8_encode(cp[i], out + k);
	out[k] = '\0';
	*len = k;
	return out;
}

#endif							/* CDM_FUZZ_H */
