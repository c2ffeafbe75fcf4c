/*
 * test_soundex.c - American Soundex: every row of the published vectors
 * (transliterated first, as the PostgreSQL skin does), pinned deviations,
 * and edge cases (empty, punctuation, 1 MB, raw non-ASCII code points).
 */
#include "unit.h"

#include "soundex.h"
#include "translit.h"

static const char *dir;

static void
soundex_utf8(const char *s, char out[5])
{
	size_t		n;
	cdm_char   *cps = translit_cps(CDM_TRANSLIT_ASCII, s, &n);

	cdm_soundex(cps, n, out);
	free(cps);
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
		const char *want = deviation_for(dir, file, f[ca], "");
		char		got[5];

		if (!want)
			want = f[ce];
		soundex_utf8(f[ca], got);
		CHECK_STR(got, want, "%s: soundex('%s')", file, f[ca]);
	}
	csv_close(r);
	printf("  %s: %d passed, %d failed\n", file,
		   unit_passed - p0, unit_failed - f0);
}

static void
check(const char *s, const char *want)
{
	char		got[5];

	soundex_utf8(s, got);
	CHECK_STR(got, want, "soundex('%s')", s);
}

static void
edge_cases(void)
{
	static const cdm_char raw[] = {0xE9, 'm', 0x4E2D, 'i', 0x1F600, 't', 0x10FFFF, 'h'};
	static const cdm_char none[] = {0xE9, 0x0301, 0x4E2D, 0xFFFFFFFF, '!'};
	size_t		big = 1 << 20;
	cdm_char   *s = malloc(big * sizeof(cdm_char));
	char		out[5];

	check("", "");
	check("!?-- ,.'\"", "");
	check("   ", "");
	check("123", "");
	check("x", "X000");
	check("lloyd", "L300");
	check("LLOYD", "L300");
	/* H/W rule: equal codes across H or W are coded once, across a vowel twice */
	check("Ashcraft", "A261");
	check("Bhp", "B000");		/* P has B's code: not coded across H */
	check("Bap", "B100");		/* ... but coded across a vowel */
	check("Bcwk", "B200");
	check("Backak", "B220");
	/* a letter with the first letter's code next to it is not coded */
	check("Pfister", "P236");
	check("Swhgler", "S460");
	/* non-letters do not separate */
	check("KING-SMITH", "K525");
	check("  van  ", "V500");

	/* raw non-ASCII code points (no transliteration): not letters, no crash */
	cdm_soundex(raw, sizeof(raw) / sizeof(raw[0]), out);
	CHECK_STR(out, "M300", "raw non-ASCII ignored");
	cdm_soundex(none, sizeof(none) / sizeof(none[0]), out);
	CHECK_STR(out, "", "no ASCII letter at all");
	cdm_soundex(NULL, 0, out);
	CHECK_STR(out, "", "n = 0");

	/* 1 MB: letters (stops after four) and punctuation (scans it all) */
	for (size_t i = 0; i < big; i++)
		s[i] = "robert"[i % 6];
	cdm_soundex(s, big, out);
	CHECK_STR(out, "R163", "1 MB of letters");
	for (size_t i = 0; i < big; i++)
		s[i] = i % 2 ? '-' : 0xE9;
	s[big - 1] = 'q';
	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;
	cdm_soundex(s, big, out);
	cdm_check_interrupts = NULL;
	CHECK_STR(out, "Q000", "1 MB of non-letters, then a letter");
	CHECK(unit_interrupts >= (long) (big / CDM_INTERRUPT_STRIDE) - 1,
		  "interrupt checks on a long scan: %ld", unit_interrupts);
	for (size_t i = 0; i < big; i++)
		s[i] = "ae-"[i % 3];
	s[0] = 'B';
	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;
	cdm_soundex(s, big, out);
	cdm_check_interrupts = NULL;
	CHECK_STR(out, "B000", "1 MB of vowels");
	CHECK(unit_interrupts >= (long) (big / CDM_INTERRUPT_STRIDE) - 1,
		  "interrupt checks after the first letter: %ld", unit_interrupts);
	free(s);
}

int
main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "test/conformance/data";
	run_file("soundex__commons_codec.csv");
	run_file("soundex__jellyfish.csv");
	run_file("soundex__postgres.csv");
	run_file("soundex__talisman.csv");
	edge_cases();
	return unit_report("soundex");
}
