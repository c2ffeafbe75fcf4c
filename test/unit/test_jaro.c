/*
 * test_jaro.c - Jaro and Jaro-Winkler: every row of the published vector
 * files (with each file's tolerance, deviations pinned), hand-made edge
 * cases, both matching paths against the textbook algorithm on random
 * strings, and 1 MB inputs.
 */
#include "unit.h"

#include "jaro.h"

#include <math.h>
#include <time.h>

static double
call(bool winkler, const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	size_t		bytes = cdm_jaro_workspace(m, n);
	void	   *w = bytes ? malloc(bytes) : NULL;
	double		r = winkler ? cdm_jaro_winkler(a, m, b, n, w) : cdm_jaro(a, m, b, n, w);

	free(w);
	return r;
}

static double
call_utf8(bool winkler, const char *sa, const char *sb)
{
	size_t		m,
				n;
	cdm_char   *a = utf8_to_cps(sa, &m);
	cdm_char   *b = utf8_to_cps(sb, &n);
	double		r = call(winkler, a, m, b, n);

	free(a);
	free(b);
	return r;
}

/*
 * The textbook algorithm (Jaro 1989 as transcribed in every reference):
 * flags arrays, a[i] scans its window left to right for a free equal b[j].
 */
static double
naive_jaro(const cdm_char *a, size_t m, const cdm_char *b, size_t n, bool winkler)
{
	bool	   *fa,
			   *fb;
	size_t		mx = m > n ? m : n;
	size_t		w = mx / 2 > 0 ? mx / 2 - 1 : 0;
	size_t		c = 0,
				k = 0,
				j = 0;
	double		r;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	fa = calloc(m, 1);
	fb = calloc(n, 1);
	for (size_t i = 0; i < m; i++)
	{
		size_t		lo = i > w ? i - w : 0;
		size_t		hi = i + w < n - 1 ? i + w : n - 1;

		for (size_t x = lo; x <= hi && lo < n; x++)
			if (!fb[x] && b[x] == a[i])
			{
				fa[i] = fb[x] = true;
				c++;
				break;
			}
	}
	for (size_t i = 0; i < m; i++)
		if (fa[i])
		{
			while (!fb[j])
				j++;
			k += a[i] != b[j];
			j++;
		}
	free(fa);
	free(fb);
	if (c == 0)
		return 0.0;
	r = ((double) c / (double) m + (double) c / (double) n +
		 ((double) c - (double) (k / 2)) / (double) c) / 3.0;
	if (winkler && 10 * ((uint64_t) c * c * n + (uint64_t) c * c * m + (uint64_t) (c - k / 2) * m * n) > 21 * (uint64_t) m * n * c)
	{
		size_t		l = 0;

		while (l < 4 && l < m && l < n && a[l] == b[l])
			l++;
		r += (double) l * 0.1 * (1.0 - r);
	}
	return r;
}

/* ------------------------------------------------------------ conformance */

static void
run_file(const char *dir, const char *file, bool winkler, double tol)
{
	CsvReader  *r = csv_open(dir, file);
	int			col_exp = csv_column(r, "expected");
	int			col_tol = csv_column(r, "tolerance");
	char	   *f[8];
	int			nf;
	int			before_p = unit_passed,
				before_f = unit_failed,
				devs = 0;

	while ((nf = csv_next(r, f, 8)) > 0)
	{
		double		got,
					want,
					t = tol;
		const char *dev;

		if (nf <= col_exp)
			continue;
		got = call_utf8(winkler, f[0], f[1]);
		dev = deviation_for(dir, file, f[0], f[1]);
		if (dev)
		{
			char		buf[64];

			snprintf(buf, sizeof(buf), "%.6f", got);
			CHECK_STR(buf, dev, "%s deviation ('%s','%s')", file, f[0], f[1]);
			devs++;
			continue;
		}
		want = atof(f[col_exp]);
		if (col_tol >= 0 && nf > col_tol)
			t = strcmp(f[col_tol], "exact") == 0 ? 0.0 : atof(f[col_tol]);
		if (t == 0.0)
			CHECK(got == want, "%s ('%s','%s'): got %.17g want exactly %s",
				  file, f[0], f[1], got, f[col_exp]);
		else
			CHECK(fabs(got - want) <= t, "%s ('%s','%s'): got %.6f want %s +- %g",
				  file, f[0], f[1], got, f[col_exp], t);
	}
	csv_close(r);
	printf("  %-34s %d passed, %d failed (%d pinned deviations)\n", file,
		   unit_passed - before_p, unit_failed - before_f, devs);
}

