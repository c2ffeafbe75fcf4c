/*
 * test_daitch_mokotoff.c - Daitch-Mokotoff Soundex: every row of the
 * PostgreSQL, PostgreSQL-docs, commons-codec and talisman vectors compared
 * as sets (transliterated first, as the PostgreSQL skin does), codec's
 * no-branching encode(); pinned deviations; sorted-and-distinct output,
 * counting mode, the max_codes rule, inputs with no letter, raw non-ASCII,
 * adversarial runs of ambiguous groups and 1 MB inputs.
 */
#include <time.h>

#include "unit.h"

#include "daitch_mokotoff.h"
#include "translit.h"

static const char *dir;
static char (*buf)[7];			/* CDM_DM_MAX_CODES codes */

/*
 * The invariants every result must keep; returns false (and says why) on
 * the first one broken.  Besides sorted and distinct, this checks the facts
 * CDM_DM_MAX_CODES's bound rests on: after the first digit only 1 3-9 or
 * padding, and no digit after padding.
 */
static bool
well_formed(const cdm_char *s, size_t n, int k, char (*codes)[7], const char *what)
{
	char		first[7];
	int			fk = cdm_daitch_mokotoff_first(s, n, first);
	bool		found = false;

	if (k < 0 || k > CDM_DM_MAX_CODES)
	{
		CHECK(false, "%s: %d codes", what, k);
		return false;
	}
	if (cdm_daitch_mokotoff(s, n, NULL, 0) != k)
	{
		CHECK(false, "%s: counting mode differs", what);
		return false;
	}
	for (int i = 0; i < k; i++)
	{
		bool		pad = false;

		if (strlen(codes[i]) != 6 || (i > 0 && strcmp(codes[i - 1], codes[i]) >= 0))
		{
			CHECK(false, "%s: code %d '%s' not six digits, sorted, distinct", what, i, codes[i]);
			return false;
		}
		for (int j = 0; j < 6; j++)
		{
			char		c = codes[i][j];

			if (c < '0' || c > '9' || (j > 0 && c == '2') || (pad && c != '0'))
			{
				CHECK(false, "%s: code '%s' breaks the digit rules", what, codes[i]);
				return false;
			}
			pad |= j > 0 && c == '0';
		}
		found |= strcmp(codes[i], first) == 0;
	}
	if (fk != (k > 0) || (k > 0 && !found))
	{
		CHECK(false, "%s: first code '%s' (%d) not among the %d codes", what, first, fk, k);
		return false;
	}
	return true;
}

/* The codes as a PostgreSQL array literal, cdm's order; malloc'd. */
static char *
literal(int k, char (*codes)[7])
{
	char	   *out = malloc(8 * (k > 0 ? k : 1) + 3);
	size_t		o = 0;

	out[o++] = '{';
	for (int i = 0; i < k; i++)
	{
		if (i > 0)
			out[o++] = ',';
		memcpy(out + o, codes[i], 6);
		o += 6;
	}
	out[o++] = '}';
	out[o] = '\0';
	return out;
}

/* An array literal's elements, sorted, as a literal again (set comparison). */
static char *
sorted_literal(const char *lit)
{
	char		codes[256][7];
	int			k = 0;
	const char *p = lit + 1;

	while (*p && *p != '}' && k < 256)
	{
		size_t		l = strcspn(p, ",}");

		snprintf(codes[k++], 7, "%.*s", (int) (l < 6 ? l : 6), p);
		p += l + (p[l] == ',');
	}
	qsort(codes, k, sizeof(codes[0]), (int (*) (const void *, const void *)) strcmp);
	return literal(k, codes);
}

