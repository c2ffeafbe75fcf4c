/*
 * test_phone.c - the libphonenumber wrapper: formats of many countries,
 * region codes, hostile input, and the NANPA fast path against
 * libphonenumber's own parser (every case runs both ways).
 *
 * Numbers are fictional or reserved where the plan has such ranges: US
 * 555-01xx, UK Ofcom drama ranges (020 7946 0xxx, 07700 900xxx), AU
 * 04 9100 xxxx / 02 9100 xxxx; otherwise published examples.
 */
#include "unit.h"

#include "phone.h"

/* "NULL" for not-a-number, "REGION" / "INTERNAL" for the other statuses. */
static const char *
e164(const char *phone, size_t len, const char *region)
{
	static char out[CDM_PHONE_E164_SIZE + 8];
	CdmPhoneStatus st;

	memset(out, '#', sizeof(out));
	st = cdm_phone_e164(phone, len, region, strlen(region), out);
	switch (st)
	{
		case CDM_PHONE_OK:
			return out;
		case CDM_PHONE_NOT_A_NUMBER:
			return "NULL";
		case CDM_PHONE_UNKNOWN_REGION:
			return "REGION";
		case CDM_PHONE_INTERNAL_ERROR:
			return "INTERNAL";
	}
	return "?";
}

/* "t" / "f", or "REGION" / "INTERNAL". */
static const char *
valid(const char *phone, size_t len, const char *region)
{
	bool		v = true;
	CdmPhoneStatus st = cdm_phone_valid(phone, len, region, strlen(region), &v);

	if (st == CDM_PHONE_UNKNOWN_REGION)
		return v ? "REGION but valid set" : "REGION";
	if (st == CDM_PHONE_INTERNAL_ERROR)
		return "INTERNAL";
	return v ? "t" : "f";
}

typedef struct Case
{
	const char *phone;
	const char *region;
	const char *e164;
	const char *valid;
} Case;