/* ------------------------------------------------------------- hand cases */

static void
hand_checks(void)
{
	cdm_char	x = 'x';

	/* empty strings: identical empties are 1, empty vs non-empty 0 */
	CHECK(cdm_jaro(NULL, 0, NULL, 0, NULL) == 1.0, "jaro('','')");
	CHECK(cdm_jaro_winkler(NULL, 0, NULL, 0, NULL) == 1.0, "jw('','')");
	CHECK(cdm_jaro(&x, 1, NULL, 0, NULL) == 0.0, "jaro('x','')");
	CHECK(cdm_jaro_winkler(NULL, 0, &x, 1, NULL) == 0.0, "jw('','x')");
	CHECK(cdm_jaro_workspace(64, 64) == 0 && cdm_jaro_workspace(65, 3) > 0,
		  "workspace is 0 exactly on the short path");

	/* window floor(3/2)-1 = 0: only aligned characters match */
	CHECK(call_utf8(false, "abc", "bca") == 0.0, "window 0: abc/bca = 0");
	/* 'ab'/'ba': window 0, no match; 'abcd'/'badc': window 1, all match, t=2 */
	CHECK(call_utf8(false, "ab", "ba") == 0.0, "ab/ba = 0");
	CHECK(fabs(call_utf8(false, "abcd", "badc") - (1 + 1 + 2.0 / 4) / 3) < 1e-15,
		  "abcd/badc: 4 matches, 4 out of order, t = 2");
	/*
	 * Odd k, where floor matters: 'abcdef' vs 'abcefd' (window 2): d->b[5],
	 * e->b[3], f->b[4]; matched b reads abcefd: 3 differ, t = floor(3/2) = 1,
	 * J = (1 + 1 + 5/6) / 3 (t = 1.5 would give 0.916667).
	 */
	CHECK(fabs(call_utf8(false, "abcdef", "abcefd") - (2 + 5.0 / 6) / 3) < 1e-15,
		  "abcdef/abcefd: k = 3, t = 1");

	/*
	 * t = floor(k/2): 'abcdef' vs 'bcafde' (window 2).  a->b[2], b->b[0],
	 * c->b[1], d->b[4], e->b[5], f->b[3]; matched a: abcdef, matched b:
	 * bcafde -> all 6 differ, t = 3.  J = (1 + 1 + 3/6) / 3.
	 */
	CHECK(fabs(call_utf8(false, "abcdef", "bcafde") - 2.5 / 3) < 1e-15,
		  "abcdef/bcafde: t = 3");

	/*
	 * Prefix cap: 'abcdefgh' vs 'abcdefgx': J = (7/8 + 7/8 + 1) / 3 =
	 * 0.916667, JW = J + 4 * 0.1 * (1 - J) (5 common leading, capped at 4).
	 */
	{
		double		j = (7.0 / 8 + 7.0 / 8 + 1) / 3;

		CHECK(fabs(call_utf8(true, "abcdefgh", "abcdefgx") - (j + 0.4 * (1 - j))) < 1e-15,
			  "prefix capped at 4");
	}

	/*
	 * Threshold tie: 'a' vs 'abcdefghij' is exactly 7/10 (the double
	 * (1/10 + 1 + 1)/3 is 0.7000000000000001): the boost applies only above
	 * 0.7, decided exactly, so Jaro-Winkler stays at Jaro.
	 */
	{
		double		j = call_utf8(false, "a", "abcdefghij");
		double		jw = call_utf8(true, "a", "abcdefghij");

		CHECK(j > 0.7 && fabs(j - 0.7) < 1e-15, "tie: jaro %.17g", j);
		CHECK(jw == j, "exact 7/10 is not boosted: %.17g", jw);
		/* one more matching character tips it over: 'ab' vs 'abcdefghij' */
		CHECK(call_utf8(true, "ab", "abcdefghij") > call_utf8(false, "ab", "abcdefghij"),
			  "above 7/10 is boosted");
	}
	/* below threshold: no boost even with a common prefix */
	CHECK(call_utf8(true, "Duane", "Freakishlylongstring") ==
		  call_utf8(false, "Duane", "Freakishlylongstring"), "no boost below 0.7");

	/* non-ASCII that collides with ASCII in the 128-slot table */
	CHECK(call_utf8(false, "\xc3\xa1" "bc", "abc") == call_utf8(false, "xbc", "abc"),
		  "U+00E1 does not match 'a' (same slot)");
	CHECK(call_utf8(false, "\xe4\xb9\xa1\xc3\xa1" "a", "a\xc3\xa1\xe4\xb9\xa1") ==
		  naive_jaro((cdm_char[]) {0x4E61, 0xE1, 'a'}, 3, (cdm_char[]) {'a', 0xE1, 0x4E61}, 3, false),
		  "three characters sharing slot 0x61");
	/* case-sensitive, no folding */
	CHECK(call_utf8(false, "ABC", "abc") == 0.0, "case-sensitive");
	/* exactly 64 code points (the last short-path length) */
	{
		cdm_char	s[64],
					t[64];

		for (int i = 0; i < 64; i++)
			s[i] = t[i] = 'a' + i % 26;
		t[63] = 'Z';
		CHECK(call(false, s, 64, s, 64) == 1.0, "64 identical");
		CHECK(call(true, s, 64, t, 64) == naive_jaro(s, 64, t, 64, true), "64, one differs");
	}
}

