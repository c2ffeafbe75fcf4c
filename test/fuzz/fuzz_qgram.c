/*
 * fuzz_qgram.c - compare/: q-gram similarity (Jaccard of q-gram sets),
 * on the stack path, the workspace path, packed keys and rolling hashes.
 *
 * Input: option byte (bits 0-1: code-point mapping as in
 * fuzz_edit_distance.c; bits 2-7 pick q: 1..12 mostly, sometimes 20, 40,
 * 70, or 0 and -1, which must be refused), then a and b.
 *
 * Invariants: q < 1 gives -1; otherwise the value is in [0, 1],
 * symmetric, 1 for equal strings, 0 against exactly one empty string; and
 * equals brute force over explicit q-gram windows (test_qgram.c's
 * reference) when the strings are short.  The brute force has no hash, so
 * it is exact only while q symbols pack into 64 bits; past that a
 * collision may raise cdm's value (qgram.h), never lower it.
 */
#include "fuzz.h"

#include "qgram.h"

#define SENT 0x110000u
#define NAIVE_GRAMS 300

static double
qg(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int q)
{
	void	   *w = q >= 1 ? fuzz_work(cdm_qgram_workspace(m, n, q), true) : NULL;
	double		r = cdm_qgram_similarity(a, m, b, n, q, w);

	free(w);
	return r;
}

static cdm_char *
explicit_grams(const cdm_char *s, size_t len, int q, size_t *count)
{
	size_t		lead = (size_t) q - 1;
	size_t		g = len ? len + lead : 0;
	cdm_char   *out = malloc((g ? g : 1) * (size_t) q * sizeof(cdm_char));

	for (size_t k = 0; k < g; k++)
		for (int t = 0; t < q; t++)
		{
			size_t		p = k + (size_t) t;

			out[k * q + t] = (p < lead || p >= lead + len) ? SENT : s[p - lead];
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

/* Bits one symbol takes when packed (qgram.h), for "is this q exact?". */
static int
symbol_bits(const cdm_char *a, size_t m, const cdm_char *b, size_t n)
{
	cdm_char	top = 0;
	int			bits = 0;

	for (size_t i = 0; i < m; i++)
		top = a[i] > top ? a[i] : top;
	for (size_t i = 0; i < n; i++)
		top = b[i] > top ? b[i] : top;
	if (top >= 0x100000)
		return 21;
	while (bits < 32 && ((cdm_char) 1 << bits) <= top)
		bits++;
	return bits + 1;
}

static void
map_alphabet(cdm_char *s, size_t n, int mode)
{
	if (mode == 3)
		for (size_t i = 0; i < n; i++)
			s[i] = (s[i] & 1) ? 'a' + (s[i] >> 1) % 2 : 0xE1 + (s[i] >> 1) % 2 * 0x10FF1E;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cdm_char shifts[] = {0, 0x100, 0x4E00, 0};
	static const int qsel[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 40, 70, 0};
	FuzzInput in;
	cdm_char   *a,
			   *b;
	size_t		m,
				n;
	int			q;
	double		s;
	bool		equal;

	fuzz_split(data, size, 2, &in);
	q = qsel[(in.opt >> 2) & 15];
	if (in.opt >= 0xFC)
		q = -1;
	a = fuzz_chars(in.p[0], in.len[0], shifts[in.opt & 3], &m);
	b = fuzz_chars(in.p[1], in.len[1], shifts[in.opt & 3], &n);
	map_alphabet(a, m, in.opt & 3);
	map_alphabet(b, n, in.opt & 3);
	equal = m == n && (m == 0 || memcmp(a, b, m * sizeof(cdm_char)) == 0);

	s = qg(a, m, b, n, q);
	if (q < 1)
		FUZZ_CHECK(s == -1.0, "q %d accepted: %.17g", q, s);
	else
	{
		FUZZ_CHECK(s >= 0.0 && s <= 1.0, "q-gram similarity %.17g (q %d)", s, q);
		FUZZ_CHECK(s == qg(b, n, a, m, q), "not symmetric: %.17g / %.17g (q %d)",
				   s, qg(b, n, a, m, q), q);
		FUZZ_CHECK(!equal || s == 1.0, "equal strings: %.17g (q %d)", s, q);
		FUZZ_CHECK((m != 0 && n != 0) || equal || s == 0.0, "one empty: %.17g", s);
		if (m + q <= NAIVE_GRAMS && n + q <= NAIVE_GRAMS)
		{
			double		want = naive_qgram(a, m, b, n, q);

			if (q * symbol_bits(a, m, b, n) <= 64)
				FUZZ_CHECK(s == want, "q-gram %.17g, brute force %.17g (q %d, m %zu, n %zu)",
						   s, want, q, m, n);
			else
				FUZZ_CHECK(s >= want, "q-gram %.17g below brute force %.17g (q %d)",
						   s, want, q);
		}
	}
	free(a);
	free(b);
	return 0;
}
