/*
 * levenshtein.c - Levenshtein distance, bit-parallel.
 *
 * Myers, "A fast bit-vector algorithm for approximate string matching based
 * on dynamic programming", JACM 46(3), 1999, with Hyyrö's global-distance
 * form ("Explaining and extending the bit-parallel approximate string
 * matching algorithm of Myers", 2001).  The pattern (the shorter string)
 * is split into 64-bit blocks; each text character advances every block,
 * carrying the horizontal delta from one block to the next.
 */
#include "levenshtein.h"

#include "bits.h"
#include "charmap.h"

#include <string.h>

#define WORD_BITS 64

typedef struct Block
{
	CdmCharMap	peq;
	uint64_t	vp;
	uint64_t	vn;
} Block;

static size_t
words_for(size_t m)
{
	return (m + WORD_BITS - 1) / WORD_BITS;
}

/* Banded DP is chosen for a bounded call when the band is narrow. */
static bool
use_band(size_t m, int64_t max)
{
	return max >= 0 && m > WORD_BITS && (uint64_t) (2 * max + 1) < 4 * words_for(m);
}

size_t
cdm_levenshtein_workspace(size_t m, size_t n)
{
	size_t		w;
	size_t		per_block;

	if (m > n)
	{
		size_t		t = m;

		m = n;
		n = t;
	}
	w = words_for(m);
	per_block = sizeof(Block) + cdm_charmap_bytes(WORD_BITS);
	/* enough for either the block scheme or the band (two rows of n + 1) */
	return w * per_block + 2 * (n + 1) * sizeof(int64_t) + 64;
}

/* Pattern of at most 64 code points: one word, the hot path for names. */
static int64_t
myers_one_word(const cdm_char *p, size_t m, const cdm_char *t, size_t n,
			   void *work)
{
	CdmCharMap	peq;
	uint64_t	vp = ~UINT64_C(0);
	uint64_t	vn = 0;
	uint64_t	last = UINT64_C(1) << (m - 1);
	int64_t		score = (int64_t) m;

	cdm_charmap_init_for(&peq, m, work, p, m, t, n);
	for (size_t i = 0; i < m; i++)
		*cdm_charmap_slot(&peq, p[i]) |= UINT64_C(1) << i;

	/* interrupts are checked between chunks: nothing extra in the inner loop */
	for (size_t start = 0; start < n; start += CDM_INTERRUPT_STRIDE)
	{
		size_t		end = n - start > CDM_INTERRUPT_STRIDE ? start + CDM_INTERRUPT_STRIDE : n;

		if (start > 0)
			CDM_CHECK_INTERRUPTS();
		for (size_t j = start; j < end; j++)
		{
			uint64_t	eq = cdm_charmap_get(&peq, t[j]);
			uint64_t	xv = eq | vn;
			uint64_t	xh = (((eq & vp) + vp) ^ vp) | eq;
			uint64_t	hp = vn | ~(xh | vp);
			uint64_t	hn = vp & xh;

			score += (hp & last) != 0;
			score -= (hn & last) != 0;
			hp = (hp << 1) | 1;		/* row 0 of the DP grows by one per column */
			hn <<= 1;
			vp = hn | ~(xv | hp);
			vn = hp & xv;
		}
	}
	return score;
}

