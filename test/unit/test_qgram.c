/*
 * test_qgram.c - q-gram Jaccard similarity: hand-computed cases, the
 * character-set Jaccard vectors (q = 1), a brute-force reference on random
 * strings (both the packed q <= 3 and the hashed q > 3 keys, both sides of
 * the 64-key small path), huge q, and 1 MB inputs.
 *
 * No published vector file computes exactly this function (pg_trgm's
 * similarity lower-cases, splits words and pads differently), so the
 * expected values below are worked out by hand in the comments; '$' is the
 * sentinel.
 */
#include "unit.h"

#include "qgram.h"

#include <math.h>
#include <time.h>

#define SENT 0x110000u

static double
qg(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int q)
{
	size_t		bytes = cdm_qgram_workspace(m, n, q);
	void	   *w = bytes ? malloc(bytes) : NULL;
	double		r = cdm_qgram_similarity(a, m, b, n, q, w);

	free(w);
	return r;
}

static double
qg_utf8(const char *sa, const char *sb, int q)
{
	size_t		m,
				n;
	cdm_char   *a = utf8_to_cps(sa, &m);
	cdm_char   *b = utf8_to_cps(sb, &n);
	double		r = qg(a, m, b, n, q);

	free(a);
	free(b);
	return r;
}

/* ------------------------------------------------------------- reference */

/* The q-grams of s as explicit code-point windows: (len + q - 1) * q cells. */
static cdm_char *
explicit_grams(const cdm_char *s, size_t len, int q, size_t *count)
{
	size_t		lead = (size_t) q - 1;
	size_t		total = len + 2 * lead;
	size_t		g = len ? len + lead : 0;
	cdm_char   *out = malloc((g ? g : 1) * (size_t) q * sizeof(cdm_char));

	for (size_t k = 0; k < g; k++)
		for (int t = 0; t < q; t++)
		{
			size_t		p = k + (size_t) t;

			out[k * q + t] = (p < lead || p >= lead + len || p >= total) ? SENT : s[p - lead];
		}
	*count = g;
	return out;
}

static bool
in_set(const cdm_char *grams, size_t upto, const cdm_char *g, int q)
{
	for (size_t k = 0; k < upto; k++)
		if (memcmp(grams + k * q, g, (size_t) q * sizeof(cdm_char)) == 0)
			return true;
	return false;
}

/* Brute force: distinct grams of a, distinct grams of b, common ones. */
static double
naive_qgram(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int q)
{
	size_t		na,
				nb,
				ua = 0,
				ub = 0,
				common = 0;
	cdm_char   *ga,
			   *gb;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	ga = explicit_grams(a, m, q, &na);
	gb = explicit_grams(b, n, q, &nb);
	for (size_t k = 0; k < na; k++)
		if (!in_set(ga, k, ga + k * q, q))
		{
			ua++;
			if (in_set(gb, nb, ga + k * q, q))
				common++;
		}
	for (size_t k = 0; k < nb; k++)
		if (!in_set(gb, k, gb + k * q, q))
			ub++;
	free(ga);
	free(gb);
	return (double) common / (double) (ua + ub - common);
}

/* ------------------------------------------------------------- hand cases */

