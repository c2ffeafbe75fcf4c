/*
 * test_metaphone.c - Metaphone (commons-codec dialect): every row of the
 * published vectors of all dialects (transliterated first, as the
 * PostgreSQL skin does), with the rows of other dialects pinned as
 * deviations; buffer-size rule, 1 MB inputs, raw non-ASCII code points.
 */
#include "unit.h"

#include "metaphone.h"
#include "translit.h"

static const char *dir;

/* Metaphone of a UTF-8 string into a malloc'd buffer of the documented size. */
static char *
metaphone_utf8(const char *s, size_t max_len)
{
	size_t		n;
	cdm_char   *cps = translit_cps(CDM_TRANSLIT_ASCII, s, &n);
	char	   *out = malloc(max_len > 0 ? max_len + 1 : 2 * n + 1);
	size_t		len = cdm_metaphone(cps, n, max_len, out);

	/* counted only when wrong, so the per-file counts are rows */
	if (strlen(out) != len || (max_len > 0 && len > max_len))
		CHECK(false, "metaphone('%s', %zu) length %zu", s, max_len, len);
	free(cps);
	return out;
}

/*
 * Runs one file.  max_len < 0: the max_len comes from column maxcol;
 * equal: the file compares two codes (a,b,expected = true/false).
 */
static void
run_file(const char *file, long max_len, const char *maxcol, bool equal)
{
	CsvReader  *r = csv_open(dir, file);
	int			ca = csv_column(r, "a");
	int			cb = csv_column(r, "b");
	int			ce = csv_column(r, "expected");
	int			cm = maxcol ? csv_column(r, maxcol) : -1;
	int			p0 = unit_passed,
				f0 = unit_failed;
	char	   *f[8];

	while (csv_next(r, f, 8) > 0)
	{
		/* the deviation key is the row's second column: b, or the length column */
		const char *b = equal ? f[cb] : (cm >= 0 ? f[cm] : "");
		const char *want = deviation_for(dir, file, f[ca], b);
		size_t		ml = cm >= 0 ? (size_t) atol(f[cm]) : (size_t) max_len;
		char	   *ga = metaphone_utf8(f[ca], ml);

		if (!want)
			want = f[ce];
		if (equal)
		{
			char	   *gb = metaphone_utf8(b, ml);
			const char *got = strcmp(ga, gb) == 0 ? "true" : "false";

			if (strcmp(got, want) != 0)
				fprintf(stderr, "  '%s' -> %s, '%s' -> %s\n", f[ca], ga, b, gb);
			CHECK_STR(got, want, "%s: metaphone('%s') = metaphone('%s')", file, f[ca], b);
			free(gb);
		}
		else
			CHECK_STR(ga, want, "%s: metaphone('%s', %zu)", file, f[ca], ml);
		free(ga);
	}
	csv_close(r);
	printf("  %s: %d passed, %d failed\n", file,
		   unit_passed - p0, unit_failed - f0);
}

static void
check(const char *s, size_t max_len, const char *want)
{
	char	   *got = metaphone_utf8(s, max_len);

	CHECK_STR(got, want, "metaphone('%s', %zu)", s, max_len);
	free(got);
}

static void
edge_cases(void)
{
	static const cdm_char raw[] = {0xE9, 'x', 0x4E2D, 'e', 0x1F600, 'n', 0x10FFFF, 0xFFFFFFFF};
	size_t		big = 1 << 20;
	cdm_char   *s = malloc(big * sizeof(cdm_char));
	char	   *out = malloc(2 * big + 1);
	char		small[5];
	size_t		len;

	check("", 0, "");
	check("", 4, "");
	check("!?-- ,.'\"", 0, "");
	check("123", 4, "");
	check("Thompson", 0, "0MPSN");
	check("thumb", 0, "0M");	/* final MB */
	check("thumb-nail", 0, "0MNL");	/* a non-letter ends the word */
	check("GUMBO", 0, "KMB");	/* MB not final: B coded (Philips) */
	check("knight", 0, "NT");
	check("WHITE", 0, "WT");
	check("xavier", 0, "SFR");
	check("Xerxes", 0, "SRKSS");
	check("accept", 0, "AKSPT");	/* CC is not collapsed */
	check("'Aaron", 0, "ARN");	/* leading punctuation skipped */
	check("edge", 0, "EJ");
	check("signed", 0, "SNT");
	check("signal", 0, "SKNL");	/* GN not final: G coded */
	check("laugh", 0, "L");
	check("aghast", 0, "AKST");	/* GH before a vowel */
	check("AXEAXEAXE", 5, "AKSKS");	/* truncation inside KS */

	/* raw non-ASCII code points (no transliteration): not letters, no crash */
	len = cdm_metaphone(raw, sizeof(raw) / sizeof(raw[0]), 0, out);
	CHECK_STR(out, "SN", "raw non-ASCII ignored");
	CHECK_INT(len, 2, "raw non-ASCII length");
	len = cdm_metaphone(NULL, 0, 4, small);
	CHECK(len == 0 && small[0] == '\0', "n = 0");

	/* worst case output 2n: exactly 2 * n + 1 bytes (ASan checks the bound) */
	{
		static const cdm_char ax[] = {'A', 'X', 'A', 'X', 'A', 'X'};
		char	   *exact = malloc(2 * 6 + 1);

		len = cdm_metaphone(ax, 6, 0, exact);
		CHECK_STR(exact, "AKSKSKS", "2n+1 buffer");
		free(exact);
		exact = malloc(4 + 1);
		len = cdm_metaphone(ax, 6, 4, exact);
		CHECK_STR(exact, "AKSK", "max_len+1 buffer");
		free(exact);
	}

	/* 1 MB */
	for (size_t i = 0; i < big; i++)
		s[i] = "xenophobic thoughts "[i % 20];
	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;
	len = cdm_metaphone(s, big, 0, out);
	cdm_check_interrupts = NULL;
	CHECK(len == strlen(out) && len > big / 4, "1 MB, no limit: %zu", len);
	CHECK(strncmp(out, "SNFBK0TSKSNFBK", 14) == 0, "1 MB prefix %.14s", out);
	CHECK(unit_interrupts >= (long) (big / CDM_INTERRUPT_STRIDE) - 1,
		  "interrupt checks: %ld", unit_interrupts);
	len = cdm_metaphone(s, big, 4, small);
	CHECK_STR(small, "SNFB", "1 MB, max_len 4");
	for (size_t i = 0; i < big; i++)
		s[i] = i % 2 ? ' ' : 0xE9;
	len = cdm_metaphone(s, big, 4, small);
	CHECK(len == 0 && small[0] == '\0', "1 MB of non-letters");
	for (size_t i = 0; i < big; i++)
		s[i] = 'X';
	len = cdm_metaphone(s, big, 0, out);
	CHECK_STR(out, "SKS", "1 MB of X (initial X is S, then doubled letters)");
	free(s);
	free(out);
}

int
main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "test/conformance/data";
	run_file("metaphone__commons_codec.csv", 4, NULL, false);
	run_file("metaphone_equal__commons_codec.csv", 4, NULL, true);
	run_file("metaphone_maxlen__commons_codec.csv", -1, "max_len", false);
	run_file("metaphone__postgres.csv", -1, "max_output_length", false);
	run_file("metaphone__jellyfish.csv", 0, NULL, false);
	run_file("metaphone__talisman.csv", 0, NULL, false);
	edge_cases();
	return unit_report("metaphone");
}