/* ---------------------------------------------------------- random checks */

/* 'a', U+00E1, U+4E61 share a table slot; U+1F600 is astral */
static const cdm_char random_letters[] = {'a', 'b', 0xE1, 'c', 0x4E61, 'd', 0x1F600, 'e', 'f', 'g'};

static void
random_checks(void)
{
	static cdm_char a[3000];
	static cdm_char b[3000];
	int			bad = 0,
				trials = 20000;

	for (int t = 0; t < trials; t++)
	{
		size_t		cap = t % 5 == 0 ? 300 : (t % 97 == 0 ? 3000 : 80);
		size_t		m = unit_rand() % cap;
		size_t		n = unit_rand() % cap;
		int			alpha = 2 + (int) (unit_rand() % 9);

		unit_random_string(a, m, random_letters, alpha);
		if (t % 3 == 0)
		{
			/* b: a with a few edits, so there are many matches */
			n = m;
			memcpy(b, a, m * sizeof(cdm_char));
			for (int e = 0; e < 3 && n > 1; e++)
			{
				size_t		p = unit_rand() % (n - 1);
				cdm_char	tmp = b[p];

				b[p] = b[p + 1];
				b[p + 1] = tmp;
			}
		}
		else
			unit_random_string(b, n, random_letters, alpha);
		for (int wk = 0; wk < 2; wk++)
		{
			double		got = call(wk, a, m, b, n);
			double		want = naive_jaro(a, m, b, n, wk);

			if (got != want)
			{
				if (bad++ < 5)
					fprintf(stderr, "  random m=%zu n=%zu jw=%d got %.17g want %.17g\n",
							m, n, wk, got, want);
			}
		}
	}
	CHECK(bad == 0, "%d of %d random pairs differ from the textbook algorithm", bad, 2 * trials);
}

/* ---------------------------------------------------------------- 1 MB */


static void
long_checks(void)
{
	size_t		n = 1 << 20;
	cdm_char   *a = malloc(n * sizeof(cdm_char));
	cdm_char   *b = malloc(n * sizeof(cdm_char));
	clock_t		t0;
	double		r,
				secs;

	unit_interrupts = 0;
	cdm_check_interrupts = unit_count_interrupt;

	/* 'abab..' vs 'baba..': every character matches, all out of order */
	for (size_t i = 0; i < n; i++)
	{
		a[i] = i % 2 ? 'b' : 'a';
		b[i] = i % 2 ? 'a' : 'b';
	}
	t0 = clock();
	r = call(false, a, n, b, n);
	secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
	CHECK(fabs(r - 2.5 / 3) < 1e-15, "1M abab/baba: got %.17g want 0.8333", r);
	CHECK(unit_interrupts > 100, "1M: interrupts checked (%ld times)", unit_interrupts);
	CHECK(secs < 2.0, "1M x 1M took %.3f s", secs);
	printf("  jaro 1M x 1M code points: %.3f s, %ld interrupt checks\n", secs, unit_interrupts);

	/* identical, non-ASCII */
	for (size_t i = 0; i < n; i++)
		a[i] = b[i] = 0x400 + (cdm_char) (unit_rand() % 2000);
	CHECK(call(true, a, n, b, n) == 1.0, "1M identical Cyrillic-ish");
	/* disjoint alphabets */
	for (size_t i = 0; i < n; i++)
		b[i] = 'a' + (cdm_char) (i % 26);
	CHECK(call(true, a, n, b, n) == 0.0, "1M disjoint");
	/* long against short: 'abc' vs 1M: window ~ 512K, 3 matches */
	{
		cdm_char	s[3] = {'a', 'b', 'c'};
		double		want = (1.0 + 3.0 / (double) n + 1.0) / 3.0;

		CHECK(call(false, s, 3, b, n) == want, "abc vs 1M alphabet");
		CHECK(call(false, b, n, s, 3) == want, "1M alphabet vs abc");
	}
	cdm_check_interrupts = NULL;
	free(a);
	free(b);
}

