/*
 * test_pairs.c - candidate pairs by sorting (src/core/block/pairs.c),
 * checked against a brute-force reference.
 */
#include "unit.h"

#include "pairs.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
cmp_item(const void *a, const void *b)
{
	const CdmBlockItem *x = a,
			   *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return x < y ? -1 : x > y;
}

/* Items in record order, keys from a small set so groups form. */
static void
random_items(CdmBlockItem *it, size_t n, unsigned nkeys, bool wide_keys)
{
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	k = next() % nkeys;

		it[i].key = wide_keys ? k * UINT64_C(0x9E3779B97F4A7C15) : k;
		it[i].sub = (uint32_t) (next() % 7) * 0x01000193u;
		it[i].rec = (uint32_t) (i / 2);	/* two items a record */
	}
}

static void
test_sort(void)
{
	enum {N = 20000};
	static CdmBlockItem a[N], b[N], tmp[N];

	for (int round = 0; round < 4; round++)
	{
		bool		ok = true;

		random_items(a, N, round < 2 ? 50 : 5000, round % 2 == 1);
		memcpy(b, a, sizeof(a));
		cdm_block_sort(a, N, tmp);
		qsort(b, N, sizeof(CdmBlockItem), cmp_item);	/* rec breaks ties: same as stable */
		for (size_t i = 0; i < N; i++)
			ok = ok && a[i].key == b[i].key && a[i].sub == b[i].sub && a[i].rec == b[i].rec;
		CHECK(ok, "radix sort = qsort by (key, sub, rec), round %d", round);
	}
	/* all equal keys and subs: nothing moves */
	for (size_t i = 0; i < 100; i++)
		a[i] = (CdmBlockItem) {42, 7, (uint32_t) i};
	cdm_block_sort(a, 100, tmp);
	CHECK(a[0].rec == 0 && a[99].rec == 99, "equal items keep their order");
	cdm_block_sort(a, 0, tmp);
	CHECK(true, "empty sort returns");
}

/* Reference: the pairs of each group, windowed past group_cap. */
static size_t
reference_pairs(const CdmBlockItem *s, size_t n, uint32_t cap, uint32_t window, uint64_t *out)
{
	size_t		np = 0;

	for (size_t i = 0; i < n; i++)
	{
		size_t		g0 = i,
					g1 = i;

		while (g0 > 0 && s[g0 - 1].key == s[i].key)
			g0--;
		while (g1 + 1 < n && s[g1 + 1].key == s[i].key)
			g1++;
		for (size_t j = i + 1; j <= g1; j++)
		{
			size_t		g = g1 - g0 + 1;

			if (g > cap && j - i > window)
				break;
			if (s[i].rec != s[j].rec)
			{
				uint32_t	a = s[i].rec < s[j].rec ? s[i].rec : s[j].rec;
				uint32_t	b = s[i].rec < s[j].rec ? s[j].rec : s[i].rec;

				out[np++] = CDM_PAIR(a, b);
			}
		}
	}
	return np;
}

static void
test_pairs(void)
{
	enum {N = 3000};
	static CdmBlockItem it[N], tmp[N];
	static uint64_t got[N * 64], want[N * 64], t64[N * 64];
	CdmBlockStats st;

	for (int round = 0; round < 3; round++)
	{
		uint32_t	cap = round == 0 ? 1000 : 8;
		uint32_t	window = round == 2 ? 1 : 4;
		size_t		ng, nw;
		bool		same;

		random_items(it, N, 400, round == 1);
		cdm_block_sort(it, N, tmp);
		ng = cdm_block_pairs(it, N, cap, window, got, N * 64, &st);
		CHECK(ng <= (size_t) N * (cap > window ? cap : window), "bound items*max(cap,window), round %d", round);
		nw = reference_pairs(it, N, cap, window, want);
		ng = cdm_pairs_unique(got, ng, t64);
		qsort(want, nw, sizeof(uint64_t), cmp_u64);
		{
			size_t		k = 0;

			for (size_t i = 0; i < nw; i++)
				if (k == 0 || want[k - 1] != want[i])
					want[k++] = want[i];
			nw = k;
		}
		same = ng == nw && memcmp(got, want, ng * sizeof(uint64_t)) == 0;
		CHECK(same, "pairs = reference, round %d (%zu vs %zu)", round, ng, nw);
		CHECK(st.groups > 0 && st.largest >= 2, "stats counted groups, round %d", round);
		CHECK((round == 0) == (st.big_groups == 0), "windowed groups only past the cap, round %d", round);
		same = true;
		for (size_t i = 0; i < ng; i++)
			same = same && CDM_PAIR_A(got[i]) < CDM_PAIR_B(got[i]);
		CHECK(same, "every pair ordered a < b, round %d", round);
	}
}

static void
test_overflow(void)
{
	CdmBlockItem it[10];
	uint64_t	out[4];
	size_t		need;

	for (int i = 0; i < 10; i++)
		it[i] = (CdmBlockItem) {1, 0, (uint32_t) i};
	need = cdm_block_pairs(it, 10, 100, 1, out, 4, NULL);
	CHECK_INT(need, 45, "a group of 10 gives 45 pairs, counted past a full buffer");
	CHECK(out[0] == CDM_PAIR(0, 1) && out[3] == CDM_PAIR(0, 4), "the first 4 were written");
	need = cdm_block_pairs(it, 10, 4, 1, out, 4, NULL);
	CHECK_INT(need, 9, "past the cap: each item with its next one");
	/* one item per key, or the same record twice: no pairs */
	it[1] = (CdmBlockItem) {2, 0, 0};
	need = cdm_block_pairs(it, 2, 100, 1, out, 4, NULL);
	CHECK_INT(need, 0, "singletons give nothing");
	it[1] = (CdmBlockItem) {1, 0, 0};
	need = cdm_block_pairs(it, 2, 100, 1, out, 4, NULL);
	CHECK_INT(need, 0, "a record never pairs with itself");
}

int
main(void)
{
	test_sort();
	test_pairs();
	test_overflow();
	return unit_report("pairs");
}
