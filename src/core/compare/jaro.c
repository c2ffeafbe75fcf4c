/*
 * jaro.c - Jaro and Jaro-Winkler similarity.
 *
 * M. A. Jaro, "Advances in record-linkage methodology as applied to
 * matching the 1985 census of Tampa, Florida", JASA 84(406), 1989;
 * W. E. Winkler, "String comparator metrics and enhanced decision rules in
 * the Fellegi-Sunter model of record linkage", Proc. Section on Survey
 * Research Methods, ASA, 1990 (prefix scale 0.1, at most 4 characters,
 * applied above 0.7).  Exact definitions in jaro.h.
 *
 * Two ways of finding the greedy matches, both giving exactly the textbook
 * result (a[i] takes the leftmost free equal b[j] within the window, for i
 * left to right):
 *
 * - up to 64 code points each: b's positions become bits.  A 128-slot
 *   table indexed by (code point & 127) holds, per slot, the positions of
 *   b whose characters fall there (exact for ASCII; for other characters a
 *   superset, checked against b[j]), so a[i]'s candidates are one AND with
 *   the window and the free mask, the match its lowest set bit.  Only
 *   slots that a or b touch are initialised: no 1 KB reset per call.
 *
 * - longer: the greedy choice for a[i] = c only depends on earlier a
 *   positions holding c, and since the window slides right, the b
 *   positions of c left of a[i]'s window can never match again.  So each
 *   distinct character of b keeps the list of its positions (hash table,
 *   lists threaded through one array) from which a[i] drops the passed
 *   ones and takes the head if it is within reach: O(m + n) time and
 *   memory whatever the window, instead of the textbook O(m * window).
 *   Input crafted to collide in the hash table would make probing
 *   quadratic; past a linear budget the same merge is run on (code point,
 *   side, position) keys radix-sorted by code point instead.
 *
 * Transpositions: if every match lies right of the previous one, the two
 * match orders agree and there are none; otherwise both match bitmaps are
 * walked in order.
 */
#include "jaro.h"

#include "bits.h"

#include <string.h>

#define SHORT_MAX	64
#define NO_POS		UINT32_MAX	/* empty slot, end of list */
#define POS_MASK	UINT64_C(0x7FFFFFFF)	/* sort key: position */
#define SIDE_B		(UINT64_C(1) << 31) /* sort key: from b */
#define FIB64		UINT64_C(0x9E3779B97F4A7C15)	/* 2^64 / golden ratio */

static inline size_t
window_of(size_t m, size_t n)
{
	size_t		mx = m > n ? m : n;

	return mx / 2 > 0 ? mx / 2 - 1 : 0;
}

static inline size_t
words_for(size_t bits)
{
	return (bits + 63) / 64;
}

/* Open-addressing table of b's distinct characters: at least 2n slots. */
static inline size_t
table_slots(size_t n, int *bits)
{
	size_t		slots = 16;

	*bits = 4;
	while (slots < 2 * n)
	{
		slots <<= 1;
		(*bits)++;
	}
	return slots;
}

static inline size_t
slot_of(cdm_char ch, int bits)
{
	/* Fibonacci hashing: the top bits of ch times 2^64 / golden ratio */
	return (size_t) (((uint64_t) ch * FIB64) >> (64 - bits));
}

/*
 * Long inputs: hit_a and hit_b (match bitmaps), then either the hash table
 * (key and head per slot, next per position of b) or, should probing run
 * long, the fallback's two arrays of m + n sort keys.
 */
size_t
cdm_jaro_workspace(size_t m, size_t n)
{
	int			bits;
	size_t		hashed,
				sorted;

	if (m <= SHORT_MAX && n <= SHORT_MAX)
		return 0;
	hashed = 2 * table_slots(n, &bits) * sizeof(uint32_t) + n * sizeof(uint32_t);
	sorted = 2 * (m + n) * sizeof(uint64_t);
	return (words_for(m) + words_for(n)) * sizeof(uint64_t) +
		(hashed > sorted ? hashed : sorted);
}

/*
 * Bit-parallel matching for m, n <= 64.  Sets *c to the number of matches
 * and returns k, the number of order mismatches among them.
 */
