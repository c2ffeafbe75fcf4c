/*
 * pairs.c - candidate pairs by sorting blocking values (see pairs.h).
 */
#include "pairs.h"

#include <string.h>

#define RADIX_BITS	11
#define RADIX		(1u << RADIX_BITS)
#define RADIX_MASK	(RADIX - 1)

typedef uint32_t (*digit_fn) (const void *elem, unsigned shift);

static uint32_t
item_sub_digit(const void *e, unsigned shift)
{
	return (((const CdmBlockItem *) e)->sub >> shift) & RADIX_MASK;
}

static uint32_t
item_key_digit(const void *e, unsigned shift)
{
	return (uint32_t) (((const CdmBlockItem *) e)->key >> shift) & RADIX_MASK;
}

static uint32_t
u64_digit(const void *e, unsigned shift)
{
	return (uint32_t) (*(const uint64_t *) e >> shift) & RADIX_MASK;
}

/*
 * One stable counting pass from src to dst on the digit at shift.  Returns
 * false (and moves nothing) when every element has the same digit, which
 * is common in the high bits.
 */
static bool
radix_pass(const char *src, char *dst, size_t n, size_t size,
		   digit_fn digit, unsigned shift)
{
	size_t		count[RADIX];
	size_t		sum = 0;

	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++)
	{
		count[digit(src + i * size, shift)]++;
		if (i % (CDM_INTERRUPT_STRIDE * 16) == 0)
			CDM_CHECK_INTERRUPTS();
	}
	for (unsigned d = 0; d < RADIX; d++)
	{
		size_t		c = count[d];

		if (c == n)
			return false;
		count[d] = sum;
		sum += c;
	}
	for (size_t i = 0; i < n; i++)
	{
		const char *e = src + i * size;

		memcpy(dst + count[digit(e, shift)]++ * size, e, size);
		if (i % (CDM_INTERRUPT_STRIDE * 16) == 0)
			CDM_CHECK_INTERRUPTS();
	}
	return true;
}

/* LSD radix sort over the digits of one or two fields, result in data. */
static void
radix_sort(void *data, void *tmp, size_t n, size_t size,
		   digit_fn lo, unsigned lo_bits, digit_fn hi, unsigned hi_bits)
{
	char	   *src = data;
	char	   *dst = tmp;

	for (int field = 0; field < 2; field++)
	{
		digit_fn	digit = field == 0 ? lo : hi;
		unsigned	bits = field == 0 ? lo_bits : hi_bits;

		if (digit == NULL)
			continue;
		for (unsigned shift = 0; shift < bits; shift += RADIX_BITS)
		{
			if (radix_pass(src, dst, n, size, digit, shift))
			{
				char	   *t = src;

				src = dst;
				dst = t;
			}
		}
	}
	if (src != data)
		memcpy(data, src, n * size);
}

void
cdm_block_sort(CdmBlockItem *items, size_t n, CdmBlockItem *tmp)
{
	radix_sort(items, tmp, n, sizeof(CdmBlockItem),
			   item_sub_digit, 32, item_key_digit, 64);
}

/* Append pair (a, b) ordered; counts even when out is full. */
static inline void
emit(uint64_t *out, size_t cap, size_t *np, uint32_t a, uint32_t b)
{
	if (a == b)
		return;
	if (*np < cap)
		out[*np] = a < b ? CDM_PAIR(a, b) : CDM_PAIR(b, a);
	(*np)++;
}

size_t
cdm_block_pairs(const CdmBlockItem *items, size_t n,
				uint32_t group_cap, uint32_t window,
				uint64_t *out, size_t cap, CdmBlockStats *stats)
{
	size_t		np = 0;
	CdmBlockStats st = {0, 0, 0};
	size_t		start = 0;

	while (start < n)
	{
		size_t		end = start + 1;
		size_t		g;

		while (end < n && items[end].key == items[start].key)
			end++;
		g = end - start;
		if (g >= 2)
		{
			st.groups++;
			if (g > st.largest)
				st.largest = g;
			if (g > group_cap)
				st.big_groups++;
			for (size_t i = start; i < end; i++)
			{
				size_t		last = end;

				if (g > group_cap && i + 1 + window < end)
					last = i + 1 + window;
				for (size_t j = i + 1; j < last; j++)
					emit(out, cap, &np, items[i].rec, items[j].rec);
				if ((i - start) % 256 == 255)
					CDM_CHECK_INTERRUPTS();
			}
		}
		start = end;
	}
	if (stats)
		*stats = st;
	return np;
}

size_t
cdm_pairs_unique(uint64_t *pairs, size_t n, uint64_t *tmp)
{
	size_t		k = 0;

	radix_sort(pairs, tmp, n, sizeof(uint64_t), u64_digit, 64, NULL, 0);
	for (size_t i = 0; i < n; i++)
	{
		if (CDM_PAIR_A(pairs[i]) == CDM_PAIR_B(pairs[i]))
			continue;
		if (k > 0 && pairs[k - 1] == pairs[i])
			continue;
		pairs[k++] = pairs[i];
	}
	return k;
}
