/*
 * fuzz_email.c - normalise/: cdm_email_norm, cdm_email_valid and the
 * domain step (the ASCII fast path against ICU's UTS #46).
 *
 * Input: option byte (bits 0-1: which white space to wrap the address in
 * for the trimming check), then the address; a second part, when present,
 * is also tried as a domain on its own.
 *
 * Invariants:
 *   - the result is an address of at most CDM_EMAIL_MAX octets written
 *     into a buffer of exactly that size, or CDM_EMAIL_INVALID (ICU never
 *     fails here); cdm_email_valid agrees;
 *   - a buffer one octet too small gets the length and no write past it;
 *   - the result has one '@', a local part of at most 64 octets, no ASCII
 *     upper case, is well-formed UTF-8, and normalises to itself;
 *   - white space around the address changes nothing;
 *   - an ASCII domain gives the same through the fast path as through ICU.
 */
#include "fuzz.h"

#include "email.h"

static ptrdiff_t
norm(const char *s, size_t len, char **out)
{
	const char *err = NULL;
	char	   *buf = malloc(CDM_EMAIL_MAX);
	ptrdiff_t	n = cdm_email_norm(s, len, buf, CDM_EMAIL_MAX, &err);

	FUZZ_CHECK(n != CDM_EMAIL_ICU_ERROR, "ICU failed: %s", err ? err : "?");
	FUZZ_CHECK(n == CDM_EMAIL_INVALID || (n >= 3 && n <= CDM_EMAIL_MAX),
			   "cdm_email_norm returned %td", n);
	*out = buf;
	return n;
}

static void
check_domain(const char *d, size_t len)
{
	const char *err = NULL;
	char	   *fast = malloc(CDM_EMAIL_MAX);
	char	   *icu = malloc(CDM_EMAIL_MAX);
	ptrdiff_t	a,
				b;

	if (!cdm_is_ascii(d, len))
		return (void) (free(fast), free(icu));
	a = cdm_email_domain(d, len, false, fast, CDM_EMAIL_MAX, &err);
	b = cdm_email_domain(d, len, true, icu, CDM_EMAIL_MAX, &err);
	FUZZ_CHECK(b != CDM_EMAIL_ICU_ERROR, "ICU failed: %s", err ? err : "?");
	FUZZ_CHECK(a == b, "domain \"%.*s\": fast path %td, ICU %td", (int) len, d, a, b);
	FUZZ_CHECK(a <= 0 || a > CDM_EMAIL_MAX || memcmp(fast, icu, (size_t) a) == 0,
			   "domain \"%.*s\": fast path \"%.*s\", ICU \"%.*s\"", (int) len, d,
			   (int) a, fast, (int) a, icu);
	free(fast);
	free(icu);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const spaces[] = {" ", "\t\r\n", "\xE3\x80\x80", "\xEF\xBB\xBF\xC2\xA0"};
	FuzzInput	in;
	const char *err;
	char	   *out;
	ptrdiff_t	n;

	fuzz_split(data, size, 2, &in);
	n = norm(in.p[0], in.len[0], &out);
	FUZZ_CHECK(cdm_email_valid(in.p[0], in.len[0], &err) == (n >= 0),
			   "cdm_email_valid disagrees with cdm_email_norm (%td)", n);
	if (n >= 0)
	{
		const char *at = memchr(out, '@', (size_t) n);
		size_t		cps;
		cdm_char   *cp;
		char	   *again;
		ptrdiff_t	n2;

		FUZZ_CHECK(at != NULL && memchr(at + 1, '@', (size_t) n - (size_t) (at + 1 - out)) == NULL,
				   "\"%.*s\": not one '@'", (int) n, out);
		FUZZ_CHECK(at - out >= 1 && at - out <= CDM_EMAIL_LOCAL_MAX,
				   "\"%.*s\": local part of %td octets", (int) n, out, at - out);
		for (ptrdiff_t i = 0; i < n; i++)
			FUZZ_CHECK(out[i] < 'A' || out[i] > 'Z', "\"%.*s\": upper case", (int) n, out);
		cp = fuzz_utf8(out, (size_t) n, &cps);
		FUZZ_CHECK(cp != NULL, "\"%.*s\": not UTF-8", (int) n, out);
		free(cp);

		n2 = norm(out, (size_t) n, &again);
		FUZZ_CHECK(n2 == n && memcmp(again, out, (size_t) n) == 0,
				   "not idempotent: \"%.*s\" -> \"%.*s\" (%td)", (int) n, out,
				   (int) (n2 > 0 ? n2 : 0), again, n2);
		free(again);

		/* one octet short: the length, nothing written past the end */
		{
			char	   *small = fuzz_work((size_t) n - 1, false);
			ptrdiff_t	k = cdm_email_norm(in.p[0], in.len[0], small, (size_t) n - 1, &err);

			FUZZ_CHECK(k == n, "with %td octets of room: %td", n - 1, k);
			free(small);
		}
	}

	/* trimming */
	{
		const char *sp = spaces[in.opt & 3];
		size_t		sl = strlen(sp);
		char	   *wrapped = malloc(in.len[0] + 2 * sl);
		char	   *w;
		ptrdiff_t	k;

		memcpy(wrapped, sp, sl);
		memcpy(wrapped + sl, in.p[0], in.len[0]);
		memcpy(wrapped + sl + in.len[0], sp, sl);
		k = norm(wrapped, in.len[0] + 2 * sl, &w);
		/* the limit counts the trimmed input, so it may only be reached here */
		if (in.len[0] <= CDM_EMAIL_INPUT_MAX)
			FUZZ_CHECK(k == n && (n < 0 || memcmp(w, out, (size_t) n) == 0),
					   "white space around the address changes %td into %td", n, k);
		free(w);
		free(wrapped);
	}

	/* the domain step, fast path against ICU */
	{
		const char *at = NULL;

		for (size_t i = 0; i < in.len[0]; i++)
			if (in.p[0][i] == '@')
				at = in.p[0] + i;
		if (at)
			check_domain(at + 1, in.len[0] - (size_t) (at + 1 - in.p[0]));
		if (in.n > 1)
			check_domain(in.p[1], in.len[1]);
	}
	free(out);
	return 0;
}
