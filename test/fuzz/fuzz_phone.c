/*
 * fuzz_phone.c - normalise/: the libphonenumber wrapper (cdm_phone_e164,
 * cdm_phone_valid, with and without the NANPA shortcut) and the country
 * name table (cdm_country_code) that supplies regions.
 *
 * Input: option byte (bits 0-3 pick a region from a list, 15 = the second
 * part's bytes as the region, as a user would type it), then the number;
 * the second part is also looked up as a country name.
 *
 * Invariants:
 *   - no call ends in CDM_PHONE_INTERNAL_ERROR (nothing throws);
 *   - the region decides UNKNOWN_REGION, for both calls alike;
 *   - an E.164 result is '+' and 2 to 19 digits (fits CDM_PHONE_E164_SIZE,
 *     the exact size of the buffer here) and reads back as itself, in any
 *     region;
 *   - the NANPA shortcut changes no answer (phone.h);
 *   - cdm_country_code gives two upper-case letters, and that code, lower-
 *     cased, gives itself; the folded name of any input gives the same as
 *     its text before folding when that was already folded.
 */
#include "fuzz.h"

#include "country.h"
#include "fold.h"
#include "phone.h"

static const char *const regions[] = {
	"US", "GB", "DE", "FR", "JP", "ZZ", "CA", "AU", "IN", "BR", "jm", "CH", "XX", "U", "it"
};

static CdmPhoneStatus
e164(const char *s, size_t len, const char *region, size_t rlen, char **out)
{
	char	   *buf = malloc(CDM_PHONE_E164_SIZE);
	CdmPhoneStatus st = cdm_phone_e164(s, len, region, rlen, buf);

	FUZZ_CHECK(st != CDM_PHONE_INTERNAL_ERROR, "cdm_phone_e164: internal error");
	if (st == CDM_PHONE_OK)
	{
		size_t		n = strnlen(buf, CDM_PHONE_E164_SIZE);

		FUZZ_CHECK(n >= 3 && n < CDM_PHONE_E164_SIZE && buf[0] == '+' &&
				   strspn(buf + 1, "0123456789") == n - 1,
				   "E.164 \"%.*s\"", (int) n, buf);
	}
	*out = buf;
	return st;
}

static void
check_country(const char *s, size_t len)
{
	char	   *code = malloc(3);
	char	   *again = malloc(3);
	char	   *f = fuzz_work(len, false);
	size_t		fl;
	bool		known;

	/* the contract: folded text; also any bytes, for safety */
	(void) cdm_country_code(s, len, code);
	fl = cdm_fold_ascii(s, len, f);
	known = cdm_country_code(f, fl, code);
	if (known)
	{
		char		low[2];

		FUZZ_CHECK(code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' &&
				   code[2] == '\0', "country code \"%.3s\"", code);
		low[0] = (char) (code[0] - 'A' + 'a');
		low[1] = (char) (code[1] - 'A' + 'a');
		FUZZ_CHECK(cdm_country_code(low, 2, again) && memcmp(again, code, 3) == 0,
				   "code %s does not give itself", code);
	}
	if (fl == len && memcmp(f, s, len) == 0)
		FUZZ_CHECK(cdm_country_code(s, len, again) == known &&
				   (!known || memcmp(again, code, 3) == 0), "country lookup not repeatable");
	free(f);
	free(again);
	free(code);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FuzzInput	in;
	const char *region;
	size_t		rlen;
	char	   *out,
			   *slow,
			   *back;
	CdmPhoneStatus st,
				st2,
				vst;
	bool		valid = false,
				valid2 = false;

	fuzz_split(data, size, 2, &in);
	if ((in.opt & 15) == 15)
	{
		region = in.p[1];
		rlen = in.len[1];
	}
	else
	{
		region = regions[in.opt & 15];
		rlen = strlen(region);
	}

	st = e164(in.p[0], in.len[0], region, rlen, &out);
	vst = cdm_phone_valid(in.p[0], in.len[0], region, rlen, &valid);
	FUZZ_CHECK(vst != CDM_PHONE_INTERNAL_ERROR, "cdm_phone_valid: internal error");
	FUZZ_CHECK((st == CDM_PHONE_UNKNOWN_REGION) == (vst == CDM_PHONE_UNKNOWN_REGION),
			   "e164 %d, valid %d on the region", (int) st, (int) vst);
	/*
	 * No "valid implies an E.164 form": libphonenumber deems Canada's
	 * 7-digit 310-xxxx numbers valid (UAN) but possible for local dialling
	 * only, and phone_e164 gives NULL for those (the fuzzer found "310-5625").
	 */

	cdm_phone_fast_path = false;
	st2 = e164(in.p[0], in.len[0], region, rlen, &slow);
	(void) cdm_phone_valid(in.p[0], in.len[0], region, rlen, &valid2);
	cdm_phone_fast_path = true;
	FUZZ_CHECK(st == st2 && (st != CDM_PHONE_OK || strcmp(out, slow) == 0),
			   "NANPA shortcut: %d \"%s\", libphonenumber: %d \"%s\"", (int) st,
			   st == CDM_PHONE_OK ? out : "", (int) st2, st2 == CDM_PHONE_OK ? slow : "");
	FUZZ_CHECK(valid == valid2, "NANPA shortcut: valid %d, libphonenumber: %d",
			   (int) valid, (int) valid2);
	free(slow);

	if (st == CDM_PHONE_OK)
	{
		for (int k = 0; k < 2; k++)
		{
			const char *r = k ? "ZZ" : region;
			size_t		rl = k ? 2 : rlen;

			FUZZ_CHECK(e164(out, strlen(out), r, rl, &back) == CDM_PHONE_OK &&
					   strcmp(back, out) == 0,
					   "\"%s\" reads back as \"%s\" (region %.*s)", out, back, (int) rl, r);
			free(back);
		}
	}
	free(out);

	check_country(in.p[1], in.len[1]);
	return 0;
}
