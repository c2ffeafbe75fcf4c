/*
 * fuzz_edit_distance.c - compare/: Levenshtein (unbounded and bounded),
 * OSA, true Damerau-Levenshtein and Hamming.
 *
 * Input: option byte, then up to three strings a, b, c (0xFF-separated).
 * Option bits 0-1 pick the code-point mapping (bytes as they are, shifted
 * past ASCII into the hashed paths, shifted into Han, or folded onto a
 * four-letter alphabet so that strings share much); bits 2-7 a bound.
 *
 * Invariants: each distance is symmetric, zero exactly for equal strings,
 * between |m - n| and max(m, n); the bounded Levenshtein gives the
 * distance when it is within the bound and bound + 1 otherwise; true
 * Damerau <= OSA <= Levenshtein <= 2 * true Damerau; Hamming (equal
 * lengths) >= Levenshtein; Levenshtein and true Damerau obey the triangle
 * inequality; and every value equals the textbook dynamic programme when
 * the strings are small enough for it.
 */
#include "fuzz.h"

#include "damerau.h"
#include "hamming.h"
#include "levenshtein.h"

/* Naive checks only below this many cells (keeps the fuzzer fast). */
#define NAIVE_CELLS 40000

static int64_t
lev(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int64_t max)
{
	void	   *w = fuzz_work(cdm_levenshtein_workspace(m, n), false);
	int64_t		d = cdm_levenshtein(a, m, b, n, max, w);

	free(w);
	return d;
}

static int64_t
osa(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	void	   *w = fuzz_work(cdm_osa_workspace(m, n), false);
	int64_t		d = cdm_osa_distance(a, m, b, n, w);

	free(w);
	return d;
}

/* -1 when over the documented cell limit (the workspace call says 0). */
static int64_t
dl(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	size_t		bytes = cdm_damerau_workspace(a, m, b, n);
	void	   *w;
	int64_t		d;

	if (bytes == 0)
		return -1;
	w = fuzz_work(bytes, false);
	d = cdm_damerau_levenshtein(a, m, b, n, w);
	free(w);
	return d;
}

static int64_t
min3(int64_t x, int64_t y, int64_t z)
{
	int64_t		r = x < y ? x : y;

	return r < z ? r : z;
}

/* Wagner-Fischer, with the OSA transposition when asked. */
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
			int64_t		v = min3(D(i - 1, j - 1) + (a[i - 1] != b[j - 1]),
								 D(i - 1, j) + 1, D(i, j - 1) + 1);

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

/*
 * Lowrance-Wagner as the textbook writes it, with "last row of character
 * c" found by a backwards scan of a (O(m n m), fine for small inputs).
 */
static int64_t
naive_dl(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	size_t		cols = n + 2;
	int64_t    *h = malloc((m + 2) * cols * sizeof(int64_t));
	int64_t		inf = (int64_t) (m + n);
	int64_t		r;

#define H(i, j) h[(i) * cols + (j)]
	H(0, 0) = inf;
	for (size_t i = 0; i <= m; i++)
	{
		H(i + 1, 0) = inf;
		H(i + 1, 1) = (int64_t) i;
	}
	for (size_t j = 0; j <= n; j++)
	{
		H(0, j + 1) = inf;
		H(1, j + 1) = (int64_t) j;
	}
	for (size_t i = 1; i <= m; i++)
	{
		size_t		db = 0;

		for (size_t j = 1; j <= n; j++)
		{
			size_t		i1 = 0,
						j1 = db;
			int64_t		cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int64_t		v;

			/* last row < i where a[row - 1] == b[j - 1] */
			for (size_t k = i - 1; k >= 1; k--)
				if (a[k - 1] == b[j - 1])
				{
					i1 = k;
					break;
				}
			if (cost == 0)
				db = j;
			v = min3(H(i, j) + cost, H(i + 1, j) + 1, H(i, j + 1) + 1);
			if (H(i1, j1) + (int64_t) (i - i1 - 1) + 1 + (int64_t) (j - j1 - 1) < v)
				v = H(i1, j1) + (int64_t) (i - i1 - 1) + 1 + (int64_t) (j - j1 - 1);
			H(i + 1, j + 1) = v;
		}
	}
	r = H(m + 1, n + 1);
#undef H
	free(h);
	return r;
}

static void
map_alphabet(cdm_char *s, size_t n, int mode)
{
	for (size_t i = 0; i < n; i++)
	{
		if (mode == 3)
			s[i] = (s[i] & 1) ? 'a' + (s[i] >> 1) % 2 : 0xE9 + (s[i] >> 1) % 2 * 0x1F600;
	}
}