static const Case cases[] = {
	/* US formats, default region US */
	{"(415) 555-2671", "US", "+14155552671", "t"},
	{"415.555.2671", "US", "+14155552671", "t"},
	{"+1-415-555-2671", "US", "+14155552671", "t"},
	{"1 415 555 2671", "US", "+14155552671", "t"},
	{"4155552671", "US", "+14155552671", "t"},
	{"(201) 555-0123", "US", "+12015550123", "t"},	/* 555-01xx: fictional, but in range */
	{"+1 (800) 555-0199", "US", "+18005550199", "t"},
	{"(123) 456-7890", "US", "+11234567890", "f"},	/* area codes never start with 1 */
	{"(911) 555-0123", "US", "+19115550123", "f"},	/* N11 is not an area code */
	{"555-0123", "US", "NULL", "f"},	/* local-only length: no E.164 form */
	/*
	 * Valid without an E.164 form (fuzz_phone): libphonenumber deems
	 * Canada's province-wide 310-xxxx numbers valid, dialled locally only.
	 */
	{"310-5625", "US", "NULL", "t"},
	{"tel:+1-415-555-2671", "US", "+14155552671", "t"},
	/* extensions are dropped */
	{"415-555-2671 ext. 12", "US", "+14155552671", "t"},
	{"415 555 2671 x12", "US", "+14155552671", "t"},
	{"tel:+1-415-555-2671;ext=12", "US", "+14155552671", "t"},
	/* vanity letters: keypad digits */
	{"1-800-FLOWERS", "US", "+18003569377", "t"},
	{"1-800-FL", "US", "NULL", "f"},
	/* full-width and Arabic-Indic digits */
	{"\xef\xbc\x94\xef\xbc\x91\xef\xbc\x95\xef\xbc\x95\xef\xbc\x95\xef\xbc\x95"
	 "\xef\xbc\x92\xef\xbc\x96\xef\xbc\x97\xef\xbc\x91", "US", "+14155552671", "t"},
	{"\xd9\xa4\xd9\xa1\xd9\xa5\xd9\xa5\xd9\xa5\xd9\xa5\xd9\xa2\xd9\xa6\xd9\xa7\xd9\xa1",
	 "US", "+14155552671", "t"},
	/* other NANPA regions share +1 */
	{"4155552671", "CA", "+14155552671", "t"},
	{"14155552671", "BM", "+14155552671", "t"},
	/* GB: national, international, IDD from the US, region in lower case */
	{"020 7946 0018", "GB", "+442079460018", "t"},
	{"020 7946 0018", "gb", "+442079460018", "t"},
	{"+44 20 7946 0018", "US", "+442079460018", "t"},
	{"011 44 20 7946 0018", "US", "+442079460018", "t"},
	{"020 7946 0018", "US", "NULL", "f"},	/* the region matters */
	{"07700 900123", "GB", "+447700900123", "f"},	/* drama range: possible, not valid */
	/* DE, FR, JP, IN, AU, BR */
	{"030 12345678", "DE", "+493012345678", "t"},
	{"+49 (0)30 12345678", "US", "+493012345678", "t"},
	{"01 23 45 67 89", "FR", "+33123456789", "t"},
	{"00 49 30 12345678", "FR", "+493012345678", "t"},
	{"+33 6 12 34 56 78", "DE", "+33612345678", "t"},
	{"03-1234-5678", "JP", "+81312345678", "t"},
	{"090-1234-5678", "JP", "+819012345678", "t"},
	{"098765 43210", "IN", "+919876543210", "t"},
	{"+91 98765 43210", "US", "+919876543210", "t"},
	{"04 9100 0000", "AU", "+61491000000", "t"},
	{"(02) 9100 0000", "AU", "+61291000000", "t"},
	{"0011 44 20 7946 0018", "AU", "+442079460018", "t"},
	{"(11) 91234-5678", "BR", "+5511912345678", "t"},
	{"+55 11 91234-5678", "US", "+5511912345678", "t"},
	/* a national number in the wrong country */
	{"(415) 555-2671", "GB", "+444155552671", "f"},
	/* non-geographic +800, unknown country code +999 */
	{"+800 1234 5678", "US", "+80012345678", "t"},
	{"+999 1234 5678", "US", "NULL", "f"},
	/*
	 * A national prefix written after the country code as well as in the
	 * brackets (a common slip): libphonenumber's first reading keeps one
	 * 0, which its reading of the result then drops; cdm returns the
	 * reading that stands still, here the real number (fuzz_phone).
	 * phone_valid judges the number as typed.
	 */
	{"+49 (0) 030 901820", "DE", "+4930901820", "f"},
	{"+61 (0) 02 9100 0000", "US", "+61291000000", "f"},
	{"+8(8000828000", "US", "+880828000", "f"},	/* the fuzzer's input */
	{"+52 1 1 779 645 8096", "US", "+527796458096", "t"},	/* old mobile 1, twice */
	{"000000000000025", "DE", "+490025", "f"},	/* one 0 less each reading */
	/* ZZ: no default region, so only + numbers */
	{"+14155552671", "ZZ", "+14155552671", "t"},
	{"+44 20 7946 0018", "zz", "+442079460018", "t"},
	{"4155552671", "ZZ", "NULL", "f"},
	/* not numbers */
	{"", "US", "NULL", "f"},
	{"abc", "US", "NULL", "f"},
	{"12", "US", "NULL", "f"},
	{"+", "US", "NULL", "f"},
	{"+1", "US", "NULL", "f"},
	{"\xf0\x9f\x98\x80", "US", "NULL", "f"},	/* emoji */
	{"\xd0\x94\xd0\xbc\xd0\xb8\xd1\x82\xd1\x80\xd0\xb8\xd0\xb9", "US", "NULL", "f"},	/* Cyrillic */
	{"\xff\xfe" "4155552671", "US", "NULL", "f"},	/* not UTF-8 */
	{"41555526710000", "US", "NULL", "f"},	/* too long for NANPA */
	/* unknown regions: an error whatever the number */
	{"4155552671", "", "REGION", "REGION"},
	{"4155552671", "XX", "REGION", "REGION"},
	{"4155552671", "usa", "REGION", "REGION"},
	{"4155552671", "U", "REGION", "REGION"},
	{"4155552671", "U1", "REGION", "REGION"},
	{"+14155552671", "001", "REGION", "REGION"},	/* libphonenumber's non-geo code */
	{"", "XX", "REGION", "REGION"},
};