static void
run_file(const char *file)
{
	CsvReader  *r = csv_open(dir, file);
	int			ca = csv_column(r, "a");
	int			ce = csv_column(r, "expected");
	int			p0 = unit_passed,
				f0 = unit_failed;
	char	   *f[8];

	while (csv_next(r, f, 8) > 0)
	{
		const char *dev = deviation_for(dir, file, f[ca], "");
		size_t		n;
		cdm_char   *s = translit_cps(CDM_TRANSLIT_DAITCH_MOKOTOFF, f[ca], &n);
		int			k = cdm_daitch_mokotoff(s, n, buf, CDM_DM_MAX_CODES);
		char	   *got = literal(k, buf);
		char	   *want = dev ? strdup(dev) : sorted_literal(f[ce]);

		/* counted only when broken, so the per-file counts are rows */
		well_formed(s, n, k, buf, f[ca]);
		CHECK_STR(got, want, "%s: daitch_mokotoff('%s')%s", file, f[ca],
				  dev ? " (deviation)" : "");
		free(got);
		free(want);
		free(s);
	}
	csv_close(r);
	printf("  %s: %d passed, %d failed\n", file,
		   unit_passed - p0, unit_failed - f0);
}

static void
run_first_file(const char *file)
{
	CsvReader  *r = csv_open(dir, file);
	int			ca = csv_column(r, "a");
	int			ce = csv_column(r, "expected");
	int			p0 = unit_passed,
				f0 = unit_failed;
	char	   *f[8];

	while (csv_next(r, f, 8) > 0)
	{
		const char *dev = deviation_for(dir, file, f[ca], "");
		size_t		n;
		cdm_char   *s = translit_cps(CDM_TRANSLIT_DAITCH_MOKOTOFF, f[ca], &n);
		char		code[7];

		cdm_daitch_mokotoff_first(s, n, code);
		CHECK_STR(code, dev ? dev : f[ce], "%s: first('%s')", file, f[ca]);
		free(s);
	}
	csv_close(r);
	printf("  %s: %d passed, %d failed\n", file,
		   unit_passed - p0, unit_failed - f0);
}

/* The codes of a UTF-8 string (transliterated) as a literal; malloc'd. */
static char *
dm(const char *s)
{
	size_t		n;
	cdm_char   *cps = translit_cps(CDM_TRANSLIT_DAITCH_MOKOTOFF, s, &n);
	int			k = cdm_daitch_mokotoff(cps, n, buf, CDM_DM_MAX_CODES);
	char	   *out = k < 0 ? strdup("-1") : literal(k, buf);

	well_formed(cps, n, k, buf, s);
	free(cps);
	return out;
}

static void
check(const char *s, const char *want)
{
	char	   *got = dm(s);

	CHECK_STR(got, want, "daitch_mokotoff('%s')", s);
	free(got);
}

static void
check_same(const char *a, const char *b)
{
	char	   *ga = dm(a);
	char	   *gb = dm(b);

	CHECK_STR(ga, gb, "'%s' codes as '%s'", a, b);
	free(ga);
	free(gb);
}

/* s repeated to n code points, malloc'd. */
static cdm_char *
repeat(const char *s, size_t n)
{
	size_t		m;
	cdm_char   *unit = utf8_to_cps(s, &m);
	cdm_char   *out = malloc(n * sizeof(cdm_char));

	for (size_t i = 0; i < n; i++)
		out[i] = unit[i % m];
	free(unit);
	return out;
}

/*
 * Codes of s repeated to n code points, timed; when the input is read to the
 * end (some branch never reaches six digits), interrupts must be checked.
 */
static int
run_long(const char *s, size_t n, bool reads_all, const char *what)
{
	cdm_char   *cps = repeat(s, n);
	clock_t		t0 = clock();
	int			k;

	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;
	k = cdm_daitch_mokotoff(cps, n, buf, CDM_DM_MAX_CODES);
	cdm_check_interrupts = NULL;
	printf("  %-34s %8zu code points: %5d codes, %.3f s, %ld interrupt checks\n",
		   what, n, k, (double) (clock() - t0) / CLOCKS_PER_SEC, unit_interrupts);
	CHECK(k >= 1, "%s: %d codes", what, k);
	if (reads_all)
		CHECK(unit_interrupts >= (long) (n / CDM_INTERRUPT_STRIDE),
			  "%s: %ld interrupt checks", what, unit_interrupts);
	well_formed(cps, n, k, buf, what);
	free(cps);
	return k;
}

