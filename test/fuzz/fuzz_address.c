/*
 * fuzz_address.c - normalise/: cdm_address_norm_folded (USPS Publication
 * 28 abbreviations), fed what the skin feeds it (the cdm_fold of the text,
 * as UTF-8) and the raw bytes (the header allows any ASCII-compatible
 * bytes: only ASCII words are matched).
 *
 * Input: option byte (unused), then the address line.
 *
 * Invariants: with the workspace of cdm_address_workspace(len) and an
 * output of CDM_ADDRESS_OUT_SIZE(len) bytes, exactly as documented, the
 * result fits; a buffer one byte short gets the length and no write past
 * its end; the result has no space at either end nor two in a row; and
 * normalising a folded line twice gives what once gave.
 */
#include "fuzz.h"

#include "address.h"
#include "fold.h"

static char *
address(const char *s, size_t len, size_t *outlen)
{
	size_t		cap = CDM_ADDRESS_OUT_SIZE(len);
	char	   *out = fuzz_work(cap, false);
	void	   *ws = fuzz_work(cdm_address_workspace(len), false);
	size_t		m = cdm_address_norm_folded(s, len, out, cap, ws);

	FUZZ_CHECK(m <= cap, "\"%.*s\" (%zu bytes) normalised to %zu bytes, bound %zu",
			   (int) len, s, len, m, cap);
	for (size_t i = 0; i < m; i++)
		FUZZ_CHECK(out[i] != ' ' || (i > 0 && i + 1 < m && out[i + 1] != ' '),
				   "\"%.*s\": space at %zu", (int) m, out, i);
	if (m > 0)
	{
		char	   *small = fuzz_work(m - 1, false);
		size_t		k = cdm_address_norm_folded(s, len, small, m - 1, ws);

		FUZZ_CHECK(k == m, "with %zu bytes of room: %zu, not %zu", m - 1, k, m);
		free(small);
	}
	free(ws);
	*outlen = m;
	return out;
}

/* The skin: cdm_fold, then UTF-8 bytes. */
static char *
folded(const char *s, size_t len, size_t *outlen)
{
	size_t		n;
	cdm_char   *cp = fuzz_utf8(s, len, &n);
	cdm_char   *f;
	const char *err;
	ptrdiff_t	k;
	char	   *bytes;

	if (cp == NULL)
		return NULL;
	f = malloc((2 * n + 16) * sizeof(cdm_char));
	k = cdm_fold(cp, n, f, 2 * n + 16, &err);
	FUZZ_CHECK(k >= 0, "cdm_fold failed: %s", err ? err : "?");
	if ((size_t) k > 2 * n + 16)
	{
		f = realloc(f, (size_t) k * sizeof(cdm_char));
		k = cdm_fold(cp, n, f, (size_t) k, &err);
	}
	bytes = fuzz_to_utf8(f, (size_t) k, outlen);
	free(f);
	free(cp);
	return bytes;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	char	   *f,
			   *a,
			   *b;
	size_t		fl,
				al,
				bl;

	fuzz_split(data, size, 1, &in);
	free(address(in.p[0], in.len[0], &al));

	f = folded(in.p[0], in.len[0], &fl);
	if (f == NULL)
		return 0;
	a = address(f, fl, &al);
	b = address(a, al, &bl);
	FUZZ_CHECK(al == bl && memcmp(a, b, al) == 0,
			   "not idempotent: \"%.*s\" -> \"%.*s\" -> \"%.*s\"",
			   (int) fl, f, (int) al, a, (int) bl, b);
	free(b);
	free(a);
	free(f);
	return 0;
}