/* Myers' block-based extension for patterns longer than one word. */
static int64_t
myers_blocks(const cdm_char *p, size_t m, const cdm_char *t, size_t n,
			 void *work)
{
	size_t		w = words_for(m);
	Block	   *blocks = (Block *) work;
	char	   *mapmem = (char *) (blocks + w);
	size_t		mapbytes = cdm_charmap_bytes(WORD_BITS);
	uint64_t	last = UINT64_C(1) << ((m - 1) % WORD_BITS);
	int64_t		score = (int64_t) m;

	for (size_t b = 0; b < w; b++)
	{
		cdm_charmap_init(&blocks[b].peq, WORD_BITS, mapmem + b * mapbytes);
		blocks[b].vp = ~UINT64_C(0);
		blocks[b].vn = 0;
	}
	for (size_t i = 0; i < m; i++)
		*cdm_charmap_slot(&blocks[i / WORD_BITS].peq, p[i]) |=
			UINT64_C(1) << (i % WORD_BITS);

	for (size_t j = 0; j < n; j++)
	{
		int			hin = 1;		/* the top row increases by one per column */

		for (size_t b = 0; b < w; b++)
		{
			Block	   *bl = &blocks[b];
			uint64_t	eq = cdm_charmap_get(&bl->peq, t[j]);
			uint64_t	xv = eq | bl->vn;
			uint64_t	xh;
			uint64_t	hp;
			uint64_t	hn;
			uint64_t	hibit = (b == w - 1) ? last : (UINT64_C(1) << 63);
			int			hout;

			if (hin < 0)
				eq |= 1;
			xh = (((eq & bl->vp) + bl->vp) ^ bl->vp) | eq;
			hp = bl->vn | ~(xh | bl->vp);
			hn = bl->vp & xh;
			hout = ((hp & hibit) != 0) - ((hn & hibit) != 0);
			hp = (hp << 1) | (uint64_t) (hin > 0);
			hn = (hn << 1) | (uint64_t) (hin < 0);
			bl->vp = hn | ~(xv | hp);
			bl->vn = hp & xv;
			hin = hout;
		}
		score += hin;
		if ((j & 255) == 255)
			CDM_CHECK_INTERRUPTS();
	}
	return score;
}

/*
 * Ukkonen's band: only cells with |i - j| <= max can lead to a result
 * <= max.  Rows are the pattern; stops as soon as a whole band row exceeds max.
 */
static int64_t
banded(const cdm_char *p, size_t m, const cdm_char *t, size_t n,
	   int64_t max, void *work)
{
	int64_t    *prev = (int64_t *) work;
	int64_t    *cur = prev + n + 1;
	int64_t		inf = max + 1;

	for (size_t j = 0; j <= n; j++)
		prev[j] = (j <= (size_t) max) ? (int64_t) j : inf;
	for (size_t i = 1; i <= m; i++)
	{
		size_t		lo = (i > (size_t) max) ? i - (size_t) max : 1;
		size_t		hi = (i + (size_t) max < n) ? i + (size_t) max : n;
		int64_t		rowmin = inf;
		int64_t    *tmp;

		cur[lo - 1] = (lo == 1 && i <= (size_t) max) ? (int64_t) i : inf;
		for (size_t j = lo; j <= hi; j++)
		{
			int64_t		v = prev[j - 1] + (p[i - 1] != t[j - 1]);
			int64_t		d = prev[j] + 1;
			int64_t		ins = cur[j - 1] + 1;

			if (d < v)
				v = d;
			if (ins < v)
				v = ins;
			if (v > inf)
				v = inf;
			cur[j] = v;
			if (v < rowmin)
				rowmin = v;
		}
		if (hi < n)
			cur[hi + 1] = inf;
		if (rowmin > max)
			return inf;
		tmp = prev;
		prev = cur;
		cur = tmp;
		if ((i & 63) == 63)
			CDM_CHECK_INTERRUPTS();
	}
	return prev[n] > max ? inf : prev[n];
}

int64_t
cdm_levenshtein(const cdm_char *a, size_t m, const cdm_char *b, size_t n,
				int64_t max, void *work)
{
	int64_t		d;

	cdm_strip_affixes(&a, &m, &b, &n);
	cdm_shorter_first(&a, &m, &b, &n);
	if (max >= 0 && (int64_t) (n - m) > max)
		return max + 1;
	if (m == 0)
		d = (int64_t) n;
	else if (m <= WORD_BITS)
		d = myers_one_word(a, m, b, n, work);
	else if (use_band(m, max))
		d = banded(a, m, b, n, max, work);
	else
		d = myers_blocks(a, m, b, n, work);
	if (max >= 0 && d > max)
		return max + 1;
	return d;
}