static void
edge_cases(void)
{
	static const cdm_char raw[] = {0xE9, 'k', 0x4E2D, 'o', 0x1F600, 'h', 0x10FFFF, 'n', 0xFFFFFFFF, 0x0105};
	static const cdm_char none[] = {0xE9, 0x0301, 0x4E2D, 0xFFFFFFFF, '!', ' ', '7', 0x00C0};
	static const cdm_char roso[] = {'R', 'o', 's', 'o', 'c', 'h', 'o', 'w', 'a', 'c', 'i', 'e', 'c'};
	char		small[8][7];
	char		code[7];
	char	  (*exact)[7];
	int			k;

	/* no letter: no code (the skin returns NULL, like PostgreSQL) */
	check("", "{}");
	check(" \t-'!?123 ", "{}");
	CHECK_INT(cdm_daitch_mokotoff(NULL, 0, buf, 10), 0, "n = 0");
	CHECK_INT(cdm_daitch_mokotoff(none, sizeof(none) / sizeof(none[0]), small, 8), 0,
			  "raw non-letters only");
	code[0] = 'x';
	CHECK(cdm_daitch_mokotoff_first(none, sizeof(none) / sizeof(none[0]), code) == 0 &&
		  code[0] == '\0', "first: no letter");

	/* letters that are never coded still give a code, as in PostgreSQL */
	check("Ą", "{000000}");
	check("ąę ĄĘ", "{000000,600000,660000}");	/* 6 or nothing, but not at the start */
	check("ţ", "{300000,400000}");
	check("A", "{000000}");
	check("Y", "{100000}");
	check("Ąa", "{000000}");
	check("ĄJ", "{000000,400000}");	/* J after an uncoded start: vowel or 4 */

	/* every chart letter alone, in both cases: its start code(s) */
	{
		static const char *const letters[][2] = {
			{"A", "{000000}"}, {"B", "{700000}"}, {"C", "{400000,500000}"},
			{"D", "{300000}"}, {"E", "{000000}"}, {"F", "{700000}"},
			{"G", "{500000}"}, {"H", "{500000}"}, {"I", "{000000}"},
			{"J", "{100000,400000}"}, {"K", "{500000}"}, {"L", "{800000}"},
			{"M", "{600000}"}, {"N", "{600000}"}, {"O", "{000000}"},
			{"P", "{700000}"}, {"Q", "{500000}"}, {"R", "{900000}"},
			{"S", "{400000}"}, {"T", "{300000}"}, {"U", "{000000}"},
			{"V", "{700000}"}, {"W", "{700000}"}, {"X", "{500000}"},
			{"Y", "{100000}"}, {"Z", "{400000}"}, {"Ą", "{000000}"},
			{"Ę", "{000000}"}, {"Ţ", "{300000,400000}"}, {"Ț", "{300000,400000}"},
		};

		for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		{
			size_t		one;
			cdm_char   *cp = utf8_to_cps(letters[i][0], &one);
			cdm_char	up = cp[0];
			cdm_char	lo = up < 128 ? up + 32 : up + 1;	/* the chart's non-ASCII: +1 */
			char	   *got;

			free(cp);

			k = cdm_daitch_mokotoff(&up, 1, small, 8);
			got = literal(k, small);
			CHECK_STR(got, letters[i][1], "letter '%s'", letters[i][0]);
			free(got);
			k = cdm_daitch_mokotoff(&lo, 1, small, 8);
			got = literal(k, small);
			CHECK_STR(got, letters[i][1], "letter '%s', lower case", letters[i][0]);
			free(got);
		}
	}

	/* chart details */
	check("BESST", "{743000}");	/* 2-digit code: only its first digit collapses */
	check("BOUEY", "{710000}");	/* UE */
	check("MCCOYJR", "{641900,644900,645190,645490,651900,654190,654490,654900}");
	check("CJC", "{400000,440000,450000,540000,545000,550000}");
	check("MMN", "{660000}");	/* MN is 66; its first 6 repeats M's */
	check("Kleinmann", "{586660}");
	check("schtschukin", "{256000}");	/* longest spelling first */
	check("SZCZ", "{200000}");
	check("stszcz", "{240000}");
	check("ZHDZH", "{200000}");
	check("XKS", "{540000}");

	/* non-letters are skipped as if absent, even inside a letter group */
	check_same("S-H", "SH");
	check_same("Nowy Targ", "NOWYTARG");
	check_same("jackson", "JACKSON");
	check_same("Ţamas", "țamas");
	check_same("O'Brien", "OBrien");

	/* raw non-ASCII code points (no transliteration): ignored, no crash */
	k = cdm_daitch_mokotoff(raw, sizeof(raw) / sizeof(raw[0]), small, 8);
	CHECK(k == 1 && strcmp(small[0], "560000") == 0, "raw non-ASCII: %d %s", k, small[0]);
	cdm_daitch_mokotoff_first(raw, sizeof(raw) / sizeof(raw[0]), code);
	CHECK_STR(code, "560000", "raw non-ASCII, first");

	/* max_codes: -1 when short, the first max_codes in order; NULL counts */
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, NULL, 0), 8, "counting mode");
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, NULL, -5), 8, "counting mode, max < 0");
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, small, 8), 8, "max_codes exact");
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, small, 7), -1, "max_codes short by one");
	CHECK(strcmp(small[0], "944744") == 0 && strcmp(small[6], "945754") == 0,
		  "the first max_codes are filled: %s .. %s", small[0], small[6]);
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, small, 0), -1, "max_codes 0");
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, small, -1), -1, "max_codes < 0");
	/* an exact-size heap buffer (ASan checks the bound) */
	exact = malloc(8 * sizeof(*exact));
	CHECK_INT(cdm_daitch_mokotoff(roso, 13, exact, 8), 8, "exact buffer");
	CHECK_STR(exact[7], "945755", "exact buffer, last code");
	free(exact);
	exact = malloc(sizeof(*exact));
	CHECK_INT(cdm_daitch_mokotoff_first(roso, 13, *exact), 1, "first, exact buffer");
	CHECK_STR(*exact, "944744", "first, exact buffer");
	free(exact);
}

