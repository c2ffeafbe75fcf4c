/*
 * qgram.c - q-gram similarity (Jaccard index of padded q-gram sets).
 *
 * E. Ukkonen, "Approximate string-matching with q-grams and maximal
 * matches", Theoretical Computer Science 92(1), 1992 (q-grams, padding);
 * P. Jaccard, "The distribution of the flora in the alpine zone", New
 * Phytologist 11(2), 1912 (|A & B| / |A | B|).  Exact definition in
 * qgram.h.
 *
 * Each string's q-grams become 64-bit keys: the padded window itself when
 * q symbols fit in 64 bits, otherwise a Karp-Rabin rolling hash modulo the
 * Mersenne prime 2^61 - 1 (Karp & Rabin, "Efficient randomized pattern-
 * matching algorithms", IBM J. Res. Dev. 31(2), 1987).  Up to 64 keys a
 * side, a small hash table of position bitmasks finds repeats and common
 * keys without sorting; beyond, each key list is LSD-radix-sorted,
 * deduplicated, and the two sets are merged to count the common keys.
 */
#include "qgram.h"

#include "bits.h"

#include <string.h>

#define SENTINEL	UINT64_C(0x110000)
#define SMALL_MAX	64
#define P61			((UINT64_C(1) << 61) - 1)
/* An arbitrary fixed base in [2^32, 2^61 - 1). */
#define HASH_BASE	UINT64_C(0x0F3A5C6E9B1D2487)

size_t
cdm_qgram_workspace(size_t m, size_t n, int q)
{
	size_t		na,
				nb;

	if (q < 1)
		return 0;
	na = m + (size_t) q - 1;
	nb = n + (size_t) q - 1;
	if (na <= SMALL_MAX && nb <= SMALL_MAX)
		return 0;
	return 2 * (na + nb) * sizeof(uint64_t);
}

/* ---------------------------------------------------------------- sorting */