static void
table(bool fast)
{
	cdm_phone_fast_path = fast;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		const Case *c = &cases[i];
		size_t		len = strlen(c->phone);

		CHECK_STR(e164(c->phone, len, c->region), c->e164,
				  "phone_e164('%s', '%s') fast=%d", c->phone, c->region, fast);
		CHECK_STR(valid(c->phone, len, c->region), c->valid,
				  "phone_valid('%s', '%s') fast=%d", c->phone, c->region, fast);
	}
}

/* Every E.164 result of the table reads back as itself, in any region. */
static void
reads_back(bool fast)
{
	cdm_phone_fast_path = fast;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		first[CDM_PHONE_E164_SIZE + 8];

		if (cases[i].e164[0] != '+')
			continue;
		strcpy(first, cases[i].e164);
		CHECK_STR(e164(first, strlen(first), "ZZ"), first, "'%s' reads back (ZZ) fast=%d", first, fast);
		CHECK_STR(e164(first, strlen(first), "DE"), first, "'%s' reads back (DE) fast=%d", first, fast);
	}
}

/* libphonenumber's 250-byte limit, on both paths; garbage never crashes. */
static void
long_input(bool fast)
{
	char		buf[400];
	const char *number = "(415) 555-2671";
	size_t		n = strlen(number);

	cdm_phone_fast_path = fast;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf, number, n);
	CHECK_STR(e164(buf, CDM_PHONE_MAX_INPUT, "US"), "+14155552671",
			  "250 bytes (number + spaces) fast=%d", fast);
	CHECK_STR(e164(buf, CDM_PHONE_MAX_INPUT + 1, "US"), "NULL", "251 bytes fast=%d", fast);
	CHECK_STR(e164(buf, 300, "US"), "NULL", "300 bytes fast=%d", fast);
	CHECK_STR(valid(buf, 300, "US"), "f", "300 bytes valid fast=%d", fast);
	CHECK_STR(e164(buf, 300, "XX"), "REGION", "300 bytes, bad region fast=%d", fast);

	/* 300 digits */
	memset(buf, '7', 300);
	CHECK_STR(e164(buf, 300, "US"), "NULL", "300 digits fast=%d", fast);
	CHECK_STR(e164(buf, 250, "US"), "NULL", "250 digits fast=%d", fast);
	CHECK_STR(valid(buf, 250, "US"), "f", "250 digits valid fast=%d", fast);
}

static void
garbage(void)
{
	char		buf[CDM_PHONE_MAX_INPUT];
	int			internal = 0;
	int			overrun = 0;

	cdm_phone_fast_path = true;
	for (int round = 0; round < 300; round++)
	{
		size_t		n = 1 + unit_rand() % sizeof(buf);
		const char *got;

		for (size_t i = 0; i < n; i++)
		{
			/* NUL-free bytes, weighted to digits and phone punctuation */
			static const char alpha[] = "0123456789+-. ()xX#;=/*extTEL:\xef\xbc\x91\xff";

			buf[i] = alpha[unit_rand() % (sizeof(alpha) - 1)];
		}
		got = e164(buf, n, round % 2 ? "US" : "DE");
		internal += strcmp(got, "INTERNAL") == 0;
		if (got[0] == '+' && strlen(got) >= CDM_PHONE_E164_SIZE)
			overrun++;
		internal += strcmp(valid(buf, n, "JP"), "INTERNAL") == 0;
	}
	CHECK_INT(internal, 0, "random garbage: no internal errors");
	CHECK_INT(overrun, 0, "random garbage: results fit CDM_PHONE_E164_SIZE");
}

