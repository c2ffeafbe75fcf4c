/*
 * fuzz_jaro.c - compare/: Jaro and Jaro-Winkler, on both the bit-parallel
 * path (up to 64 code points) and the long path (hash lists, radix sort).
 *
 * Input: option byte (bits 0-1: code-point mapping as in
 * fuzz_edit_distance.c), then a and b, 0xFF-separated.
 *
 * Invariants: 0 <= Jaro <= Jaro-Winkler <= 1; equal strings give 1 (two
 * empty ones included), one empty string 0; and both values are bit for
 * bit those of the textbook algorithm (Jaro 1989, flags and a window) as
 * test_jaro.c writes it, whenever the pair is small enough to run it.
 */
#include "fuzz.h"

#include "jaro.h"

#define NAIVE_CELLS 300000

static double
call(bool winkler, const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	void	   *w = fuzz_work(cdm_jaro_workspace(m, n), true);
	double		r = winkler ? cdm_jaro_winkler(a, m, b, n, w) : cdm_jaro(a, m, b, n, w);

	free(w);
	return r;
}

/* test_jaro.c's reference, unchanged (including the exact 0.7 test). */
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

static void
map_alphabet(cdm_char *s, size_t n, int mode)
{
	if (mode == 3)
		for (size_t i = 0; i < n; i++)
			s[i] = (s[i] & 1) ? 'a' + (s[i] >> 1) % 2 : 0xE1 + (s[i] >> 1) % 2 * 0x1F600;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cdm_char shifts[] = {0, 0x100, 0x4E00, 0};
	FuzzInput in;
	cdm_char   *a,
			   *b;
	size_t		m,
				n;
	double		j,
				jw;
	bool		equal;

	fuzz_split(data, size, 2, &in);
	a = fuzz_chars(in.p[0], in.len[0], shifts[in.opt & 3], &m);
	b = fuzz_chars(in.p[1], in.len[1], shifts[in.opt & 3], &n);
	map_alphabet(a, m, in.opt & 3);
	map_alphabet(b, n, in.opt & 3);
	equal = m == n && (m == 0 || memcmp(a, b, m * sizeof(cdm_char)) == 0);

	j = call(false, a, m, b, n);
	jw = call(true, a, m, b, n);
	FUZZ_CHECK(j >= 0.0 && j <= jw && jw <= 1.0, "jaro %.17g, jaro-winkler %.17g", j, jw);
	FUZZ_CHECK(!equal || (j == 1.0 && jw == 1.0), "equal strings: %.17g %.17g", j, jw);
	FUZZ_CHECK((m != 0 && n != 0) || equal || (j == 0.0 && jw == 0.0),
			   "one empty string: %.17g %.17g", j, jw);
	if (m * n <= NAIVE_CELLS)
	{
		double		wj = naive_jaro(a, m, b, n, false);
		double		wjw = naive_jaro(a, m, b, n, true);

		FUZZ_CHECK(j == wj, "jaro %.17g, textbook %.17g (m %zu, n %zu)", j, wj, m, n);
		FUZZ_CHECK(jw == wjw, "jaro-winkler %.17g, textbook %.17g (m %zu, n %zu)",
				   jw, wjw, m, n);
	}
	free(a);
	free(b);
	return 0;
}