static void
insertion_sort(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		uint64_t	x = v[i];
		size_t		j = i;

		while (j > 0 && v[j - 1] > x)
		{
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* End of the chunk starting at base: long loops check interrupts per chunk. */
static inline size_t
chunk_end(size_t base, size_t n)
{
	return n - base > CDM_INTERRUPT_STRIDE ? base + CDM_INTERRUPT_STRIDE : n;
}

/*
 * LSD radix sort of v[0..n), one byte per pass, skipping bytes equal in
 * every key; tmp holds n keys.  Returns whichever of v and tmp holds the
 * sorted keys.
 */
static uint64_t *
radix_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
	uint64_t	all_or = 0;
	uint64_t	all_and = ~UINT64_C(0);
	uint64_t	varying;

	for (size_t base = 0; base < n; base += CDM_INTERRUPT_STRIDE)
	{
		size_t		end = chunk_end(base, n);

		CDM_CHECK_INTERRUPTS();
		for (size_t i = base; i < end; i++)
		{
			all_or |= v[i];
			all_and &= v[i];
		}
	}
	/* a byte equal in every key leaves the order unchanged: skip its pass */
	varying = all_or ^ all_and;

	for (int byte = 0; byte < 8; byte++)
	{
		int			shift = 8 * byte;
		size_t		count[256];
		size_t		sum = 0;
		uint64_t   *swap;

		if (((varying >> shift) & 0xFF) == 0)
			continue;
		memset(count, 0, sizeof(count));
		for (size_t base = 0; base < n; base += CDM_INTERRUPT_STRIDE)
		{
			size_t		end = chunk_end(base, n);

			CDM_CHECK_INTERRUPTS();
			for (size_t i = base; i < end; i++)
				count[(v[i] >> shift) & 0xFF]++;
		}
		for (int d = 0; d < 256; d++)
		{
			size_t		c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (size_t base = 0; base < n; base += CDM_INTERRUPT_STRIDE)
		{
			size_t		end = chunk_end(base, n);

			CDM_CHECK_INTERRUPTS();
			for (size_t i = base; i < end; i++)
				tmp[count[(v[i] >> shift) & 0xFF]++] = v[i];
		}
		swap = v;
		v = tmp;
		tmp = swap;
	}
	return v;
}

/* Sort and deduplicate *v (the result may move to tmp); returns the count. */
static size_t
sort_unique(uint64_t **v, uint64_t *tmp, size_t n)
{
	uint64_t   *s = *v;
	size_t		u = 0;

	if (n <= SMALL_MAX)
		insertion_sort(s, n);
	else
		s = radix_sort(s, tmp, n);
	for (size_t i = 0; i < n; i++)
	{
		if ((i & (CDM_INTERRUPT_STRIDE - 1)) == 0 && i > 0)
			CDM_CHECK_INTERRUPTS();
		if (u == 0 || s[u - 1] != s[i])
			s[u++] = s[i];
	}
	*v = s;
	return u;
}

/* ---------------------------------------------------------------- q-grams */

/*
 * How q-grams are keyed, from the bit width w of the OR of all code points
 * of both strings: each symbol takes `bits` bits, w + 1 with the sentinel
 * 2^w above every code point present -- or 21 with the sentinel 0x110000
 * when w = 21.  If q symbols fit in 64 bits the window packed is its own
 * exact key (always for q <= 3; for ASCII up to q = 8); otherwise hash.
 */
typedef struct Keying
{
	int			bits;			/* 0: hash */
	uint64_t	sentinel;
} Keying;

static Keying
keying_for(const cdm_char *a, size_t m, const cdm_char *b, size_t n, int q)
{
	cdm_char	all = 0;
	int			w = 1;
	Keying		k;

	for (size_t i = 0; i < m; i++)
	{
		if ((i & (CDM_INTERRUPT_STRIDE - 1)) == 0 && i > 0)
			CDM_CHECK_INTERRUPTS();
		all |= a[i];
	}
	for (size_t j = 0; j < n; j++)
	{
		if ((j & (CDM_INTERRUPT_STRIDE - 1)) == 0 && j > 0)
			CDM_CHECK_INTERRUPTS();
		all |= b[j];
	}
	while (w < 21 && (all >> w) != 0)
		w++;
	k.bits = w == 21 ? 21 : w + 1;
	k.sentinel = w == 21 ? SENTINEL : UINT64_C(1) << w;
	if ((size_t) q * (size_t) k.bits > 64)
		k.bits = 0;
	return k;
}

/* The window of the last q padded symbols is the key.  Writes len + q - 1. */
static size_t
packed_grams(const cdm_char *s, size_t len, int q, Keying k, uint64_t *out)
{
	int			width = q * k.bits;
	uint64_t	mask = width == 64 ? ~UINT64_C(0) : (UINT64_C(1) << width) - 1;
	uint64_t	g = 0;
	size_t		o = 0;

	for (int p = 0; p < q - 1; p++)
		g = (g << k.bits) | k.sentinel;
	for (size_t i = 0; i < len; i++)
	{
		if ((i & (CDM_INTERRUPT_STRIDE - 1)) == 0 && i > 0)
			CDM_CHECK_INTERRUPTS();
		g = ((g << k.bits) | s[i]) & mask;
		out[o++] = g;
	}
	for (int p = 0; p < q - 1; p++)
	{
		g = ((g << k.bits) | k.sentinel) & mask;
		out[o++] = g;
	}
	return o;
}

/* x * y mod 2^61 - 1, for x, y < 2^61. */
static inline uint64_t
mulmod61(uint64_t x, uint64_t y)
{
#if defined(__SIZEOF_INT128__) && !defined(CDM_QGRAM_NO_INT128)
	__extension__ typedef unsigned __int128 u128;
	u128		p = (u128) x * y;
	uint64_t	r = ((uint64_t) p & P61) + (uint64_t) (p >> 61);
#else
	/* 32-bit halves; 2^64 = 8 and 2^61 = 1 modulo 2^61 - 1 */
	uint64_t	xh = x >> 32,
				xl = x & 0xFFFFFFFFu,
				yh = y >> 32,
				yl = y & 0xFFFFFFFFu;
	uint64_t	mid = xh * yl + xl * yh;	/* < 2^62 */
	uint64_t	low = xl * yl;
	uint64_t	r = ((xh * yh) << 3) + (mid >> 29) +
		((mid & 0x1FFFFFFF) << 32) + (low & P61) + (low >> 61);
#endif

	r = (r & P61) + (r >> 61);
	return r >= P61 ? r - P61 : r;
}

static inline cdm_char
padded_at(const cdm_char *s, size_t len, int q, size_t p)
{
	size_t		lead = (size_t) q - 1;

	return (p < lead || p >= lead + len) ? (cdm_char) SENTINEL : s[p - lead];
}

/*
 * Otherwise: polynomial hash sum x_k B^(q-1-k) mod 2^61 - 1 of each window,
 * rolled one padded position at a time.  Writes len + q - 1 keys.
 */
static size_t
hashed_grams(const cdm_char *s, size_t len, int q, uint64_t *out)
{
	size_t		total = len + 2 * ((size_t) q - 1);
	uint64_t	top = 1;		/* B^(q-1): weight of the outgoing element */
	uint64_t	base = HASH_BASE;
	uint64_t	h = 0;
	size_t		o = 0;

	for (unsigned e = (unsigned) q - 1; e; e >>= 1)
	{
		if (e & 1)
			top = mulmod61(top, base);
		base = mulmod61(base, base);
	}
	for (size_t p = 0; p < total; p++)
	{
		if ((p & (CDM_INTERRUPT_STRIDE - 1)) == 0 && p > 0)
			CDM_CHECK_INTERRUPTS();
		if (p >= (size_t) q)
		{
			cdm_char	gone = padded_at(s, len, q, p - (size_t) q);
			uint64_t	out_w = mulmod61(gone, top);

			h = h >= out_w ? h - out_w : h + P61 - out_w;
		}
		h = mulmod61(h, HASH_BASE) + padded_at(s, len, q, p);
		if (h >= P61)
			h -= P61;
		if (p + 1 >= (size_t) q)
			out[o++] = h;
	}
	return o;
}

static size_t
make_grams(const cdm_char *s, size_t len, int q, Keying k, uint64_t *out)
{
	if (k.bits)
		return packed_grams(s, len, q, k, out);
	return hashed_grams(s, len, q, out);
}

/* Common elements of two sorted sets (branch-free merge). */
static size_t
intersect_count(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny)
{
	size_t		i = 0,
				j = 0,
				c = 0,
				steps = 0;

	while (i < nx && j < ny)
	{
		uint64_t	u = x[i],
					v = y[j];

		c += u == v;
		i += u <= v;
		j += v <= u;
		if ((++steps & (CDM_INTERRUPT_STRIDE - 1)) == 0)
			CDM_CHECK_INTERRUPTS();
	}
	return c;
}

/* ------------------------------------------------- up to 64 q-grams each */

#define SLOT_BITS	8
#define FIB64		UINT64_C(0x9E3779B97F4A7C15)	/* 2^64 / golden ratio */

/* Positions (bit i = q-gram i) of each string's q-grams hashing to a slot. */
typedef struct Slot
{
	uint64_t	in_a;
	uint64_t	in_b;
} Slot;

static inline unsigned
slot_of(uint64_t key)
{
	/* Fibonacci hashing: the top bits of key * 2^64 / golden ratio */
	return (unsigned) ((key * FIB64) >> (64 - SLOT_BITS));
}

/* Is key among g[j] for the bits j of cand (q-grams sharing its slot)? */
static inline bool
among(const uint64_t *g, uint64_t cand, uint64_t key)
{
	for (; cand; cand &= cand - 1)
		if (g[cdm_ctz64(cand)] == key)
			return true;
	return false;
}

/*
 * Jaccard index of the q-gram sets ga[0..na), gb[0..nb), na, nb <= 64,
 * without sorting: a 256-slot hash table of position masks, of which only
 * the slots the q-grams touch are initialised, answers "did this q-gram
 * occur earlier in a" (duplicates count once) and "does it occur in b".
 * A slot collision only costs a comparison, the answer stays exact.
 */
static double
small_jaccard(const uint64_t *ga, size_t na, const uint64_t *gb, size_t nb)
{
	Slot		slot[1 << SLOT_BITS];	/* only touched slots are read */
	uint8_t		ha[SMALL_MAX];
	uint8_t		hb[SMALL_MAX];
	size_t		ua = 0,
				ub = 0,
				common = 0;

	for (size_t i = 0; i < na; i++)
	{
		ha[i] = (uint8_t) slot_of(ga[i]);
		slot[ha[i]].in_a = 0;
		slot[ha[i]].in_b = 0;
	}
	for (size_t j = 0; j < nb; j++)
	{
		hb[j] = (uint8_t) slot_of(gb[j]);
		slot[hb[j]].in_a = 0;
		slot[hb[j]].in_b = 0;
	}
	for (size_t i = 0; i < na; i++)
		slot[ha[i]].in_a |= UINT64_C(1) << i;
	for (size_t j = 0; j < nb; j++)
		slot[hb[j]].in_b |= UINT64_C(1) << j;

	for (size_t i = 0; i < na; i++)
	{
		const Slot *s = &slot[ha[i]];
		uint64_t	earlier = s->in_a & ((UINT64_C(1) << i) - 1);

		if (earlier && among(ga, earlier, ga[i]))
			continue;
		ua++;
		common += among(gb, s->in_b, ga[i]);
	}
	for (size_t j = 0; j < nb; j++)
	{
		uint64_t	earlier = slot[hb[j]].in_b & ((UINT64_C(1) << j) - 1);

		ub += !(earlier && among(gb, earlier, gb[j]));
	}
	return (double) common / (double) (ua + ub - common);
}

double
cdm_qgram_similarity(const cdm_char *a, size_t m, const cdm_char *b,
					 size_t n, int q, void *work)
{
	uint64_t	small_a[SMALL_MAX];
	uint64_t	small_b[SMALL_MAX];
	uint64_t   *ka,
			   *kb,
			   *ta,
			   *tb;
	size_t		na,
				nb,
				ua,
				ub,
				common;
	Keying		k;

	if (q < 1)
		return -1.0;
	if (m == 0 || n == 0)
		return (m == 0 && n == 0) ? 1.0 : 0.0;
	na = m + (size_t) q - 1;
	nb = n + (size_t) q - 1;
	k = keying_for(a, m, b, n, q);
	if (na <= SMALL_MAX && nb <= SMALL_MAX)
	{
		make_grams(a, m, q, k, small_a);
		make_grams(b, n, q, k, small_b);
		return small_jaccard(small_a, na, small_b, nb);
	}
	ka = (uint64_t *) work;
	kb = ka + na;
	ta = kb + nb;
	tb = ta + na;
	make_grams(a, m, q, k, ka);
	make_grams(b, n, q, k, kb);
	ua = sort_unique(&ka, ta, na);
	ub = sort_unique(&kb, tb, nb);
	common = intersect_count(ka, ua, kb, ub);
	return (double) common / (double) (ua + ub - common);
}