/* The longest E.164 libphonenumber accepts (JP, 17-digit national number). */
static void
longest(void)
{
	const char *jp = "+81 55555555555555555";
	const char *got;

	cdm_phone_fast_path = true;
	got = e164(jp, strlen(jp), "US");
	CHECK_STR(got, "+8155555555555555555", "19-digit E.164");
	CHECK(strlen(got) < CDM_PHONE_E164_SIZE, "fits the buffer");
}

static const char *const nanpa[] = {
	"AG", "AI", "AS", "BB", "BM", "BS", "CA", "DM", "DO", "GD", "GU", "JM", "KN",
	"KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "US", "VC", "VG", "VI",
};
static const char *const others[] = {"ZZ", "GB", "DE", "FR", "JP", "IN", "AU", "BR", "MX", "CN"};

static void
random_shape(char *buf, size_t *len, int prefix)
{
	static const char sep[] = " -.()";
	char		digits[16];
	size_t		nd = 0,
				n = 0;
	int			shape = (int) (unit_rand() % 8);

	if (unit_rand() % 4 == 0)
		buf[n++] = sep[unit_rand() % 5];
	if (shape <= 2 || shape == 6)
		buf[n++] = '+';
	if (shape <= 4)
		digits[nd++] = '1';
	digits[nd++] = (char) ('0' + prefix / 100);
	digits[nd++] = (char) ('0' + prefix / 10 % 10);
	digits[nd++] = (char) ('0' + prefix % 10);
	/* 7 more digits, or 6 / 8 to try the lengths next to NANPA's */
	for (int i = 0, m = shape == 5 ? 6 : shape == 6 ? 8 : 7; i < m; i++)
		digits[nd++] = (char) ('0' + unit_rand() % 10);
	for (size_t i = 0; i < nd; i++)
	{
		if (unit_rand() % 4 == 0)
			buf[n++] = sep[unit_rand() % 5];
		buf[n++] = digits[i];
	}
	if (unit_rand() % 6 == 0)
		buf[n++] = sep[unit_rand() % 5];
	*len = n;
}

/*
 * The fast path must answer exactly as libphonenumber: every area-code
 * prefix 000-999 under every NANPA region, and under other regions (where
 * only +1 takes it), in the shapes around NANPA's 10 digits.
 */
static void
fast_vs_libphonenumber(void)
{
	int			mismatch = 0,
				compared = 0,
				numbers = 0;

	for (size_t r = 0; r < sizeof(nanpa) / sizeof(nanpa[0]) + sizeof(others) / sizeof(others[0]); r++)
	{
		bool		is_nanpa = r < sizeof(nanpa) / sizeof(nanpa[0]);
		const char *region = is_nanpa ? nanpa[r] : others[r - sizeof(nanpa) / sizeof(nanpa[0])];

		for (int prefix = 0; prefix < 1000; prefix += is_nanpa ? 1 : 7)
		{
			char		buf[64];
			size_t		len;
			char		a[CDM_PHONE_E164_SIZE + 8];

			random_shape(buf, &len, prefix);
			cdm_phone_fast_path = true;
			strcpy(a, e164(buf, len, region));
			cdm_phone_fast_path = false;
			if (strcmp(a, e164(buf, len, region)) != 0)
			{
				if (mismatch++ < 10)
					fprintf(stderr, "  e164 '%.*s' %s: fast %s, libphonenumber %s\n",
							(int) len, buf, region, a, e164(buf, len, region));
			}
			numbers += a[0] == '+';
			compared++;
			/* IsValidNumber is slower: every 4th */
			if (prefix % 4 == 0)
			{
				const char *v;

				cdm_phone_fast_path = true;
				v = valid(buf, len, region);
				cdm_phone_fast_path = false;
				if (strcmp(v, valid(buf, len, region)) != 0 && mismatch++ < 10)
					fprintf(stderr, "  valid '%.*s' %s differs\n", (int) len, buf, region);
				compared++;
			}
		}
	}
	cdm_phone_fast_path = true;
	CHECK_INT(mismatch, 0, "fast path = libphonenumber (%d comparisons)", compared);
	/* The shapes must mostly be numbers, or the comparison proves little. */
	CHECK(numbers > compared / 3, "%d of %d inputs were numbers", numbers, compared);
}

