/*
 * key_sig.c - signatures of sets of keys and the distance bound over them.
 *
 * Why the bound holds.  Let k be a key below signature S and C the fields
 * present in both the query q and k.  For f in C, every token of q_f & k_f
 * has its bit set in S, so |q_f & k_f| <= m_f, the number of tokens of q_f
 * whose bits are set; also |q_f & k_f| <= |k_f|.  J = i / (|q_f| + b - i)
 * grows with i, so with b = |k_f|:
 *     J_f <= min(m_f, b) / (|q_f| + b - min(m_f, b)),
 * which rises with b up to b = m_f and falls after, so over the b that S
 * allows (minc_f..maxc_f) it is largest at b = clamp(m_f, minc_f, maxc_f):
 * that is ub_f.  The similarity is a weighted mean of J_f over C, at most
 * the largest J_f, at most the largest ub_f over the fields of q that S has.
 * Distance >= 1 - that.  Empty keys: an empty query is at 0 from empty
 * keys and 1 from the others; a non-empty query is at 1 from empty keys.
 */
#include "key_sig.h"

#include <string.h>

/*
 * Room for rounding: the leaf distance is a weighted mean computed in
 * floating point, which may come out an ulp above the largest term.
 */
#define BOUND_SLACK 1e-12

void
cdm_sig_clear(CdmKeySig *s, int siglen)
{
	memset(s, 0, CDM_SIG_SIZE(siglen));
	memset(s->minc, 0xFF, sizeof(s->minc));
}

void
cdm_sig_add_key(CdmKeySig *s, int siglen, const cdm_token *tok, size_t n)
{
	uint32_t	nbits = (uint32_t) siglen * 8;
	size_t		counts[CDM_KEY_NFIELDS];

	if (n == 0)
	{
		s->flags |= CDM_SIG_HAS_EMPTY;
		return;
	}
	for (size_t i = 0; i < n; i++)
	{
		uint32_t	bit = tok[i] % nbits;

		s->bits[bit >> 3] |= (uint8_t) (1u << (bit & 7));
	}
	cdm_key_field_counts(tok, n, counts);
	for (unsigned f = 0; f < CDM_KEY_NFIELDS; f++)
	{
		uint8_t		c;

		if (counts[f] == 0)
			continue;
		c = counts[f] > 255 ? 255 : (uint8_t) counts[f];
		s->mask |= (uint8_t) (1u << f);
		if (c < s->minc[f])
			s->minc[f] = c;
		if (c > s->maxc[f])
			s->maxc[f] = c;
	}
}

void
cdm_sig_add_sig(CdmKeySig *s, const CdmKeySig *o, int siglen)
{
	s->flags |= o->flags;
	for (unsigned f = 0; f < CDM_KEY_NFIELDS; f++)
	{
		if (!(o->mask & (1u << f)))
			continue;
		s->mask |= (uint8_t) (1u << f);
		if (o->minc[f] < s->minc[f])
			s->minc[f] = o->minc[f];
		if (o->maxc[f] > s->maxc[f])
			s->maxc[f] = o->maxc[f];
	}
	for (int i = 0; i < siglen; i++)
		s->bits[i] |= o->bits[i];
}

/*
 * Bits set in a word.  SWAR rather than __builtin_popcountll, which without
 * -mpopcnt is a libgcc call per word (it was most of the index build).
 */
static inline int
popcount8(uint64_t x)
{
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	return (int) ((x * UINT64_C(0x0101010101010101)) >> 56);
}

int
cdm_sig_popcount(const CdmKeySig *s, int siglen)
{
	int			c = 0;
	int			i = 0;

	for (; i + 8 <= siglen; i += 8)
	{
		uint64_t	x;

		memcpy(&x, s->bits + i, 8);
		c += popcount8(x);
	}
	for (; i < siglen; i++)
		c += popcount8(s->bits[i]);
	return c;
}