static inline size_t
jaro_short(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
		   size_t w, size_t *c)
{
	uint64_t	slot[128];		/* only slots written below are ever read */
	cdm_char	hit_a[SHORT_MAX];	/* a's matched characters, in order */
	uint64_t	used_b = 0;
	uint64_t	crossed = 0;
	uint64_t	hi_mask,
				lo_mask = ~UINT64_C(0);
	cdm_char	seen = 0;
	size_t		matches = 0;
	size_t		k = 0;

	for (size_t i = 0; i < m; i++)
	{
		slot[a[i] & 127] = 0;
		seen |= a[i];
	}
	for (size_t j = 0; j < n; j++)
	{
		slot[b[j] & 127] = 0;
		seen |= b[j];
	}
	for (size_t j = 0; j < n; j++)
		slot[b[j] & 127] |= UINT64_C(1) << j;

	/*
	 * Window of a[i]: bits [i - w, i + w], slid one bit per step.  A match
	 * left of an earlier one ("crossed") is the only way the two orders can
	 * differ: without one, k = 0 and the walk below is skipped.
	 */
	hi_mask = w >= 63 ? ~UINT64_C(0) : (UINT64_C(2) << w) - 1;
	if (seen < 128)
	{
		/* all ASCII: slots are exact, the lowest candidate is the match */
		for (size_t i = 0; i < m; i++)
		{
			uint64_t	cand = slot[a[i]] & hi_mask & lo_mask & ~used_b;
			uint64_t	low = cand & (~cand + 1);

			crossed |= used_b & ~(low - 1);
			used_b |= low;
			hit_a[matches] = a[i];
			matches += cand != 0;
			hi_mask = (hi_mask << 1) | 1;
			lo_mask <<= (i >= w);
		}
	}
	else
	{
		for (size_t i = 0; i < m; i++)
		{
			uint64_t	cand = slot[a[i] & 127] & hi_mask & lo_mask & ~used_b;

			/* other code points share slots: check the character itself */
			while (cand)
			{
				uint64_t	low = cand & (~cand + 1);

				if (b[cdm_ctz64(cand)] == a[i])
				{
					crossed |= used_b & ~(low - 1);
					used_b |= low;
					hit_a[matches++] = a[i];
					break;
				}
				cand &= cand - 1;
			}
			hi_mask = (hi_mask << 1) | 1;
			lo_mask <<= (i >= w);
		}
	}

	*c = matches;
	if (crossed)
	{
		for (size_t r = 0; r < matches; r++)
		{
			k += hit_a[r] != b[cdm_ctz64(used_b)];
			used_b &= used_b - 1;
		}
	}
	return k;
}

/*
 * The slot holding ch, or the empty slot where it belongs (linear probing);
 * adds the probes made to *ops, which paces the interrupt checks (inputs
 * crafted to cluster in the table make probing, not the loop, long).
 */
static inline size_t
probe(const uint32_t *key, size_t mask, int bits, cdm_char ch, size_t *ops)
{
	size_t		s = slot_of(ch, bits);

	while (key[s] != ch && key[s] != NO_POS)
	{
		s = (s + 1) & mask;
		(*ops)++;
	}
	return s;
}

/*
 * Long inputs, first way: each distinct character of b gets a slot whose
 * list holds its positions in b, in order, not yet matched nor passed;
 * a[i] drops the passed ones and takes the head if it is in reach.  Fills
 * hit_a and hit_b and returns the number of matches, or SIZE_MAX if the
 * probing exceeds a linear budget: only inputs crafted to collide in the
 * table do that, and they are handed to the sorting way instead.
 */
static size_t
match_hashed(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
			 size_t w, uint64_t *hit_a, uint64_t *hit_b, uint32_t *key,
			 bool *crossed)
{
	int			bits;
	size_t		slots = table_slots(n, &bits);
	size_t		mask = slots - 1;
	uint32_t   *head = key + slots;
	uint32_t   *next = head + slots;
	size_t		matches = 0;
	size_t		last_j = 0;
	size_t		ops = 0;
	size_t		check_at = 0;
#ifndef CDM_JARO_FORCE_SORTED
	size_t		budget = 8 * (m + n) + CDM_INTERRUPT_STRIDE;
#else
	size_t		budget = 0;		/* test build: every long input sorted */
#endif

	memset(key, 0xFF, slots * sizeof(uint32_t));

	/*
	 * Lists built back to front so that each comes out in position order;
	 * b from m + w on and a from n + w on are beyond any window.
	 */
	for (size_t r = (n < m + w ? n : m + w); r-- > 0;)
	{
		size_t		s = probe(key, mask, bits, b[r], &ops);

		if (++ops >= check_at)
		{
			CDM_CHECK_INTERRUPTS();
			check_at = ops + CDM_INTERRUPT_STRIDE;
			if (ops > budget)
				return SIZE_MAX;
		}
		if (key[s] == NO_POS)
		{
			key[s] = b[r];
			head[s] = NO_POS;
		}
		next[r] = head[s];
		head[s] = (uint32_t) r;
	}

	for (size_t i = 0; i < m && i < n + w; i++)
	{
		size_t		s = probe(key, mask, bits, a[i], &ops);
		size_t		lo = i > w ? i - w : 0;
		uint32_t	p;

		if (++ops >= check_at)
		{
			CDM_CHECK_INTERRUPTS();
			check_at = ops + CDM_INTERRUPT_STRIDE;
			if (ops > budget)
				return SIZE_MAX;
		}
		if (key[s] == NO_POS)
			continue;
		/* positions left of this window are out of reach for good */
		p = head[s];
		while (p != NO_POS && p < lo)
		{
			p = next[p];
			ops++;
		}
		if (p != NO_POS && p <= i + w)
		{
			hit_a[i / 64] |= UINT64_C(1) << (i % 64);
			hit_b[p / 64] |= UINT64_C(1) << (p % 64);
			*crossed |= matches > 0 && p < last_j;
			last_j = p;
			matches++;
			p = next[p];
		}
		head[s] = p;
	}
	return matches;
}