static void
check_pair(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int64_t bound)
{
	int64_t		d = lev(a, m, b, n, -1);
	int64_t		o = osa(a, m, b, n);
	int64_t		t = dl(a, m, b, n);
	int64_t		h = cdm_hamming(a, m, b, n);
	int64_t		lo = m > n ? (int64_t) (m - n) : (int64_t) (n - m);
	int64_t		hi = m > n ? (int64_t) m : (int64_t) n;
	bool		equal = m == n && (m == 0 || memcmp(a, b, m * sizeof(cdm_char)) == 0);
	int64_t		bounds[] = {0, 1, d - 1, d, d + 1, 2 * d, bound};

	FUZZ_CHECK(d == lev(b, n, a, m, -1), "levenshtein not symmetric (%lld)", (long long) d);
	FUZZ_CHECK(d >= lo && d <= hi, "levenshtein %lld outside [%lld, %lld]",
			   (long long) d, (long long) lo, (long long) hi);
	FUZZ_CHECK((d == 0) == equal, "levenshtein %lld, equal %d", (long long) d, (int) equal);
	for (size_t k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++)
	{
		int64_t		max = bounds[k];
		int64_t		want = d <= max ? d : max + 1;

		if (max < 0)
			continue;
		FUZZ_CHECK(lev(a, m, b, n, max) == want && lev(b, n, a, m, max) == want,
				   "bounded levenshtein (max %lld) gave %lld / %lld, distance %lld",
				   (long long) max, (long long) lev(a, m, b, n, max),
				   (long long) lev(b, n, a, m, max), (long long) d);
	}

	FUZZ_CHECK(o == osa(b, n, a, m), "osa not symmetric");
	FUZZ_CHECK(o <= d && o >= lo, "osa %lld, levenshtein %lld", (long long) o, (long long) d);
	FUZZ_CHECK((o == 0) == equal, "osa %lld, equal %d", (long long) o, (int) equal);

	if (t >= 0)
	{
		FUZZ_CHECK(t == dl(b, n, a, m), "damerau not symmetric");
		FUZZ_CHECK(t <= o && d <= 2 * t && t >= lo,
				   "damerau %lld, osa %lld, levenshtein %lld",
				   (long long) t, (long long) o, (long long) d);
		FUZZ_CHECK((t == 0) == equal, "damerau %lld, equal %d", (long long) t, (int) equal);
	}

	if (m == n)
	{
		int64_t		diff = 0;

		for (size_t i = 0; i < m; i++)
			diff += a[i] != b[i];
		FUZZ_CHECK(h == diff && h >= d, "hamming %lld, %lld differences, levenshtein %lld",
				   (long long) h, (long long) diff, (long long) d);
	}
	else
		FUZZ_CHECK(h == -1, "hamming of unequal lengths gave %lld", (long long) h);

	if ((m + 1) * (n + 1) <= NAIVE_CELLS)
	{
		FUZZ_CHECK(d == naive(a, m, b, n, false), "levenshtein %lld, textbook %lld",
				   (long long) d, (long long) naive(a, m, b, n, false));
		FUZZ_CHECK(o == naive(a, m, b, n, true), "osa %lld, textbook %lld",
				   (long long) o, (long long) naive(a, m, b, n, true));
		if (m <= 64 && n <= 64)
			FUZZ_CHECK(t == naive_dl(a, m, b, n), "damerau %lld, textbook %lld",
					   (long long) t, (long long) naive_dl(a, m, b, n));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cdm_char shifts[] = {0, 0x100, 0x4E00, 0};
	FuzzInput in;
	cdm_char   *s[3];
	size_t		len[3];
	int			mode;

	fuzz_split(data, size, 3, &in);
	mode = in.opt & 3;
	for (int k = 0; k < 3; k++)
	{
		s[k] = fuzz_chars(in.p[k], in.len[k], shifts[mode], &len[k]);
		map_alphabet(s[k], len[k], mode);
	}

	check_pair(s[0], len[0], s[1], len[1], in.opt >> 2);
	if (in.n == 3)
	{
		int64_t		ab = lev(s[0], len[0], s[1], len[1], -1);
		int64_t		bc = lev(s[1], len[1], s[2], len[2], -1);
		int64_t		ac = lev(s[0], len[0], s[2], len[2], -1);
		int64_t		tab = dl(s[0], len[0], s[1], len[1]);
		int64_t		tbc = dl(s[1], len[1], s[2], len[2]);
		int64_t		tac = dl(s[0], len[0], s[2], len[2]);

		FUZZ_CHECK(ac <= ab + bc, "levenshtein triangle: %lld > %lld + %lld",
				   (long long) ac, (long long) ab, (long long) bc);
		if (tab >= 0 && tbc >= 0 && tac >= 0)
			FUZZ_CHECK(tac <= tab + tbc, "damerau triangle: %lld > %lld + %lld",
					   (long long) tac, (long long) tab, (long long) tbc);
	}
	for (int k = 0; k < 3; k++)
		free(s[k]);
	return 0;
}