int
cdm_sig_hamming(const CdmKeySig *a, const CdmKeySig *b, int siglen)
{
	int			c = 0;
	int			i = 0;

	for (; i + 8 <= siglen; i += 8)
	{
		uint64_t	x,
					y;

		memcpy(&x, a->bits + i, 8);
		memcpy(&y, b->bits + i, 8);
		c += popcount8(x ^ y);
	}
	for (; i < siglen; i++)
		c += popcount8((uint8_t) (a->bits[i] ^ b->bits[i]));
	/* a field or an empty key on one side only is a difference too */
	c += popcount8((uint8_t) (a->mask ^ b->mask));
	c += popcount8((uint8_t) ((a->flags ^ b->flags) & CDM_SIG_HAS_EMPTY));
	return c;
}

void
cdm_sig_query_prepare(CdmKeyQuery *q, const cdm_token *tok, size_t n,
					  int siglen, uint32_t *bitpos)
{
	uint32_t	nbits = (uint32_t) siglen * 8;

	q->tok = tok;
	q->n = n;
	q->bitpos = bitpos;
	memset(q->count, 0, sizeof(q->count));
	memset(q->filter, 0, sizeof(q->filter));
	for (size_t i = 0; i < n; i++)
	{
		uint32_t	h = tok[i] % CDM_QUERY_FILTER_BITS;

		bitpos[i] = tok[i] % nbits;
		q->count[CDM_KEY_FIELD(tok[i])]++;
		q->filter[h / 64] |= UINT64_C(1) << (h % 64);
	}
	q->field = (n > 0 && CDM_KEY_FIELD(tok[0]) == CDM_KEY_FIELD(tok[n - 1])) ?
		(int) CDM_KEY_FIELD(tok[0]) : -1;
}

static bool
query_has(const CdmKeyQuery *q, cdm_token t)
{
	size_t		lo = 0,
				hi = q->n;

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;

		if (q->tok[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < q->n && q->tok[lo] == t;
}

double
cdm_sig_key_distance(const CdmKeyQuery *q, const cdm_token *tok, size_t n)
{
	size_t		ci = 0;

	/* the general case where it differs: empty keys, several fields */
	if (q->field < 0 || n == 0 ||
		CDM_KEY_FIELD(tok[0]) != (unsigned) q->field ||
		CDM_KEY_FIELD(tok[n - 1]) != (unsigned) q->field)
		return cdm_key_distance(q->tok, q->n, tok, n);
	for (size_t i = 0; i < n; i++)
	{
		uint32_t	h = tok[i] % CDM_QUERY_FILTER_BITS;

		if ((q->filter[h / 64] >> (h % 64)) & 1)
			ci += query_has(q, tok[i]);
	}
	/* the very expression of cdm_key_similarity's one-field case */
	return 1.0 - (double) ci / (double) (q->n + n - ci);
}

double
cdm_sig_lower_bound(const CdmKeySig *s, const CdmKeyQuery *q)
{
	uint32_t	m[CDM_KEY_NFIELDS] = {0};
	double		best = -1.0;

	if (q->n == 0)
		return (s->flags & CDM_SIG_HAS_EMPTY) ? 0.0 : 1.0;
	for (size_t i = 0; i < q->n; i++)
	{
		uint32_t	bit = q->bitpos[i];

		if (s->bits[bit >> 3] & (1u << (bit & 7)))
			m[CDM_KEY_FIELD(q->tok[i])]++;
	}
	for (unsigned f = 0; f < CDM_KEY_NFIELDS; f++)
	{
		uint32_t	lq = q->count[f];
		uint32_t	b;
		uint32_t	inter;
		double		ub;

		if (lq == 0 || !(s->mask & (1u << f)))
			continue;
		b = m[f];
		if (b < s->minc[f])
			b = s->minc[f];
		/* a count of 255 stands for 255 or more: no upper limit then */
		if (b > s->maxc[f] && s->maxc[f] < 255)
			b = s->maxc[f];
		inter = m[f] < b ? m[f] : b;
		ub = (double) inter / (double) (lq + b - inter);
		if (ub > best)
			best = ub;
	}
	if (best < 0.0)
		return 1.0;				/* no field in common with any key below */
	best = 1.0 - best - BOUND_SLACK;
	return best < 0.0 ? 0.0 : best;
}
