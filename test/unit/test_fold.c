/*
 * test_fold.c - cdm.fold: examples from every script the issue names, the
 * ASCII fast path and the Latin table against ICU, and the Unicode
 * normalisation, case-folding and accent-removal vectors as invariants
 * (fold is blind to normalisation form, case and accents).
 */
#include "unit.h"

#include "fold.h"
#include "utf8.h"

static const char *dir;

/* Fold a UTF-8 string; returns it as UTF-8 (malloc'd). */
static char *
fold_utf8(const char *s)
{
	return unit_fold_utf8(s, NULL);
}

static void
check(const char *s, const char *want)
{
	char	   *got = fold_utf8(s);

	CHECK_STR(got, want, "fold('%s')", s);
	free(got);
}

static void
examples(void)
{
	check("  José MUÑOZ-García ", "jose munoz garcia");	/* DESIGN.md's example */
	check("jose munoz", "jose munoz");
	check("Дмитрий", "dmitriy");				/* BGN/PCGN, as English records write it */
	check("Ольга", "olga");					/* soft sign dropped, not a separator */
	check("Наталья Соловьёва", "natalya solovyeva");	/* the soft sign is no separator */
	check("ОБЪЕКТ", "obyekt");					/* hard sign too */
	check("ь", "");
	check("ДМИТРИЙ Иванов", "dmitriy ivanov");
	check("Παπαδόπουλος", "papadopoulos");
	check("ΣΊΣΥΦΟΣ", "sisyfos");				/* ELOT 743; final sigma folds like sigma */
	check("北京", "bei jing");
	check("Straße", "strasse");
	check("STRASSE", "strasse");
	check("İstanbul", "istanbul");				/* dotted capital I: i + dot, dot dropped */
	check("Ærøskøbing", "aeroskobing");
	check("Łódź", "lodz");
	check("ﬁnance", "finance");				/* ligature (NFKC) */
	check("ＡＢＣ　１２３", "abc 123");		/* full-width letters, digits, space */
	check("Jose\xcc\x81 Garci\xcc\x81" "a", "jose garcia");	/* combining acute */
	check("Bob \xf0\x9f\x98\x80 Smith", "bob smith");		/* emoji is a separator */
	check("O'Brien-Smith, Jr.", "o brien smith jr");
	check("a\xc2\xa0" "b\tc\nd", "a b c d");	/* NBSP, tab, newline */
	check("co\xc2\xad" "operate", "cooperate");	/* soft hyphen is ignorable */
	check("\xd9\xa4\xd9\xa1\xd9\xa5", "415");	/* Arabic-Indic digits */
	check("①②", "12");							/* circled digits (NFKC) */
	check("½", "1 2");							/* 1/2: the fraction slash separates */
	check("", "");
	check("   ", "");
	check("!!! ... ---", "");
	check("\xf0\x9f\x98\x80", "");
	check("Müller", "muller");
	check("MUELLER", "mueller");
}

/* The ASCII fast path gives what the ICU pipeline gives. */
static void
ascii_path(void)
{
	static const char alphabet[] = "aZ09 .,-'_!?/\\@#\t~AbCxyz";
	char		s[64],
				fast[64];
	int			bad = 0;

	for (int t = 0; t < 20000; t++)
	{
		size_t		len = unit_rand() % 40,
					k;
		char	   *slow;

		for (k = 0; k < len; k++)
			s[k] = alphabet[unit_rand() % (sizeof(alphabet) - 1)];
		s[len] = '\0';
		k = cdm_fold_ascii(s, len, fast);
		fast[k] = '\0';
		slow = fold_utf8(s);
		if (strcmp(fast, slow) != 0 && bad++ < 5)
			fprintf(stderr, "  ascii '%s': fast '%s' icu '%s'\n", s, fast, slow);
		free(slow);
	}
	CHECK_INT(bad, 0, "ASCII fast path = ICU pipeline on 20000 random strings");
}