/*
 * Runs of ambiguous groups.  The groups that may be coded as nothing (J,
 * A/E-ogonek) let the others (C, CH, CK, RS, RZ, T-cedilla) choose nearly
 * freely, which is why CDM_DM_MAX_CODES cannot be small: this 39-letter
 * string, found by a random search, has 1292 codes.
 */
static void
adversarial(void)
{
	static const char *const many = "ęąJęCRZRZţRSSZJCHCJţCHęęąąEIJCţąRZCţCI";
	size_t		big = 1 << 20;
	char	   *got;

	check("JJJJJJJJJJJJ", "{100000,140000,144000,144400,144440,144444,"
		  "400000,440000,444000,444400,444440,444444}");
	check("CHCHCHCHCHCHCHCHCHCH", "{400000,450000,454000,454500,454540,454545,"
		  "500000,540000,545000,545400,545450,545454}");
	check("RSRZRSRZRSRZRSRZ", "{400000,494000,494940,494949,940000,949400,949494}");
	check("CKCKCKCKCKCK", "{450000,454500,454545,500000,545000,545450,545454}");
	/* every string of the tokens 4 and 64, cut to six digits */
	got = dm("ĄJĄJĄJĄJĄJĄJĄJ");
	CHECK(strlen(got) == 41 * 7 + 1 && strncmp(got, "{000000,400000,440000,", 22) == 0 &&
		  strstr(got, ",646464}") != NULL, "ĄJ x 7: %.40s...", got);
	free(got);

	got = dm(many);
	CHECK(strlen(got) == 1292 * 7 + 1, "adversarial string: %zu codes",
		  (strlen(got) + 1) / 7 - 1);
	free(got);

	/* every run long, and 1 MB */
	CHECK_INT(run_long("JJJJ", big, true, "J x 1M"), 12, "1 MB of J");
	CHECK_INT(run_long("CH", big, true, "CH x 512K"), 12, "1 MB of CH");
	CHECK_INT(run_long("RSRZ", big, true, "RSRZ x 256K"), 7, "1 MB of RSRZ");
	CHECK_INT(run_long("ĄJ", big, true, "ĄJ x 512K"), 41, "1 MB of ĄJ");
	CHECK_INT(run_long("oa ", big, true, "OA x 340K"), 1, "1 MB of uncoded vowels");
	CHECK_INT(run_long("Rosochowaciec ", big, false, "Rosochowaciec, repeated"), 8,
			  "1 MB of a name, stops after six digits");
	run_long(many, 4096, false, "adversarial, 4K");
	run_long(many, big, false, "adversarial, 1 MB");

	/* one letter after 1 MB of non-letters, and before it */
	{
		cdm_char   *s = repeat(" -", big);

		s[big - 1] = 'L';
		CHECK_INT(cdm_daitch_mokotoff(s, big, buf, CDM_DM_MAX_CODES), 1, "letter at the end");
		CHECK_STR(buf[0], "800000", "letter at the end");
		s[big - 1] = ' ';
		s[0] = 'M';
		CHECK_INT(cdm_daitch_mokotoff(s, big, buf, CDM_DM_MAX_CODES), 1, "letter at the start");
		CHECK_STR(buf[0], "600000", "letter at the start");
		s[0] = ' ';
		CHECK_INT(cdm_daitch_mokotoff(s, big, buf, CDM_DM_MAX_CODES), 0, "1 MB, no letter");
		free(s);
	}
}