/*
 * The validity check's own region walk (phone.cpp's is_valid) must answer
 * exactly as IsValidNumber, above all for calling codes shared by several
 * regions, some with leading digits: prefixes of real ranges (AU mobiles,
 * Cocos and Christmas Islands, UK mobiles, Jersey, Isle of Man, Russia and
 * Kazakhstan, Finland and Aland, Norway and Svalbard, Reunion and Mayotte,
 * Italy and the Vatican, Morocco and Western Sahara, Jamaica under +1,
 * non-geographic +800/+882) with random tails of random lengths, in
 * international form and under the regions of the code.
 */
static const char *const shared_prefix[] = {
	"+614", "+612", "+6189162", "+6189164", "+61", "+447", "+447797", "+447624", "+44",
	"+79", "+77", "+76", "+3584", "+35818", "+358", "+474", "+4779", "+47",
	"+262262", "+262269", "+262639", "+3906698", "+393", "+39", "+2125288", "+2126",
	"+1876", "+1268", "+1212", "+1", "+800", "+882", "+599"
};
static const char *const shared_region[] = {
	"AU", "CC", "CX", "GB", "JE", "IM", "RU", "KZ", "FI", "AX", "NO", "SJ", "RE", "YT",
	"IT", "VA", "MA", "EH", "US", "JM", "CW", "BQ", "DE", "ZZ"
};

static void
validity_vs_libphonenumber(void)
{
	int			mismatch = 0,
				compared = 0,
				valid_count = 0;

	for (int i = 0; i < 60000; i++)
	{
		const char *prefix = shared_prefix[unit_rand() % (sizeof(shared_prefix) / sizeof(shared_prefix[0]))];
		const char *region = shared_region[unit_rand() % (sizeof(shared_region) / sizeof(shared_region[0]))];
		char		buf[64];
		size_t		len;
		size_t		tail = 4 + unit_rand() % 10;
		const char *fast;
		char		a[32];

		/* half international, half national (the prefix without +cc) under region */
		len = (size_t) snprintf(buf, sizeof(buf), "%s", unit_rand() % 2 ? prefix : "0");
		for (size_t k = 0; k < tail; k++)
			buf[len++] = (char) ('0' + unit_rand() % 10);
		cdm_phone_fast_path = true;
		fast = valid(buf, len, region);
		snprintf(a, sizeof(a), "%s", fast);
		cdm_phone_fast_path = false;
		if (strcmp(a, valid(buf, len, region)) != 0 && mismatch++ < 10)
			fprintf(stderr, "  valid '%.*s' %s: fast %s, libphonenumber %s\n",
					(int) len, buf, region, a, valid(buf, len, region));
		valid_count += strcmp(a, "t") == 0;
		compared++;
	}
	cdm_phone_fast_path = true;
	CHECK_INT(mismatch, 0, "validity walk = IsValidNumber (%d comparisons)", compared);
	CHECK(valid_count > compared / 20, "%d of %d inputs were valid", valid_count, compared);
}

/* The same numbers every round of memo_vs_parse. */
static uint64_t memo_rng;

static unsigned
memo_rand(void)
{
	memo_rng ^= memo_rng << 13;
	memo_rng ^= memo_rng >> 7;
	memo_rng ^= memo_rng << 17;
	return (unsigned) (memo_rng >> 16);
}