/* The Latin table gives what ICU gives, for every table character in context. */
static void
latin_table(void)
{
	int			bad = 0,
				n = 0;

	for (cdm_char c = 0x80; c < 0x1F00; c++)
	{
		char		s[32];
		char	   *a,
				   *b;
		size_t		k = 0;

		if (c == 0x250)
			c = 0x1E00;
		/* in a word, at its end, and doubled */
		s[k++] = 'k';
		k += (size_t) cdm_utf8_encode(c, s + k);
		s[k++] = 'a';
		k += (size_t) cdm_utf8_encode(c, s + k);
		k += (size_t) cdm_utf8_encode(c, s + k);
		s[k++] = ' ';
		k += (size_t) cdm_utf8_encode(c, s + k);
		s[k] = '\0';
		cdm_fold_use_tables = true;
		a = fold_utf8(s);
		cdm_fold_use_tables = false;
		b = fold_utf8(s);
		cdm_fold_use_tables = true;
		n++;
		if (strcmp(a, b) != 0 && bad++ < 5)
			fprintf(stderr, "  U+%04X: table '%s' icu '%s'\n", (unsigned) c, a, b);
		free(a);
		free(b);
	}
	CHECK_INT(bad, 0, "Latin table = ICU for all %d table characters", n);
}

/* A cache hit replays exactly what ICU gives, whatever surrounds the word. */
static void
word_cache(void)
{
	static const char *const words[] = {
		"Дмитрий", "ИВАНОВ", "北京", "たなか", "محمد", "Παπαδόπουλος", "ΣΊΣΥΦΟΣ",
		"Ì" "abc", "xÌ", "JosÃ©×", "â", "ð",
		"①", "½", "ǅemal", "Ærø", "Ù¤Ù¡", "домÌ", "ĳssel", "ﬁ"
	};
	static const char *const seps[] = {" ", "-", ", ", "", "'"};
	int			nw = (int) (sizeof(words) / sizeof(words[0]));
	int			bad = 0;

	for (int t = 0; t < 3000; t++)
	{
		char		s[256];
		char	   *with,
				   *again,
				   *without;
		int			k = 0;

		s[0] = '\0';
		for (int w = 0; w < 1 + (int) (unit_rand() % 4); w++)
		{
			if (w > 0)
				k += snprintf(s + k, sizeof(s) - k, "%s", seps[unit_rand() % 5]);
			k += snprintf(s + k, sizeof(s) - k, "%s", words[unit_rand() % nw]);
		}
		cdm_fold_use_cache = false;
		cdm_fold_use_tables = false;	/* ICU's whole chain, nothing else */
		without = fold_utf8(s);
		cdm_fold_use_tables = true;
		cdm_fold_use_cache = true;
		with = fold_utf8(s);
		again = fold_utf8(s);
		if ((strcmp(with, without) != 0 || strcmp(again, without) != 0) && bad++ < 5)
			fprintf(stderr, "  '%s': cached '%s' / '%s', uncached '%s'\n", s, with, again, without);
		free(with);
		free(again);
		free(without);
	}
	CHECK_INT(bad, 0, "word cache and tables: 3000 mixed strings fold as ICU's whole chain folds them");

	/* every Greek, Cyrillic, Armenian, Hebrew, Arabic, kana and some Han letters, in words */
	{
		static const cdm_char blocks[][2] = {
			{0x0370, 0x0700}, {0x3040, 0x3100}, {0x4E00, 0x4F00}, {0xAC00, 0xAC80}
		};
		int			n = 0;

		bad = 0;
		for (int b = 0; b < 4; b++)
		{
			for (cdm_char c = blocks[b][0]; c < blocks[b][1]; c++)
			{
				char		s[32];
				char	   *fast,
						   *slow;
				size_t		k = 0;

				k += (size_t) cdm_utf8_encode(c, s + k);
				k += (size_t) cdm_utf8_encode(0x0430 + (c % 32), s + k);
				k += (size_t) cdm_utf8_encode(c, s + k);
				s[k++] = ' ';
				k += (size_t) cdm_utf8_encode(c, s + k);
				s[k] = '\0';
				fast = fold_utf8(s);
				cdm_fold_use_tables = false;
				cdm_fold_use_cache = false;
				slow = fold_utf8(s);
				cdm_fold_use_tables = true;
				cdm_fold_use_cache = true;
				n++;
				if (strcmp(fast, slow) != 0 && bad++ < 5)
					fprintf(stderr, "  U+%04X: fast '%s' ICU chain '%s'\n", (unsigned) c, fast, slow);
				free(fast);
				free(slow);
			}
		}
		CHECK_INT(bad, 0, "Any-Latin + table = ICU's whole chain for %d letters of other scripts", n);
	}
}

