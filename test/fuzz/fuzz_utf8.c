/*
 * fuzz_utf8.c - common/: UTF-8 decoding and encoding, the ASCII test, and
 * UTF-16 both ways.
 *
 * Invariants: cdm_utf8_decode accepts exactly the well-formed UTF-8 of
 * Unicode's table 3-7 (checked against an independent validator), and
 * encoding what it decoded gives back the input bytes; cdm_is_ascii agrees
 * with a byte loop; UTF-16 round-trips every scalar value and turns
 * non-scalars into U+FFFD, and decoding arbitrary units then encoding
 * again gives the units back with lone surrogates as U+FFFD.
 */
#include "fuzz.h"

#include "utf16.h"

/* Unicode 15, table 3-7: well-formed UTF-8 byte sequences. */
static bool
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		unsigned char b = s[i];
		int			extra;
		unsigned char lo = 0x80,
					hi = 0xBF;

		if (b <= 0x7F)
		{
			i++;
			continue;
		}
		else if (b >= 0xC2 && b <= 0xDF)
			extra = 1;
		else if (b >= 0xE0 && b <= 0xEF)
		{
			extra = 2;
			if (b == 0xE0)
				lo = 0xA0;
			else if (b == 0xED)
				hi = 0x9F;
		}
		else if (b >= 0xF0 && b <= 0xF4)
		{
			extra = 3;
			if (b == 0xF0)
				lo = 0x90;
			else if (b == 0xF4)
				hi = 0x8F;
		}
		else
			return false;
		if (len - i <= (size_t) extra)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (int k = 2; k <= extra; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
		i += (size_t) extra + 1;
	}
	return true;
}

static void
check_utf8(const char *s, size_t len)
{
	cdm_char   *cp = malloc((len ? len : 1) * sizeof(cdm_char));
	ptrdiff_t	n = cdm_utf8_decode(s, len, cp);
	bool		ascii = true;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char) s[i] >= 0x80)
			ascii = false;
	FUZZ_CHECK(cdm_is_ascii(s, len) == ascii, "cdm_is_ascii disagrees on %zu bytes", len);
	FUZZ_CHECK((n >= 0) == valid_utf8((const unsigned char *) s, len),
			   "decode returned %td, validator says %d", n,
			   (int) valid_utf8((const unsigned char *) s, len));
	if (n >= 0)
	{
		char	   *back = malloc(4 * (size_t) n + 1);
		size_t		k = 0;

		FUZZ_CHECK((size_t) n <= len, "more code points than bytes");
		FUZZ_CHECK(!ascii || (size_t) n == len, "ASCII decoded to %td of %zu", n, len);
		for (ptrdiff_t i = 0; i < n; i++)
		{
			FUZZ_CHECK(cp[i] <= 0x10FFFF && (cp[i] < 0xD800 || cp[i] > 0xDFFF),
					   "decoded non-scalar U+%X", (unsigned) cp[i]);
			k += (size_t) cdm_utf8_encode(cp[i], back + k);
		}
		FUZZ_CHECK(k == len && memcmp(back, s, len) == 0, "UTF-8 round trip differs");
		free(back);
	}
	free(cp);
}

/* The bytes as 32-bit values: any code point, scalar or not. */
static void
check_utf16_encode(const uint8_t *data, size_t size)
{
	size_t		n = size / 4;
	cdm_char   *cp = malloc((n ? n : 1) * sizeof(cdm_char));
	uint16_t   *u = malloc((2 * n ? 2 * n : 1) * sizeof(uint16_t));
	cdm_char   *back;
	size_t		nu,
				nb;

	for (size_t i = 0; i < n; i++)
	{
		memcpy(&cp[i], data + 4 * i, 4);
		/* mostly plausible values, some wild ones */
		if ((cp[i] >> 31) == 0)
			cp[i] %= 0x110800;
	}
	nu = cdm_utf16_encode(cp, n, u);
	FUZZ_CHECK(nu <= 2 * n, "UTF-16 wrote %zu units for %zu code points", nu, n);
	back = malloc((nu ? nu : 1) * sizeof(cdm_char));
	nb = cdm_utf16_decode(u, nu, back);
	FUZZ_CHECK(nb == n, "UTF-16 round trip: %zu code points, %zu back", n, nb);
	for (size_t i = 0; i < n; i++)
	{
		bool		scalar = cp[i] <= 0x10FFFF && (cp[i] < 0xD800 || cp[i] > 0xDFFF);

		FUZZ_CHECK(back[i] == (scalar ? cp[i] : 0xFFFD),
				   "UTF-16 round trip: U+%X came back as U+%X",
				   (unsigned) cp[i], (unsigned) back[i]);
	}
	free(back);
	free(u);
	free(cp);
}

/* The bytes as UTF-16 units: lone surrogates pass through decoding. */
static void
check_utf16_decode(const uint8_t *data, size_t size)
{
	size_t		n = size / 2;
	uint16_t   *u = malloc((n ? n : 1) * sizeof(uint16_t));
	cdm_char   *cp = malloc((n ? n : 1) * sizeof(cdm_char));
	uint16_t   *again = malloc((2 * n ? 2 * n : 1) * sizeof(uint16_t));
	size_t		ncp,
				nu;

	memcpy(u, data, 2 * n);
	ncp = cdm_utf16_decode(u, n, cp);
	FUZZ_CHECK(ncp <= n, "UTF-16 decode: %zu code points from %zu units", ncp, n);
	nu = cdm_utf16_encode(cp, ncp, again);
	FUZZ_CHECK(nu == n, "UTF-16 decode/encode: %zu units, %zu back", n, nu);
	/* expected: pairs read left to right stay, a lone surrogate is U+FFFD */
	for (size_t i = 0; i < n; i++)
	{
		bool		sur = u[i] >= 0xD800 && u[i] <= 0xDFFF;

		if (u[i] >= 0xD800 && u[i] <= 0xDBFF && i + 1 < n &&
			u[i + 1] >= 0xDC00 && u[i + 1] <= 0xDFFF)
		{
			FUZZ_CHECK(again[i] == u[i] && again[i + 1] == u[i + 1],
					   "pair at %zu changed", i);
			i++;
			continue;
		}
		FUZZ_CHECK(again[i] == (sur ? 0xFFFD : u[i]),
				   "unit %zu: %04x came back as %04x", i, u[i], again[i]);
	}
	free(again);
	free(cp);
	free(u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_utf8((const char *) data, size);
	check_utf16_encode(data, size);
	check_utf16_decode(data, size);
	return 0;
}
