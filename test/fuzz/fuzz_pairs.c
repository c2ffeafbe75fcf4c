/*
 * fuzz_pairs.c - block/: candidate pairs by sorting (cdm_block_sort,
 * cdm_block_pairs, cdm_pairs_unique).
 *
 * Input: option byte (group_cap and window), then items of 7 bytes: key
 * (2 bytes, mostly few distinct values; a set top bit spreads it over 64
 * bits), sub (1 byte), rec (2 bytes), and 2 more bits of key.
 *
 * Invariants:
 *   - the sort equals a stable sort by (key, sub) of the same items;
 *   - pairs: the count equals a naive count, whatever cap; with room for
 *     all, exactly the naive pairs in the same order; never a write past
 *     cap; each pair a < b; at most items * max(group_cap - 1, window)
 *     pairs; the statistics agree with a naive count;
 *   - unique: strictly ascending, no a == b, the set of the input pairs.
 */
#include "fuzz.h"

#include "pairs.h"

typedef struct Indexed
{
	CdmBlockItem it;
	size_t		pos;
} Indexed;

static int
indexed_cmp(const void *a, const void *b)
{
	const Indexed *x = a;
	const Indexed *y = b;

	if (x->it.key != y->it.key)
		return x->it.key < y->it.key ? -1 : 1;
	if (x->it.sub != y->it.sub)
		return x->it.sub < y->it.sub ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);	/* stable */
}

static int
u64_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a;
	uint64_t	y = *(const uint64_t *) b;

	return (x > y) - (x < y);
}

/* The pairs as the header describes them, over sorted items. */
static size_t
naive_pairs(const CdmBlockItem *it, size_t n, uint32_t group_cap, uint32_t window,
			uint64_t *out, CdmBlockStats *st)
{
	size_t		np = 0;

	memset(st, 0, sizeof(*st));
	for (size_t s = 0; s < n;)
	{
		size_t		e = s;

		while (e < n && it[e].key == it[s].key)
			e++;
		if (e - s >= 2)
		{
			st->groups++;
			st->largest = e - s > st->largest ? e - s : st->largest;
			st->big_groups += e - s > group_cap;
		}
		for (size_t i = s; i < e; i++)
			for (size_t j = i + 1; j < e; j++)
			{
				if (e - s > group_cap && j - i > window)
					break;
				if (it[i].rec == it[j].rec)
					continue;
				out[np++] = it[i].rec < it[j].rec ? CDM_PAIR(it[i].rec, it[j].rec) :
					CDM_PAIR(it[j].rec, it[i].rec);
			}
		s = e;
	}
	return np;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		n = size > 0 ? (size - 1) / 7 : 0;
	uint32_t	group_cap = size > 0 ? 1 + (data[0] & 15) : 2;
	uint32_t	window = size > 0 ? (data[0] >> 4) : 1;
	CdmBlockItem *items = malloc((n + 1) * sizeof(CdmBlockItem));
	CdmBlockItem *tmp = malloc((n + 1) * sizeof(CdmBlockItem));
	Indexed    *ref = malloc((n + 1) * sizeof(Indexed));
	size_t		bound,
				want,
				got,
				half,
				k;
	uint64_t   *naive,
			   *out,
			   *small,
			   *tmp64,
			   *sorted;
	CdmBlockStats st,
				nst;

	for (size_t i = 0; i < n; i++)
	{
		const uint8_t *p = data + 1 + 7 * i;
		uint64_t	key = (uint64_t) p[0] | (uint64_t) (p[1] & 0x7F) << 8 | (uint64_t) (p[6] & 3) << 15;

		if (p[1] & 0x80)
			key = key * UINT64_C(0x9E3779B97F4A7C15);
		items[i].key = key;
		items[i].sub = p[2] & 0x80 ? (uint32_t) p[2] << 24 : p[2] & 3;
		items[i].rec = (uint32_t) p[3] | (uint32_t) p[4] << 8 | (uint32_t) (p[5] & 1) << 31;
		ref[i].it = items[i];
		ref[i].pos = i;
	}
	cdm_block_sort(items, n, tmp);
	qsort(ref, n, sizeof(Indexed), indexed_cmp);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(items[i].key == ref[i].it.key && items[i].sub == ref[i].it.sub &&
				   items[i].rec == ref[i].it.rec,
				   "sort differs from a stable sort by (key, sub) at %zu of %zu", i, n);

	/* every pair of a group: up to n^2 / 2 */
	bound = n * (n > 0 ? n - 1 : 0) / 2 + 1;
	naive = malloc(bound * sizeof(uint64_t));
	want = naive_pairs(items, n, group_cap, window, naive, &nst);
	out = malloc((want + 1) * sizeof(uint64_t));
	got = cdm_block_pairs(items, n, group_cap, window, out, want, &st);
	FUZZ_CHECK(got == want, "%zu pairs, naive %zu", got, want);
	FUZZ_CHECK(want == 0 || memcmp(out, naive, want * sizeof(uint64_t)) == 0, "pairs differ");
	FUZZ_CHECK(st.groups == nst.groups && st.big_groups == nst.big_groups &&
			   st.largest == nst.largest, "stats %zu/%zu/%zu, naive %zu/%zu/%zu",
			   st.groups, st.big_groups, st.largest, nst.groups, nst.big_groups, nst.largest);
	FUZZ_CHECK(got <= n * (group_cap - 1 > window ? group_cap - 1 : window),
			   "%zu pairs over the bound for %zu items", got, n);
	for (size_t i = 0; i < got; i++)
		FUZZ_CHECK(CDM_PAIR_A(out[i]) < CDM_PAIR_B(out[i]), "pair %zu not a < b", i);
	half = want / 2;
	small = fuzz_work(half * sizeof(uint64_t), false);
	FUZZ_CHECK(cdm_block_pairs(items, n, group_cap, window, small, half, NULL) == want,
			   "count depends on cap");
	free(small);

	/* unique */
	tmp64 = malloc((want + 1) * sizeof(uint64_t));
	sorted = malloc((want + 1) * sizeof(uint64_t));
	memcpy(sorted, naive, want * sizeof(uint64_t));
	qsort(sorted, want, sizeof(uint64_t), u64_cmp);
	k = cdm_pairs_unique(out, want, tmp64);
	for (size_t i = 0, j = 0; i < want; i++)
	{
		if (i > 0 && sorted[i] == sorted[i - 1])
			continue;
		FUZZ_CHECK(j < k && out[j] == sorted[i], "unique pairs differ at %zu", j);
		j++;
		if (i + 1 == want)
			FUZZ_CHECK(j == k, "unique: %zu pairs, naive %zu", k, j);
	}
	if (want == 0)
		FUZZ_CHECK(k == 0, "unique of nothing: %zu", k);

	free(sorted);
	free(tmp64);
	free(out);
	free(naive);
	free(ref);
	free(tmp);
	free(items);
	return 0;
}