/* Every column of a row folds the same; folding twice changes nothing. */
static void
normalization_vectors(void)
{
	CsvReader  *r = csv_open(dir, "normalization__unicode.csv");
	const char *cols[] = {"source", "nfc", "nfd", "nfkc", "nfkd"};
	int			ix[5];
	char	   *f[8];
	int			rows = 0,
				bad = 0,
				unstable = 0,
				fast_bad = 0;

	for (int i = 0; i < 5; i++)
		ix[i] = csv_column(r, cols[i]);
	while (csv_next(r, f, 8) > 0)
	{
		char	   *want = fold_utf8(f[ix[0]]);
		char	   *again = fold_utf8(want);
		char	   *icu;

		cdm_fold_use_tables = false;
		cdm_fold_use_cache = false;
		icu = fold_utf8(f[ix[0]]);
		cdm_fold_use_tables = true;
		cdm_fold_use_cache = true;
		if (strcmp(icu, want) != 0 && fast_bad++ < 5)
			fprintf(stderr, "  row %d: tables/cache '%s' vs ICU chain '%s'\n", rows + 1, want, icu);
		free(icu);

		rows++;
		for (int i = 1; i < 5; i++)
		{
			char	   *got = fold_utf8(f[ix[i]]);

			if (strcmp(got, want) != 0 && bad++ < 5)
				fprintf(stderr, "  row %d %s: '%s' vs source '%s'\n", rows, cols[i], got, want);
			free(got);
		}
		if (strcmp(again, want) != 0 && unstable++ < 5)
			fprintf(stderr, "  row %d: fold twice '%s' vs once '%s'\n", rows, again, want);
		free(want);
		free(again);
	}
	csv_close(r);
	CHECK_INT(bad, 0, "normalization__unicode.csv: fold equal over all 5 forms (%d rows)", rows);
	CHECK_INT(unstable, 0, "normalization__unicode.csv: fold idempotent (%d rows)", rows);
	CHECK_INT(fast_bad, 0, "normalization__unicode.csv: tables and cache = ICU's whole chain (%d rows)", rows);
	CHECK(rows > 19000, "normalization__unicode.csv read (%d rows)", rows);
}

/* fold(a) = fold(expected): case, accents and compatibility forms are invisible. */
static void
invariant_file(const char *file)
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
		char	   *ga = fold_utf8(f[ca]);
		char	   *ge = fold_utf8(f[ce]);

		if (dev)
			CHECK_STR(ga, dev, "%s: fold('%s') documented deviation", file, f[ca]);
		else
			CHECK_STR(ga, ge, "%s: fold('%s') = fold('%s')", file, f[ca], f[ce]);
		free(ga);
		free(ge);
	}
	csv_close(r);
	printf("  %s: %d passed, %d failed\n", file, unit_passed - p0, unit_failed - f0);
}

/* Buffers: a short cap reports the length needed; a megabyte is cancellable. */
static void
limits(void)
{
	const char *err;
	cdm_char	in[] = {0x5317, 0x4EAC, ' ', 'x'};	/* 北京 x */
	cdm_char	small[3];
	cdm_char	big[32];
	ptrdiff_t	need = cdm_fold(in, 4, small, 3, &err);
	ptrdiff_t	got = cdm_fold(in, 4, big, 32, &err);

	CHECK_INT(need, 10, "length reported past the cap ('bei jing x')");
	CHECK_INT(got, need, "same length with room");

	{
		size_t		n = 1 << 20;
		cdm_char   *s = malloc(n * sizeof(cdm_char));
		cdm_char   *o = malloc(2 * n * sizeof(cdm_char));
		ptrdiff_t	m;

		/* one megabyte "word" of Cyrillic with combining marks: no separators */
		for (size_t i = 0; i < n; i++)
			s[i] = (i % 3 == 2) ? 0x0301 : 0x0430 + (cdm_char) (i % 32);
		unit_interrupts = 0;
		cdm_check_interrupts = unit_count_interrupt;
		m = cdm_fold(s, n, o, 2 * n, &err);
		cdm_check_interrupts = NULL;
		CHECK(m > 0 && m <= (ptrdiff_t) (2 * n), "1M code points folded (%td)", m);
		CHECK(unit_interrupts > 100, "interrupt checks on a long input (%ld)", unit_interrupts);
		free(s);
		free(o);
	}
}

int
main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "test/conformance/data";
	examples();
	ascii_path();
	latin_table();
	word_cache();
	normalization_vectors();
	invariant_file("casefold_full__unicode.csv");
	invariant_file("casefold_simple__unicode.csv");
	invariant_file("unaccent__postgres.csv");
	invariant_file("remove_accents__commons_codec.csv");
	limits();
	return unit_report("fold");
}