/*
 * White-box: code points chosen to fill one contiguous run of the long
 * path's hash table (Fibonacci hashing on 2^16 slots for n = 20000 to
 * 32767), then looked up by absent code points landing inside it, so a
 * lookup would probe thousands of slots.  The probing budget must hand
 * such input to the sorting path: right result, few interrupt checks.
 * (Build with -DCDM_JARO_FORCE_SORTED to run every test through it.)
 */
static void
clustered_checks(void)
{
	size_t		pool = 20000;
	cdm_char   *in = malloc(pool * sizeof(cdm_char));
	cdm_char   *out = malloc(pool * sizeof(cdm_char));
	bool	   *taken = calloc(pool, 1);
	size_t		nin = 0,
				nout = 0;

	for (cdm_char c = 0x20; c <= 0x10FFFF && (nin < pool || nout < pool); c++)
	{
		size_t		s = (size_t) (((uint64_t) c * UINT64_C(0x9E3779B97F4A7C15)) >> 48);

		if (s < pool && !taken[s] && nin < pool)
		{
			taken[s] = true;
			in[nin++] = c;
		}
		else if (s < pool && nout < pool)
			out[nout++] = c;
	}
	CHECK(nin == pool && nout == pool, "clustered input built");

	for (int variant = 0; variant < 3; variant++)
	{
		size_t		n = pool + 5000 * (size_t) variant;
		size_t		m = n - 1000 * (size_t) variant;
		cdm_char   *a = malloc(m * sizeof(cdm_char));
		cdm_char   *b = malloc(n * sizeof(cdm_char));
		double		got,
					want;
		clock_t		t0;

		/* b: every clustered character once, shuffled, then repeats */
		memcpy(b, in, pool * sizeof(cdm_char));
		for (size_t i = pool - 1; i > 0; i--)
		{
			size_t		j = unit_rand() % (i + 1);
			cdm_char	t = b[i];

			b[i] = b[j];
			b[j] = t;
		}
		for (size_t i = pool; i < n; i++)
			b[i] = in[unit_rand() % 50];
		/* a: b's characters from nearby positions, or absent ones */
		for (size_t i = 0; i < m; i++)
		{
			size_t		near = i + unit_rand() % 21;

			a[i] = unit_rand() % 2 && near >= 10 && near - 10 < n ?
				b[near - 10] : out[unit_rand() % pool];
		}
		unit_interrupts = 0;
		cdm_check_interrupts = unit_count_interrupt;
		t0 = clock();
		got = call(variant == 2, a, m, b, n);
		if (variant == 0)
			printf("  jaro %zuK x %zuK clustered in the hash table: %.3f s, "
				   "%ld interrupt checks\n", m / 1000, n / 1000,
				   (double) (clock() - t0) / CLOCKS_PER_SEC, unit_interrupts);
		cdm_check_interrupts = NULL;
		want = naive_jaro(a, m, b, n, variant == 2);
		CHECK(got == want, "clustered %d: got %.17g want %.17g", variant, got, want);
		CHECK(unit_interrupts < 1000, "clustered %d: %ld interrupt checks: the "
			  "probing was not cut short", variant, unit_interrupts);
		free(a);
		free(b);
	}
	free(in);
	free(out);
	free(taken);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/conformance/data";

	run_file(dir, "jaro__jellyfish.csv", false, 0.001);
	run_file(dir, "jaro__strsim.csv", false, 0.001);
	run_file(dir, "jaro__talisman.csv", false, 0.01);
	run_file(dir, "jaro__winkler1994.csv", false, 0.0005);
	run_file(dir, "jaro_winkler__jellyfish.csv", true, 0.001);
	run_file(dir, "jaro_winkler__strsim.csv", true, 0.001);
	run_file(dir, "jaro_winkler__talisman.csv", true, 0.01);
	run_file(dir, "jaro_winkler__winkler1994.csv", true, 0.0005);
	hand_checks();
	random_checks();
	long_checks();
	clustered_checks();
	return unit_report("jaro");
}