static void
hand_checks(void)
{
	cdm_char	x = 'x';

	/*
	 * 'abc' vs 'abd'.  q=1: {a,b,c} vs {a,b,d}: 2/4.  q=2: {$a,ab,bc,c$} vs
	 * {$a,ab,bd,d$}: 2/6.  q=3: {$$a,$ab,abc,bc$,c$$} vs {$$a,$ab,abd,bd$,
	 * d$$}: 2/8.  In general each side has q+2 distinct grams and only the
	 * two ending in 'a' or 'b' are shared: 2/(2q+2) = 1/(q+1) -- also for
	 * the hashed q >= 4 and for q far beyond the length.
	 */
	CHECK(qg_utf8("abc", "abd", 1) == 2.0 / 4, "abc/abd q=1");
	CHECK(qg_utf8("abc", "abd", 2) == 2.0 / 6, "abc/abd q=2");
	CHECK(qg_utf8("abc", "abd", 3) == 2.0 / 8, "abc/abd q=3");
	CHECK(qg_utf8("abc", "abd", 4) == 2.0 / 10, "abc/abd q=4 (hashed)");
	CHECK(qg_utf8("abc", "abd", 7) == 2.0 / 16, "abc/abd q=7");
	CHECK(qg_utf8("abc", "abd", 62) == 2.0 / 126, "abc/abd q=62 (64 keys: stack path edge)");
	CHECK(qg_utf8("abc", "abd", 63) == 2.0 / 128, "abc/abd q=63 (65 keys: radix path)");
	CHECK(qg_utf8("abc", "abd", 1000) == 2.0 / 2002, "abc/abd q=1000");

	/*
	 * The same 1/(q+1) either side of each key width: packed while q
	 * symbols fit in 64 bits, hashed beyond (see qgram.h).  ASCII: 8-bit
	 * symbols, q = 8 packed in exactly 64 bits, q = 9 hashed.  Latin-1:
	 * 9 bits, q = 7 packed, 8 hashed.  Cyrillic: 12 bits, q = 5 / 6.
	 * Astral: 21 bits, q = 3 / 4.
	 */
	CHECK(qg_utf8("abc", "abd", 8) == 1.0 / 9, "ASCII q=8 packed");
	CHECK(qg_utf8("abc", "abd", 9) == 1.0 / 10, "ASCII q=9 hashed");
	CHECK(qg_utf8("ab\xc3\xa9", "ab\xc3\xa8", 7) == 1.0 / 8, "Latin-1 q=7 packed");
	CHECK(qg_utf8("ab\xc3\xa9", "ab\xc3\xa8", 8) == 1.0 / 9, "Latin-1 q=8 hashed");
	CHECK(qg_utf8("\xd0\xb0\xd0\xb1\xd0\xb2", "\xd0\xb0\xd0\xb1\xd0\xb3", 5) == 1.0 / 6,
		  "Cyrillic q=5 packed");
	CHECK(qg_utf8("\xd0\xb0\xd0\xb1\xd0\xb2", "\xd0\xb0\xd0\xb1\xd0\xb3", 6) == 1.0 / 7,
		  "Cyrillic q=6 hashed");
	CHECK(qg_utf8("a\xf0\x9f\x98\x80" "b", "a\xf0\x9f\x98\x80" "c", 3) == 1.0 / 4, "astral q=3 packed");
	CHECK(qg_utf8("a\xf0\x9f\x98\x80" "b", "a\xf0\x9f\x98\x80" "c", 4) == 1.0 / 5, "astral q=4 hashed");
	/* NUL is a character like any other: {$0,00,0$} vs {$0,0$}: 2/3 */
	CHECK(qg((cdm_char[]) {0, 0}, 2, (cdm_char[]) {0}, 1, 2) == 2.0 / 3, "NUL NUL / NUL q=2");
	CHECK(qg((cdm_char[]) {0, 'a'}, 2, (cdm_char[]) {'a'}, 1, 1) == 0.5, "NUL a / a q=1");

	/*
	 * Sets, not multisets.  'aaaa' vs 'aa', q=2: {$a,aa,a$} both: 1.
	 * q=3: {$$a,$aa,aaa,aa$,a$$} vs {$$a,$aa,aa$,a$$}: 4/5.
	 */
	CHECK(qg_utf8("aaaa", "aa", 2) == 1.0, "aaaa/aa q=2");
	CHECK(qg_utf8("aaaa", "aa", 3) == 4.0 / 5, "aaaa/aa q=3");
	/* q=5, 'aaaa' vs 'aa': grams are $^i a^j $^k; 'aaaa' has 8 distinct, 'aa' 6, all shared? */
	CHECK(qg_utf8("aaaa", "aa", 5) == naive_qgram((cdm_char[]) {'a', 'a', 'a', 'a'}, 4,
												  (cdm_char[]) {'a', 'a'}, 2, 5), "aaaa/aa q=5");

	/*
	 * q longer than the strings.  'ab' vs 'ac', q=5: $$$$a, $$$ab, $$ab$,
	 * $ab$$, ab$$$, b$$$$ vs the same with c: only $$$$a shared: 1/11.
	 */
	CHECK(qg_utf8("ab", "ac", 5) == 1.0 / 11, "ab/ac q=5");
	CHECK(qg_utf8("ab", "ab", 5) == 1.0, "ab/ab q=5");
	CHECK(qg_utf8("abc", "abc", 1000) == 1.0, "abc/abc q=1000");
	CHECK(qg_utf8("abc", "xyz", 1000) == 0.0, "abc/xyz q=1000: every gram holds a character");
	/* 'a' vs 'b' q=2: {$a,a$} vs {$b,b$}: 0.  'ab' vs 'ba' q=1: same set: 1 */
	CHECK(qg_utf8("a", "b", 2) == 0.0, "a/b q=2");
	CHECK(qg_utf8("ab", "ba", 1) == 1.0, "ab/ba q=1 (sets)");
	/* 'ab' vs 'ba' q=2: {$a,ab,b$} vs {$b,ba,a$}: 0 */
	CHECK(qg_utf8("ab", "ba", 2) == 0.0, "ab/ba q=2");

	/* 'café' vs 'cafe' q=2: {$c,ca,af,fé,é$} vs {$c,ca,af,fe,e$}: 3/7 */
	CHECK(qg_utf8("caf\xc3\xa9", "cafe", 2) == 3.0 / 7, "café/cafe q=2");
	/* astral and U+10FFFF (the largest scalar, next to the sentinel) */
	CHECK(qg_utf8("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf", 3) == 1.0, "U+10FFFF q=3");
	/* 'a' + U+10FFFF vs 'a' q=2: {$a, a<max>, <max>$} vs {$a, a$}: 1/4 */
	CHECK(qg_utf8("a\xf4\x8f\xbf\xbf", "a", 2) == 1.0 / 4, "a<U+10FFFF>/a q=2");
	/* case-sensitive */
	CHECK(qg_utf8("ABC", "abc", 1) == 0.0, "case-sensitive");

	/* empties: '' has no q-grams; '' = '' is 1, one empty 0, for any q */
	CHECK(cdm_qgram_similarity(NULL, 0, NULL, 0, 3, NULL) == 1.0, "('','')");
	CHECK(cdm_qgram_similarity(NULL, 0, NULL, 0, 1000, NULL) == 1.0, "('','') q=1000");
	CHECK(cdm_qgram_similarity(&x, 1, NULL, 0, 2, NULL) == 0.0, "('x','')");
	CHECK(cdm_qgram_similarity(NULL, 0, &x, 1, 1, NULL) == 0.0, "('','x')");
	/* invalid q */
	CHECK(cdm_qgram_similarity(&x, 1, &x, 1, 0, NULL) == -1.0, "q=0 rejected");
	CHECK(cdm_qgram_similarity(&x, 1, &x, 1, -3, NULL) == -1.0, "q<0 rejected");

	/* workspace rule */
	CHECK(cdm_qgram_workspace(62, 62, 3) == 0, "64 keys each: stack");
	CHECK(cdm_qgram_workspace(63, 2, 3) == 16 * (65 + 4), "65 keys: %zu",
		  cdm_qgram_workspace(63, 2, 3));
}