/* Pseudo-random names over the interesting letters: the invariants hold. */
static void
random_names(void)
{
	static const char *const pieces[] = {
		"A", "E", "I", "O", "U", "Y", "J", "H", "C", "CH", "CK", "CHS", "S", "SZ",
		"SCH", "ST", "T", "TS", "RZ", "RS", "R", "Z", "ZD", "K", "KS", "X", "M", "N",
		"L", "B", "P", "D", "G", "W", "AU", "EI", "EU", "IA", "UE", "ą", "ę", "ţ",
		"ț", " ", "-", "é", "ß", "ø", "Дм", "1",
	};
	unsigned	seed = 12345;
	int			p0 = unit_passed,
				f0 = unit_failed,
				bad = 0;

	for (int t = 0; t < 20000; t++)
	{
		char		name[256];
		size_t		o = 0,
					n;
		int			len,
					k;
		cdm_char   *s;

		seed = seed * 1103515245u + 12345u;
		len = (int) (seed >> 16) % 16;
		for (int i = 0; i < len; i++)
		{
			const char *p;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			memcpy(name + o, p, strlen(p));
			o += strlen(p);
		}
		name[o] = '\0';
		s = translit_cps(CDM_TRANSLIT_DAITCH_MOKOTOFF, name, &n);
		k = cdm_daitch_mokotoff(s, n, buf, CDM_DM_MAX_CODES);
		bad += !well_formed(s, n, k, buf, name);
		free(s);
	}
	CHECK_INT(bad, 0, "random names breaking an invariant");
	printf("  random names: %d passed, %d failed\n",
		   unit_passed - p0, unit_failed - f0);
}

int
main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "test/conformance/data";
	buf = malloc((size_t) CDM_DM_MAX_CODES * sizeof(*buf));
	run_file("daitch_mokotoff__postgres.csv");
	run_file("daitch_mokotoff__postgres_docs.csv");
	run_file("daitch_mokotoff__commons_codec.csv");
	run_file("daitch_mokotoff__talisman.csv");
	run_first_file("daitch_mokotoff_first__commons_codec.csv");
	edge_cases();
	adversarial();
	random_names();
	free(buf);
	return unit_report("daitch_mokotoff");
}
