/*
 * fuzz_fold.c - normalise/: cdm_fold (NFKC_Casefold, ICU transliteration,
 * the Latin table and the word cache) and cdm_fold_ascii.
 *
 * Input: option byte (bit 0: raw bytes as code points when not UTF-8),
 * then the text.
 *
 * Invariants:
 *   - a buffer of the length cdm_fold asked for gets that length again and
 *     one of half the input is never written past its end;
 *   - the result is the same with the Latin table off, with the word cache
 *     off, and with both off (fold.h: the table is built from ICU's own
 *     results and a cache hit replays exactly what ICU gave);
 *   - the form: no space at either end, never two in a row, no ASCII
 *     upper case or punctuation, every code point a letter, number, mark
 *     or the space, no decimal digit outside ASCII;
 *   - folding is idempotent: fold(fold(x)) = fold(x);
 *   - on ASCII text, cdm_fold_ascii gives the same as cdm_fold.
 */
#include "fuzz.h"

#include <unicode/uchar.h>

#include "fold.h"

/* cdm_fold into an exact buffer, the retry rule checked on the way. */
static cdm_char *
fold(const cdm_char *in, size_t n, size_t *outn)
{
	const char *err = NULL;
	size_t		cap = n / 2;
	cdm_char   *out = fuzz_work(cap * sizeof(cdm_char), false);
	ptrdiff_t	k = cdm_fold(in, n, out, cap, &err);

	FUZZ_CHECK(k >= 0, "cdm_fold failed: %s", err ? err : "?");
	if ((size_t) k > cap)
	{
		ptrdiff_t	k2;

		free(out);
		cap = (size_t) k;
		out = fuzz_work(cap * sizeof(cdm_char), false);
		k2 = cdm_fold(in, n, out, cap, &err);
		FUZZ_CHECK(k2 == k, "cdm_fold asked for %td, then gave %td", k, k2);
	}
	*outn = (size_t) k;
	return out;
}

static void
check_form(const cdm_char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		cdm_char	c = s[i];

		if (c == ' ')
		{
			FUZZ_CHECK(i > 0 && i + 1 < n && s[i + 1] != ' ',
					   "space at %zu of %zu (ends or doubled)", i, n);
			continue;
		}
		if (c < 128)
		{
			FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'),
					   "ASCII 0x%02x in folded text", (unsigned) c);
			continue;
		}
		FUZZ_CHECK((U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_NL_MASK | U_GC_NO_MASK)) != 0,
				   "U+%04X (category %d) in folded text", (unsigned) c, (int) u_charType(c));
	}
}

static bool
same(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	return m == n && (m == 0 || memcmp(a, b, m * sizeof(cdm_char)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	cdm_char   *cp,
			   *f,
			   *g;
	size_t		n,
				fn,
				gn;
	bool		ascii = true;

	fuzz_split(data, size, 1, &in);
	if (in.opt & 1)
		cp = fuzz_chars(in.p[0], in.len[0], 0, &n);
	else if ((cp = fuzz_utf8(in.p[0], in.len[0], &n)) == NULL)
		return 0;

	f = fold(cp, n, &fn);
	check_form(f, fn);

	/* the table and the cache change nothing */
	for (int mode = 1; mode < 4; mode++)
	{
		cdm_fold_use_tables = (mode & 1) == 0;
		cdm_fold_use_cache = (mode & 2) == 0;
		g = fold(cp, n, &gn);
		cdm_fold_use_tables = true;
		cdm_fold_use_cache = true;
		FUZZ_CHECK(same(f, fn, g, gn), "fold differs with tables %s, cache %s",
				   (mode & 1) ? "off" : "on", (mode & 2) ? "off" : "on");
		free(g);
	}

	/* idempotent */
	g = fold(f, fn, &gn);
	FUZZ_CHECK(same(f, fn, g, gn), "fold(fold(x)) != fold(x) (%zu vs %zu code points)", fn, gn);
	free(g);

	for (size_t i = 0; i < n; i++)
		ascii &= cp[i] < 128;
	if (ascii)
	{
		char	   *bytes = fuzz_work(n, false);
		char	   *out = fuzz_work(n, false);
		size_t		k;

		for (size_t i = 0; i < n; i++)
			bytes[i] = (char) cp[i];
		k = cdm_fold_ascii(bytes, n, out);
		FUZZ_CHECK(k == fn, "fold_ascii gave %zu, fold %zu", k, fn);
		for (size_t i = 0; i < k; i++)
			FUZZ_CHECK((cdm_char) (unsigned char) out[i] == f[i], "fold_ascii differs at %zu", i);
		free(bytes);
		free(out);
	}
	free(f);
	free(cp);
	return 0;
}
