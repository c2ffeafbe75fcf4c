/*
 * test_edit_distance.c - Levenshtein (plain and bounded), true Damerau,
 * OSA and Hamming: published vectors, and the bit-parallel paths checked
 * against the textbook dynamic programme on random strings.
 */
#include "unit.h"

#include "damerau.h"
#include "hamming.h"
#include "levenshtein.h"

static void *
ws(size_t bytes)
{
	return malloc(bytes ? bytes : 1);
}

static int64_t
lev(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int64_t max)
{
	void	   *w = ws(cdm_levenshtein_workspace(m, n));
	int64_t		d = cdm_levenshtein(a, m, b, n, max, w);

	free(w);
	return d;
}

static int64_t
osa(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	void	   *w = ws(cdm_osa_workspace(m, n));
	int64_t		d = cdm_osa_distance(a, m, b, n, w);

	free(w);
	return d;
}

static int64_t
dl(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	size_t		bytes = cdm_damerau_workspace(a, m, b, n);
	void	   *w;
	int64_t		d;

	if (bytes == 0)
		return -1;
	w = ws(bytes);
	d = cdm_damerau_levenshtein(a, m, b, n, w);
	free(w);
	return d;
}

/* Reference: the plain O(mn) recurrence, optionally with OSA transpositions. */
static int64_t
naive(const cdm_char *a, size_t m, const cdm_char *b, size_t n, bool transpose)
{
	int64_t    *d = malloc((m + 1) * (n + 1) * sizeof(int64_t));
	int64_t		r;

#define D(i, j) d[(i) * (n + 1) + (j)]
	for (size_t i = 0; i <= m; i++)
		D(i, 0) = (int64_t) i;
	for (size_t j = 0; j <= n; j++)
		D(0, j) = (int64_t) j;
	for (size_t i = 1; i <= m; i++)
		for (size_t j = 1; j <= n; j++)
		{
			int64_t		v = D(i - 1, j - 1) + (a[i - 1] != b[j - 1]);

			if (D(i - 1, j) + 1 < v)
				v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (transpose && i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
				a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	r = D(m, n);
#undef D
	free(d);
	return r;
}

/* Random strings over a small alphabet (so they share a lot), some non-ASCII. */
static const cdm_char random_letters[] = {'a', 'b', 'c', 'd', 0xE9, 0x4E2D, 0x1F600, 'e'};

static void
random_checks(void)
{
	static cdm_char a[400];
	static cdm_char b[400];
	int			bad_lev = 0,
				bad_bound = 0,
				bad_osa = 0,
				bad_dl = 0;
	int			trials = 3000;

	for (int t = 0; t < trials; t++)
	{
		/* lengths straddle the 64-code-point word boundary */
		size_t		m = unit_rand() % (t % 3 == 0 ? 300 : 80);
		size_t		n = unit_rand() % (t % 3 == 0 ? 300 : 80);
		int			alpha = 2 + (int) (unit_rand() % 7);
		int64_t		want,
					wosa,
					got,
					max;

		unit_random_string(a, m, random_letters, alpha);
		unit_random_string(b, n, random_letters, alpha);
		if (t % 4 == 0 && m > 0 && n >= m)
		{
			/* near-duplicates: b is a with a few edits */
			memcpy(b, a, m * sizeof(cdm_char));
			n = m;
			for (int e = 0; e < 3; e++)
				b[unit_rand() % n] = 'z';
		}
		want = naive(a, m, b, n, false);
		wosa = naive(a, m, b, n, true);
		got = lev(a, m, b, n, -1);
		bad_lev += got != want;
		max = (int64_t) (unit_rand() % 40);
		got = lev(a, m, b, n, max);
		bad_bound += got != (want <= max ? want : max + 1);
		bad_osa += osa(a, m, b, n) != wosa;
		got = dl(a, m, b, n);
		/* true DL never exceeds OSA, and is at least half of it */
		bad_dl += !(got <= wosa && 2 * got >= wosa && got >= 0);
	}
	CHECK(bad_lev == 0, "levenshtein differs from the DP on %d of %d random pairs", bad_lev, trials);
	CHECK(bad_bound == 0, "bounded levenshtein wrong on %d of %d random pairs", bad_bound, trials);
	CHECK(bad_osa == 0, "osa differs from the DP on %d of %d random pairs", bad_osa, trials);
	CHECK(bad_dl == 0, "damerau outside [osa/2, osa] on %d of %d random pairs", bad_dl, trials);
}

/* Run one vector file: kind selects the function. */
static void
run_file(const char *dir, const char *file, char kind)
{
	CsvReader  *r = csv_open(dir, file);
	char	   *f[8];
	int			nf;
	int			col_max = csv_column(r, "max_d");
	int			col_exp = csv_column(r, "expected");
	int			rows = 0;

	while ((nf = csv_next(r, f, 8)) > 0)
	{
		size_t		m,
					n;
		cdm_char   *a = utf8_to_cps(f[0], &m);
		cdm_char   *b = utf8_to_cps(f[1], &n);
		const char *dev = deviation_for(dir, file, f[0], f[1]);
		int64_t		got = 0;
		char		buf[64];

		switch (kind)
		{
			case 'l':
				got = lev(a, m, b, n, col_max >= 0 ? atoll(f[col_max]) : -1);
				break;
			case 'o':
				got = osa(a, m, b, n);
				break;
			case 'd':
				got = dl(a, m, b, n);
				break;
			case 'h':
				got = cdm_hamming(a, m, b, n);
				break;
		}
		/* -1 is how the core reports unequal lengths: SQL raises 22023 */
		if (got < 0)
			snprintf(buf, sizeof(buf), "ERROR 22023");
		else
			snprintf(buf, sizeof(buf), "%lld", (long long) got);
		if (dev)
			CHECK_STR(buf, dev, "%s deviation ('%s','%s')", file, f[0], f[1]);
		else if (col_max >= 0)
			/* less_equal: the exact value if <= max, anything > max otherwise */
			CHECK(got == atoll(f[col_exp]) ||
				  (atoll(f[col_exp]) > atoll(f[col_max]) && got > atoll(f[col_max])),
				  "%s ('%s','%s',%s): got %lld want %s", file, f[0], f[1], f[col_max],
				  (long long) got, f[col_exp]);
		else
			CHECK_STR(buf, f[col_exp], "%s ('%s','%s')", file, f[0], f[1]);
		free(a);
		free(b);
		rows++;
	}
	CHECK(rows > 0, "%s has rows", file);
	csv_close(r);
}

static void
hand_checks(void)
{
	size_t		m,
				n;
	cdm_char   *a,
			   *b;
	cdm_char   *big1,
			   *big2;
	size_t		big = 50000;

	/* code points, not bytes: 'é' vs 'e' is one substitution */
	a = utf8_to_cps("caf\xc3\xa9", &m);
	b = utf8_to_cps("cafe", &n);
	CHECK_INT(lev(a, m, b, n, -1), 1, "café/cafe");
	free(a);
	free(b);
	/* combining sequences count each code point: e + U+0301 vs é is 2 edits */
	a = utf8_to_cps("e\xcc\x81", &m);
	b = utf8_to_cps("\xc3\xa9", &n);
	CHECK_INT(lev(a, m, b, n, -1), 2, "decomposed vs precomposed");
	free(a);
	free(b);
	/* transposition discriminators between OSA and true DL */
	a = utf8_to_cps("ca", &m);
	b = utf8_to_cps("abc", &n);
	CHECK_INT(osa(a, m, b, n), 3, "osa ca/abc");
	CHECK_INT(dl(a, m, b, n), 2, "dl ca/abc");
	free(a);
	free(b);
	/* bound 0 means "equal or not" */
	a = utf8_to_cps("smith", &m);
	b = utf8_to_cps("smyth", &n);
	CHECK_INT(lev(a, m, b, n, 0), 1, "bound 0");
	CHECK_INT(lev(a, m, b, n, 5), 1, "bound above");
	free(a);
	free(b);

	/* long inputs: far past 255 characters, and past one 64-bit word */
	big1 = malloc(big * sizeof(cdm_char));
	big2 = malloc(big * sizeof(cdm_char));
	for (size_t i = 0; i < big; i++)
		big1[i] = big2[i] = 'a' + (cdm_char) (i % 26);
	big2[big / 2] = 0x4E2D;
	big2[10] = 'Z';
	CHECK_INT(lev(big1, big, big2, big, -1), 2, "50k code points, 2 edits");
	CHECK_INT(lev(big1, big, big2, big, 1), 2, "50k bounded at 1 -> 2");
	CHECK_INT(lev(big1, big, big2, big - 1000, 3), 4, "50k length gap over bound");
	CHECK_INT(osa(big1, big, big2, big), 2, "osa 50k");
	CHECK_INT(cdm_hamming(big1, big, big2, big), 2, "hamming 50k");
	/* the middle 3000 characters differ nearly everywhere: exercises the block and band paths */
	for (size_t i = 1000; i < 4000; i++)
		big2[i] = 'A' + (cdm_char) (i % 7);
	CHECK_INT(lev(big1, 5000, big2, 5000, -1), naive(big1, 5000, big2, 5000, false), "5000 blocks");
	CHECK_INT(lev(big1, 5000, big2, 5000, 10), 11, "5000 band early exit");
	CHECK_INT(dl(big1, 5000, big2, 5000) >= 0, 1, "damerau 5000 within the limit");
	CHECK_INT(dl(big1, big, big2, big), -1, "damerau 50k over the cell limit");
	free(big1);
	free(big2);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/conformance/data";

	run_file(dir, "levenshtein__jellyfish.csv", 'l');
	run_file(dir, "levenshtein__postgres.csv", 'l');
	run_file(dir, "levenshtein__strsim.csv", 'l');
	run_file(dir, "levenshtein__talisman.csv", 'l');
	run_file(dir, "levenshtein_less_equal__postgres.csv", 'l');
	run_file(dir, "damerau_levenshtein_osa__strsim.csv", 'o');
	run_file(dir, "damerau_levenshtein_osa__talisman.csv", 'o');
	run_file(dir, "damerau_levenshtein_true__jellyfish.csv", 'd');
	run_file(dir, "damerau_levenshtein_true__strsim.csv", 'd');
	run_file(dir, "hamming__jellyfish.csv", 'h');
	run_file(dir, "hamming__strsim.csv", 'h');
	run_file(dir, "hamming__talisman.csv", 'h');
	hand_checks();
	random_checks();
	return unit_report("edit_distance");
}