/* q = 1 is the Jaccard index of character sets: talisman's vectors. */
static void
run_charset(const char *dir)
{
	const char *file = "jaccard_charset__talisman.csv";
	CsvReader  *r = csv_open(dir, file);
	int			col_exp = csv_column(r, "expected");
	char	   *f[8];
	int			nf;
	int			before_p = unit_passed,
				before_f = unit_failed,
				devs = 0;

	while ((nf = csv_next(r, f, 8)) > 0)
	{
		double		got = qg_utf8(f[0], f[1], 1);
		const char *dev = deviation_for(dir, file, f[0], f[1]);

		if (dev)
		{
			char		buf[64];

			snprintf(buf, sizeof(buf), "%.6f", got);
			CHECK_STR(buf, dev, "%s deviation ('%s','%s')", file, f[0], f[1]);
			devs++;
			continue;
		}
		/* 12 significant digits in the file; the source asserts exact doubles */
		CHECK(fabs(got - atof(f[col_exp])) < 1e-11, "%s ('%s','%s'): got %.17g want %s",
			  file, f[0], f[1], got, f[col_exp]);
	}
	csv_close(r);
	printf("  %-34s %d passed, %d failed (%d pinned deviations)\n", file,
		   unit_passed - before_p, unit_failed - before_f, devs);
}

/* ---------------------------------------------------------- random checks */

static const cdm_char random_letters[] = {'a', 'b', 0xE1, 'c', 0x10FFFF, 'd', 0x1F600, 'e'};