/*
 * Stable LSD radix sort of keys[0..n) by their top 32 bits (the code
 * point), a byte per pass, skipping bytes equal in every key.  Returns
 * whichever of keys and tmp holds the result.
 */
static uint64_t *
sort_by_code_point(uint64_t *keys, uint64_t *tmp, size_t n)
{
	uint64_t	all_or = 0,
				all_and = ~UINT64_C(0);

	for (size_t i = 0; i < n; i++)
	{
		if ((i & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
		all_or |= keys[i];
		all_and &= keys[i];
	}
	for (int shift = 32; shift < 64; shift += 8)
	{
		size_t		count[256];
		size_t		sum = 0;
		uint64_t   *swap;

		if ((((all_or ^ all_and) >> shift) & 0xFF) == 0)
			continue;
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(keys[i] >> shift) & 0xFF]++;
		for (int d = 0; d < 256; d++)
		{
			size_t		t = count[d];

			count[d] = sum;
			sum += t;
		}
		for (size_t i = 0; i < n; i++)
		{
			if ((i & (CDM_INTERRUPT_STRIDE - 1)) == 0)
				CDM_CHECK_INTERRUPTS();
			tmp[count[(keys[i] >> shift) & 0xFF]++] = keys[i];
		}
		swap = keys;
		keys = tmp;
		tmp = swap;
	}
	return keys;
}

/*
 * Long inputs, second way, for any input in O(m + n): (code point, side,
 * position) keys sorted by code point give each character's positions in
 * a and in b in order, and the same greedy runs as a merge of the two.
 */
static size_t
match_sorted(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
			 size_t w, uint64_t *hit_a, uint64_t *hit_b, uint64_t *keys)
{
	size_t		total = m + n;
	uint64_t   *sorted;
	size_t		matches = 0;
	size_t		x = 0;

	/* a's keys then b's, each in position order: a stable sort suffices */
	for (size_t i = 0; i < m; i++)
		keys[i] = ((uint64_t) a[i] << 32) | (uint64_t) i;
	for (size_t j = 0; j < n; j++)
		keys[m + j] = ((uint64_t) b[j] << 32) | SIDE_B | (uint64_t) j;
	sorted = sort_by_code_point(keys, keys + total, total);

	/* one group per code point: a's positions [x, t), then b's [t, e) */
	while (x < total)
	{
		uint64_t	ch = sorted[x] >> 32;
		size_t		t = x,
					e,
					p;

		if ((x & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
		while (t < total && (sorted[t] >> 32) == ch && !(sorted[t] & SIDE_B))
			t++;
		e = t;
		while (e < total && (sorted[e] >> 32) == ch)
			e++;
		p = t;
		for (size_t r = x; r < t && p < e; r++)
		{
			size_t		i = (size_t) (sorted[r] & POS_MASK);
			size_t		j;

			/* b positions left of this window are out of reach for good */
			while (p < e && (size_t) (sorted[p] & POS_MASK) + w < i)
				p++;
			if (p == e)
				break;
			j = (size_t) (sorted[p] & POS_MASK);
			if (j <= i + w)
			{
				hit_a[i / 64] |= UINT64_C(1) << (i % 64);
				hit_b[j / 64] |= UINT64_C(1) << (j % 64);
				matches++;
				p++;
			}
		}
		x = e;
	}
	return matches;
}

/*
 * Same contract as jaro_short, for any lengths; work as in jaro.h.
 */
static size_t
jaro_long(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
		  size_t w, void *work, size_t *c)
{
	uint64_t   *hit_a = (uint64_t *) work;
	uint64_t   *hit_b = hit_a + words_for(m);
	uint64_t   *rest = hit_b + words_for(n);
	size_t		matches;
	bool		crossed = false;
	size_t		k = 0;

	memset(hit_a, 0, (words_for(m) + words_for(n)) * sizeof(uint64_t));
	matches = match_hashed(a, m, b, n, w, hit_a, hit_b, (uint32_t *) rest,
						   &crossed);
	if (matches == SIZE_MAX)
	{
		memset(hit_a, 0, (words_for(m) + words_for(n)) * sizeof(uint64_t));
		matches = match_sorted(a, m, b, n, w, hit_a, hit_b, rest);
		crossed = true;
	}

	/* without a crossing both match orders agree and k = 0 */
	if (crossed && matches > 0)
	{
		size_t		wa = 0,
					wb = 0;
		uint64_t	bits_a = hit_a[0],
					bits_b = hit_b[0];

		for (size_t r = 0; r < matches; r++)
		{
			size_t		i,
						j;

			if ((r & (CDM_INTERRUPT_STRIDE - 1)) == 0)
				CDM_CHECK_INTERRUPTS();
			while (bits_a == 0)
				bits_a = hit_a[++wa];
			while (bits_b == 0)
				bits_b = hit_b[++wb];
			i = wa * 64 + (size_t) cdm_ctz64(bits_a);
			j = wb * 64 + (size_t) cdm_ctz64(bits_b);
			k += a[i] != b[j];
			bits_a &= bits_a - 1;
			bits_b &= bits_b - 1;
		}
	}
	*c = matches;
	return k;
}

/* Matches c and half-transpositions t = floor(k / 2); c = 0 means no match. */
static void
jaro_counts(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
			void *work, size_t *c, size_t *t)
{
	size_t		w = window_of(m, n);
	size_t		k;

	if (m <= SHORT_MAX && n <= SHORT_MAX)
		k = jaro_short(a, m, b, n, w, c);
	else
		k = jaro_long(a, m, b, n, w, work, c);
	/* t = floor(k / 2), as in Winkler's strcmp95 and its descendants */
	*t = k / 2;
}

static double
jaro_value(size_t m, size_t n, size_t c, size_t t)
{
	double		dc = (double) c;

	if (c == 0)
		return 0.0;
	return (dc / (double) m + dc / (double) n + (dc - (double) t) / dc) / 3.0;
}

/*
 * Jaro > 7/10, decided exactly: J * 3mnc = c*c*n + c*c*m + (c - t)*m*n, so
 * the test is 10 * (that) > 21 * m * n * c.  A double can land on either side
 * of an exact 7/10 ('a' vs 'abcdefghij'); the definition says "above 0.7".
 */
static bool
jaro_above_07(size_t m, size_t n, size_t c, size_t t)
{
	if (c == 0)
		return false;
	if (m < ((size_t) 1 << 19) && n < ((size_t) 1 << 19))
	{
		/* each product < 2^57, so both sides stay below 2^62 */
		uint64_t	lhs = 10 * ((uint64_t) c * c * n + (uint64_t) c * c * m +
								(uint64_t) (c - t) * m * n);
		uint64_t	rhs = 21 * (uint64_t) m * n * c;

		return lhs > rhs;
	}
	/* half a million characters and more: long double is close enough */
	return (long double) 10 * ((long double) c * c * n + (long double) c * c * m +
							   (long double) (c - t) * m * n) >
		(long double) 21 * m * n * c;
}

double
cdm_jaro(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
		 void *work)
{
	size_t		c;
	size_t		t;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	jaro_counts(a, m, b, n, work, &c, &t);
	return jaro_value(m, n, c, t);
}

double
cdm_jaro_winkler(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
				 void *work)
{
	size_t		c;
	size_t		t;
	double		j;

	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	jaro_counts(a, m, b, n, work, &c, &t);
	j = jaro_value(m, n, c, t);
	if (jaro_above_07(m, n, c, t))
	{
		size_t		lim = m < n ? m : n;
		size_t		l = 0;

		if (lim > 4)
			lim = 4;
		while (l < lim && a[l] == b[l])
			l++;
		j += (double) l * 0.1 * (1.0 - j);
	}
	return j;
}