/*
 * The memo answers what libphonenumber answers: three times as many inputs
 * as it has slots (so slots are shared and overwritten), in shapes of
 * several countries and regions, asked without it, then twice with it; the
 * second round must be answered from it in part, and alike.
 */
static void
memo_vs_parse(void)
{
	enum
	{
		N = 3 * 16384
	};
	static char ref[N][CDM_PHONE_E164_SIZE + 8];
	static const char *const regions[] = {"AU", "US", "GB", "DE", "ZZ", "au", "XX"};
	int			mismatch = 0;
	unsigned long hits;

	for (int round = 0; round < 3; round++)
	{
		memo_rng = 42;
		cdm_phone_fast_path = round > 0;
		hits = cdm_phone_memo_hits;
		for (int i = 0; i < N; i++)
		{
			char		buf[40];
			const char *region = regions[memo_rand() % 7];
			const char *got;

			switch (memo_rand() % 4)
			{
				case 0:			/* AU mobile, national */
					snprintf(buf, sizeof(buf), "04%02u %03u %03u", memo_rand() % 100,
							 memo_rand() % 1000, memo_rand() % 1000);
					break;
				case 1:			/* international */
					snprintf(buf, sizeof(buf), "+61 4%02u %03u %03u", memo_rand() % 100,
							 memo_rand() % 1000, memo_rand() % 1000);
					break;
				case 2:			/* NANPA */
					snprintf(buf, sizeof(buf), "(%03u) 555-%04u", 200 + memo_rand() % 800,
							 memo_rand() % 10000);
					break;
				default:		/* few digits: not a number, or only now and then */
					snprintf(buf, sizeof(buf), "%u", memo_rand() % 100000);
			}
			/* a quarter of the inputs: one number, in AU and US by turns */
			if (i % 4 == 3)
			{
				strcpy(buf, "0491 570 006");
				region = i % 8 == 3 ? "AU" : "US";
			}
			got = e164(buf, strlen(buf), region);
			if (round == 0)
				strcpy(ref[i], got);
			else if (strcmp(ref[i], got) != 0 && mismatch++ < 10)
				fprintf(stderr, "  memo round %d: '%s' %s gave %s, libphonenumber %s\n",
						round, buf, region, got, ref[i]);
		}
		if (round == 0)
			CHECK(cdm_phone_memo_hits == hits, "no memo without the fast path");
		else
			CHECK(cdm_phone_memo_hits - hits >= N / 20,
				  "round %d: %lu of %d answered from the memo", round, cdm_phone_memo_hits - hits, N);
	}
	CHECK_INT(mismatch, 0, "memo = libphonenumber over %d inputs, twice", N);
	/* one input asked twice: the second answer is the memo's */
	hits = cdm_phone_memo_hits;
	CHECK_STR(e164("0491 570 159", 12, "AU"), "+61491570159", "AU mobile");
	CHECK(cdm_phone_memo_hits == hits, "asked once: parsed");
	CHECK_STR(e164("0491 570 159", 12, "AU"), "+61491570159", "AU mobile again");
	CHECK(cdm_phone_memo_hits == hits + 1, "asked again: from the memo");
	/* libphonenumber's own reading of these digits in the US */
	CHECK_STR(e164("0491 570 159", 12, "US"), "+10491570159", "the same digits in the US");
	cdm_phone_fast_path = true;
}

static void
version(void)
{
	const char *v = cdm_phonenumber_version();

	CHECK(v[0] >= '0' && v[0] <= '9' && strchr(v, '.') != NULL,
		  "phonenumber version '%s' looks like a version", v);
}

int
main(void)
{
	table(true);
	table(false);
	reads_back(true);
	reads_back(false);
	long_input(true);
	long_input(false);
	garbage();
	longest();
	fast_vs_libphonenumber();
	validity_vs_libphonenumber();
	memo_vs_parse();
	version();
	return unit_report("phone");
}