static void
random_checks(void)
{
	static cdm_char a[200];
	static cdm_char b[200];
	static const int qs[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 40, 70};
	int			bad = 0,
				trials = 6000;

	for (int t = 0; t < trials; t++)
	{
		size_t		cap = t % 4 == 0 ? 200 : 70;
		size_t		m = unit_rand() % cap;
		size_t		n = unit_rand() % cap;
		int			alpha = 1 + (int) (unit_rand() % 8);
		int			q = qs[unit_rand() % 11];
		double		got,
					want;

		unit_random_string(a, m, random_letters, alpha);
		if (t % 3 == 0)
		{
			n = m;
			memcpy(b, a, m * sizeof(cdm_char));
			if (n)
				b[unit_rand() % n] = 'z';
		}
		else
			unit_random_string(b, n, random_letters, alpha);
		got = qg(a, m, b, n, q);
		want = naive_qgram(a, m, b, n, q);
		if (got != want && bad++ < 5)
			fprintf(stderr, "  random m=%zu n=%zu q=%d got %.17g want %.17g\n",
					m, n, q, got, want);
	}
	CHECK(bad == 0, "%d of %d random pairs differ from brute force", bad, trials);
}

/* ---------------------------------------------------------------- 1 MB */

/*
 * Reference for long strings over a tiny alphabet: mark each gram, coded
 * base (alpha + 1) from the symbols' indexes (sentinel = alpha), in a table.
 */
static double
table_qgram(const uint8_t *a, size_t m, const uint8_t *b, size_t n, int q,
			int alpha)
{
	size_t		cells = 1;
	unsigned char *seen;
	size_t		common = 0,
				uni = 0;

	for (int t = 0; t < q; t++)
		cells *= (size_t) alpha + 1;
	seen = calloc(cells, 1);
	for (int side = 0; side < 2; side++)
	{
		const uint8_t *s = side ? b : a;
		size_t		len = side ? n : m;
		size_t		lead = (size_t) q - 1;

		for (size_t k = 0; k < len + lead; k++)
		{
			size_t		code = 0;

			for (int t = 0; t < q; t++)
			{
				size_t		p = k + (size_t) t;
				size_t		d = (p < lead || p >= lead + len) ? (size_t) alpha : s[p - lead];

				code = code * ((size_t) alpha + 1) + d;
			}
			seen[code] |= (unsigned char) (1 << side);
		}
	}
	for (size_t c = 0; c < cells; c++)
	{
		uni += seen[c] != 0;
		common += seen[c] == 3;
	}
	free(seen);
	return (double) common / (double) uni;
}

static void
long_checks(void)
{
	size_t		n = 1 << 20;
	uint8_t    *ia = malloc(n);
	uint8_t    *ib = malloc(n);
	cdm_char   *a = malloc(n * sizeof(cdm_char));
	cdm_char   *b = malloc(n * sizeof(cdm_char));
	static const int qs[] = {1, 2, 3, 4, 5, 7};

	/* ASCII letters (packed keys up to q = 8), then one astral symbol (hashed from q = 4) */
	static const cdm_char letters[2][5] = {{'a', 'b', 'c', 'd', 'e'},
	{'a', 'b', 'c', 'd', 0x1F600}};

	cdm_check_interrupts = unit_count_interrupt;
	/* b over 4 symbols, a over 5: grams with the fifth are a's alone */
	for (size_t i = 0; i < n; i++)
	{
		ia[i] = (uint8_t) (unit_rand() % 5);
		ib[i] = (uint8_t) (unit_rand() % 4);
	}
	for (int set = 0; set < 2; set++)
	{
		for (size_t i = 0; i < n; i++)
		{
			a[i] = letters[set][ia[i]];
			b[i] = letters[set][ib[i]];
		}
		for (int k = 0; k < 6; k++)
		{
			int			q = qs[k];
			clock_t		t0 = clock();
			double		got = qg(a, n, b, n, q);
			double		secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
			double		want = table_qgram(ia, n, ib, n, q, 5);

			CHECK(got == want, "1M %s q=%d: got %.17g want %.17g",
				  set ? "astral" : "ASCII", q, got, want);
			printf("  qgram 1M x 1M %s q=%d: %.3f s\n", set ? "astral" : "ASCII", q, secs);
		}
		CHECK(qg(a, n, a, n, 4) == 1.0, "1M identical q=4");
		CHECK(qg(a, n, b, 10, 3) == table_qgram(ia, n, ib, 10, 3, 5), "1M vs 10");
	}
	CHECK(unit_interrupts > 100, "1M: interrupts checked (%ld times)", unit_interrupts);
	cdm_check_interrupts = NULL;
	free(a);
	free(b);
	free(ia);
	free(ib);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/conformance/data";

	run_charset(dir);
	hand_checks();
	random_checks();
	long_checks();
	return unit_report("qgram");
}
